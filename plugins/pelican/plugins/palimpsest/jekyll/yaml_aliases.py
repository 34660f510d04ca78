"""A bound on YAML alias expansion, so that a "billion laughs" file is refused as it is read.

ruamel.yaml shares an aliased node rather than copying it, so loading such a file is cheap;
everything that walks the data afterwards (``json.dumps`` of the config, Liquid, the metadata)
sees the expanded tree and never ends.  The composer counts, alias by alias, how many nodes each
expansion adds, and refuses the file at the alias that goes beyond :data:`YAML_ALIAS_LIMIT`.
An alias inside its own anchor (a cycle) is refused too.  The bound is a constant, not a
Pelican setting: ``_config.yml`` is read before any setting exists.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

__all__ = ["YAML_ALIAS_LIMIT", "BoundedComposer"]

YAML_ALIAS_LIMIT = 100_000  # nodes all aliases of one file may expand to, together


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
