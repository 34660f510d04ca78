"""Units, what the block diff aligns, and the canonical form they are compared on.

The children of a container (the fragment, ``ul``, ``table``, ``tr``,
``blockquote``, ``div`` ...) are cut into units: block elements, and runs of
inline content between them.  The canonical form is what must be equal for
"nothing visible changed", with the same rules as ``testing.canonical``:
attribute and class order, comments and whitespace between blocks do not
count; whitespace inside text is collapsed but kept; preformatted text is
verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..common.elements import BLOCK_ELEMENTS, EMBEDDED_ELEMENTS, FORM_CONTROL_ELEMENTS, PREFORMATTED_ELEMENTS, RAW_TEXT_ELEMENTS
from ..common.text import escape_html
from .parse import Element, Node, Raw
from .serialise import end_tag

ATOMIC_ELEMENTS = EMBEDDED_ELEMENTS | FORM_CONTROL_ELEMENTS | RAW_TEXT_ELEMENTS
"""Compared and shown as one token: their inside is not prose."""
VERBATIM_ELEMENTS = PREFORMATTED_ELEMENTS | RAW_TEXT_ELEMENTS
"""Compared with their whitespace as written."""

_SPACES = re.compile(r"[ \t\r\n\f]+")


class Run:
    """Inline content between two blocks of a container."""

    __slots__ = ("cached_canon", "cached_features", "cached_text", "nodes")

    def __init__(self, nodes: list[Node]) -> None:
        self.nodes = nodes
        self.cached_canon: str | None = None
        self.cached_text: str | None = None
        self.cached_features: frozenset[str] | None = None


Unit = Element | Run


def canonical_start_tag(el: Element) -> str:
    """Start tag with attributes and classes sorted."""
    parts = [f"<{el.name}"]
    for name, value in sorted(el.attrs, key=lambda a: a[0]):
        if value is None:
            parts.append(f" {name}")
        else:
            if name == "class":
                value = " ".join(sorted(value.split()))
            parts.append(f' {name}="{escape_html(value)}"')
    parts.append(">")
    return "".join(parts)


def _canonical_inline(nodes: Iterable[Node], verbatim: bool) -> str:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Element):
            parts.append(canonical(node, verbatim))
        elif isinstance(node, Raw):
            continue
        elif verbatim:
            parts.append(escape_html(node))
        else:
            parts.append(escape_html(_SPACES.sub(" ", node)))
    return "".join(parts)


def canonical(el: Element, verbatim: bool = False) -> str:
    """Canonical form of *el*: its units one a line when it is a container."""
    if el.cached_canon is not None:
        return el.cached_canon
    verbatim = verbatim or el.name in VERBATIM_ELEMENTS
    if verbatim or el.name in ATOMIC_ELEMENTS:
        body = _canonical_inline(el.children, verbatim)
    elif is_container(el):
        body = "\n".join(unit_canonical(unit) for unit in units(el))
    else:
        body = _canonical_inline(el.children, False).strip(" ")
    result = canonical_start_tag(el) + body + end_tag(el)
    el.cached_canon = result
    return result


def is_container(el: Element) -> bool:
    """Whether *el* holds blocks, and so is diffed unit by unit rather than as text."""
    if el.name in VERBATIM_ELEMENTS or el.name in ATOMIC_ELEMENTS:
        return False
    return any(isinstance(c, Element) and c.name in BLOCK_ELEMENTS for c in el.children)


def units(el: Element) -> list[Unit]:
    """The children of *el* as blocks and inline runs (whitespace-only runs dropped)."""
    if el.cached_units is not None:
        return el.cached_units
    found: list[Unit] = []
    run: list[Node] = []

    def flush() -> None:
        if any(isinstance(n, Element) or (type(n) is str and n.strip()) for n in run):
            found.append(Run(run[:]))
        run.clear()

    for child in el.children:
        if isinstance(child, Element) and child.name in BLOCK_ELEMENTS:
            flush()
            found.append(child)
        elif isinstance(child, Raw):
            continue
        else:
            run.append(child)
    flush()
    el.cached_units = found
    return found


def unit_canonical(unit: Unit) -> str:
    if isinstance(unit, Element):
        return canonical(unit)
    if unit.cached_canon is None:
        unit.cached_canon = _canonical_inline(unit.nodes, False).strip(" ")
    return unit.cached_canon
