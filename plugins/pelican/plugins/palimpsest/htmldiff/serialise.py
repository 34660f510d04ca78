"""The tree back to HTML: unchanged content as it was, removed content without its ids."""

from __future__ import annotations

from ..common.elements import RAW_TEXT_ELEMENTS, VOID_ELEMENTS
from ..common.text import escape_html
from .parse import Element, Node, Raw


def start_tag(el: Element, *, strip_id: bool = False, add_class: str | None = None) -> str:
    """The start tag of *el*, without its ``id`` if it is shown as removed, with an extra class if marked."""
    parts = [f"<{el.name}"]
    seen_class = False
    for name, value in el.attrs:
        if strip_id and name == "id":
            continue
        if name == "class" and add_class:
            value = f"{value} {add_class}" if value else add_class
            seen_class = True
        parts.append(f" {name}" if value is None else f' {name}="{escape_html(value)}"')
    if add_class and not seen_class:
        parts.append(f' class="{add_class}"')
    parts.append(">")
    return "".join(parts)


def end_tag(el: Element) -> str:
    return "" if el.name in VOID_ELEMENTS else f"</{el.name}>"


def serialise(node: Node, *, strip_id: bool = False, raw: bool = False) -> str:
    """Source of *node* (ids dropped for content shown as removed)."""
    out: list[str] = []
    _serialise_into(node, out, strip_id, raw)
    return "".join(out)


def _serialise_into(node: Node, out: list[str], strip_id: bool, raw: bool) -> None:
    if isinstance(node, Element):
        out.append(start_tag(node, strip_id=strip_id))
        child_raw = node.name in RAW_TEXT_ELEMENTS
        for child in node.children:
            _serialise_into(child, out, strip_id, child_raw)
        out.append(end_tag(node))
    elif isinstance(node, Raw) or raw:
        out.append(node)
    else:
        out.append(escape_html(node))
