"""Bounds on hostile YAML: alias expansion ("billion laughs") and nesting depth, refused as a file is read.

ruamel.yaml shares an aliased node rather than copying it, so loading such a file is cheap;
everything that walks the data afterwards (``json.dumps`` of the config, Liquid, the metadata)
sees the expanded tree and never ends.  The pure composer (:class:`BoundedComposer`) counts, alias
by alias, how many nodes each expansion adds, and refuses the file at the alias that goes beyond
:data:`YAML_ALIAS_LIMIT`; an alias inside its own anchor (a cycle) is refused too.  libyaml's
composer cannot be stopped midway, so its tree is measured once built (:func:`aliases_within_bound`).

libyaml composes recursively in C: a few tens of thousands of nested ``[`` overflow the process's
stack (a crash, not an exception), so nesting beyond :data:`YAML_DEPTH_LIMIT` is refused from the
parser's events before anything is composed (:func:`too_deep_at`).  Python's composer gives out
near 300 levels and Psych's near 9000; real front matter stays under 10.

The bounds are constants, not Pelican settings: ``_config.yml`` is read before any setting exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, StreamEndEvent
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

__all__ = ["YAML_ALIAS_LIMIT", "YAML_DEPTH_LIMIT", "BoundedComposer", "aliases_within_bound", "may_be_too_deep", "too_deep_at"]

YAML_ALIAS_LIMIT = 100_000  # nodes all aliases of one file may expand to, together
YAML_DEPTH_LIMIT = 100  # collections nested in one another


class BoundedComposer(Composer):
    """ruamel.yaml's composer, counting the nodes aliases expand to."""

    def compose_document(self) -> Any:
        self._expanded = 0
        self._sizes: dict[int, int] = {}  # id(node) -> nodes in its expansion, once complete
        return super().compose_document()

    def compose_node(self, parent: Any, index: Any) -> Any:
        if not self.parser.check_event(AliasEvent):
            node = super().compose_node(parent, index)
            self._sizes.setdefault(id(node), 0)  # complete: its size is computed when an alias needs it
            return node
        event = self.parser.peek_event()
        node = super().compose_node(parent, index)
        if id(node) not in self._sizes:
            raise ComposerError(None, None, f"YAML alias *{event.anchor} is used inside its own anchor", event.start_mark)
        self._expanded += self._size(node)
        if self._expanded > YAML_ALIAS_LIMIT:
            raise ComposerError(None, None, f"YAML aliases expand beyond {YAML_ALIAS_LIMIT} nodes", event.start_mark)
        return node

    def _size(self, node: Node) -> int:
        """Nodes in *node*'s expansion, each shared node counted as often as it is used (memoized)."""
        size = self._sizes.get(id(node), 0)
        if size:
            return size
        size = 1
        if isinstance(node, SequenceNode):
            size += sum(self._size(child) for child in node.value)
        elif isinstance(node, MappingNode):
            size += sum(self._size(key) + self._size(value) for key, value in node.value)
        self._sizes[id(node)] = size
        return size


def _children(node: Node) -> Iterator[Node]:
    if isinstance(node, SequenceNode):
        yield from node.value
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            yield key
            yield value


def aliases_within_bound(root: Node) -> bool:
    """Whether a composed tree holds no cycle and its aliases expand to at most :data:`YAML_ALIAS_LIMIT`
    nodes, counted as :class:`BoundedComposer` counts them: a node met again (an alias) adds its whole
    expansion. Iterative, as the tree may be as deep as :data:`YAML_DEPTH_LIMIT`."""
    sizes: dict[int, int] = {}  # id(node) -> nodes in its expansion, once complete
    open_nodes: set[int] = set()  # the nodes being walked: met again, they are a cycle
    expanded = 0
    stack: list[tuple[Node, Iterator[Node], list[int]]] = [(root, _children(root), [1])]
    open_nodes.add(id(root))
    while stack:
        node, children, size = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            open_nodes.discard(id(node))
            sizes[id(node)] = size[0]
            if stack:
                stack[-1][2][0] += size[0]
            continue
        known = sizes.get(id(child))
        if known is not None:  # an alias of a complete node
            expanded += known
            if expanded > YAML_ALIAS_LIMIT:
                return False
            size[0] += known
        elif id(child) in open_nodes:
            return False
        else:
            open_nodes.add(id(child))
            stack.append((child, _children(child), [1]))
    return True


def may_be_too_deep(text: str) -> bool:
    """Whether *text* could nest deeper than :data:`YAML_DEPTH_LIMIT`: each collection begins at a
    character of its own (a block sequence at ``-``, a block mapping at its first ``:`` or ``?``,
    a flow one at ``[`` or ``{``), so fewer of those characters than the limit is proof enough."""
    return sum(text.count(mark) for mark in "-:?[{") > YAML_DEPTH_LIMIT


def too_deep_at(events: Any) -> int | None:
    """Where (a character index) the first collection nested deeper than :data:`YAML_DEPTH_LIMIT` begins,
    among a parser's *events* (``get_event()``); None if none is. The parser's own errors are raised."""
    depth = 0
    while True:
        event = events.get_event()
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > YAML_DEPTH_LIMIT:
                return int(event.start_mark.index)
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
        elif isinstance(event, StreamEndEvent):
            return None
