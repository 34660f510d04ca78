"""kramdown's table of contents: a list marked ``{:toc}`` is replaced by it.

The first list (``ul`` or ``ol``) whose block IAL references ``toc`` (``* TOC
{:toc}``, ``{:toc .toc__menu}``) becomes a list of the same type holding a
link to every heading of the document that has an id, whose level is in
*levels* (kramdown's ``toc_levels``) and whose class does not include ``no_toc``.  Entries are
nested by heading level exactly as ``generate_toc_tree`` in
``kramdown/converter/html.rb`` nests them, and the markup is that of
kramdown's HTML converter: ``<ul id="markdown-toc">`` (the list's own
attributes kept, its id, if any, used instead), ``<li><a href="#ID"
id="markdown-toc-ID">…</a>``, with the heading's inline HTML minus its
footnote references and with links unwrapped.  With no heading, the list
simply disappears.  Later lists marked ``toc`` are left alone, as kramdown
does.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from ..common.text import escape_html
from .options import DEFAULTS

_NO_TOC = re.compile(r"\bno_toc\b")
_LIST_OPEN = frozenset({"bullet_list_open", "ordered_list_open"})


@dataclass
class _Entry:
    level: int
    id: str
    inline: Token | None
    children: list[_Entry] = field(default_factory=list)


def _matching_close(tokens: Sequence[Token], start: int) -> int:
    """Index of the token closing the list opened at *start*."""
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return len(tokens) - 1


def toc_rule(state: StateCore, levels: frozenset[int]) -> None:
    tokens = state.tokens
    start = next(
        (i for i, t in enumerate(tokens) if t.type in _LIST_OPEN and "toc" in (t.meta or {}).get("ial_refs", ())),
        None,
    )
    if start is None:
        return
    stop = _matching_close(tokens, start)
    headings: list[tuple[int, str, Token | None]] = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or start <= index <= stop:
            continue
        heading_id = token.attrGet("id")
        level = int(token.tag[1:])
        if not heading_id or level not in levels or _NO_TOC.search(str(token.attrGet("class") or "")):
            continue
        inline = tokens[index + 1] if index + 1 < len(tokens) and tokens[index + 1].type == "inline" else None
        headings.append((level, str(heading_id), inline))

    opening = tokens[start]
    attrs = {name: value for name, value in opening.attrs.items() if name != "start"}
    toc = Token("kramdown_toc", "ul" if opening.type == "bullet_list_open" else "ol", 0)
    toc.block = True
    toc.level = opening.level
    if opening.map:
        toc.map = [opening.map[0], (tokens[stop].map or opening.map)[1]]
    toc.attrs = attrs
    toc.meta = {"entries": _tree(headings)}
    tokens[start : stop + 1] = [toc]


def _tree(headings: Iterable[tuple[int, str, Token | None]]) -> list[_Entry]:
    """Nest *headings* as kramdown's ``generate_toc_tree`` does."""
    roots: list[_Entry] = []
    stack: list[_Entry] = []
    for level, heading_id, inline in headings:
        entry = _Entry(level, heading_id, inline)
        while stack and stack[-1].level >= level:
            stack.pop()
        (stack[-1].children if stack else roots).append(entry)
        stack.append(entry)
    return roots


def _entry_children(inline: Token | None) -> list[Token]:
    """Copies of the heading's inline tokens, without footnote references and
    link wrappers; copies because render rules may change the tokens they
    render (``code_inline`` adds its classes) and the heading renders too."""
    if inline is None or not inline.children:
        return []
    return [copy.deepcopy(child) for child in inline.children if child.type not in ("footnote_ref", "link_open", "link_close")]


def render_toc(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    entries: list[_Entry] = token.meta["entries"]
    if not entries:
        return ""
    attrs = dict(token.attrs)
    attrs.setdefault("id", "markdown-toc")
    prefix = str(attrs["id"])

    def render_list(items: list[_Entry], indent: int, list_attrs: Mapping[str, object]) -> str:
        html_attrs = "".join(f' {name}="{escape_html(str(value))}"' for name, value in list_attrs.items())
        out = [f"{' ' * indent}<{token.tag}{html_attrs}>\n"]
        for item in items:
            out.append(render_item(item, indent + 2))
        out.append(f"{' ' * indent}</{token.tag}>\n")
        return "".join(out)

    def render_item(item: _Entry, indent: int) -> str:
        inner = self.renderInline(_entry_children(item.inline), options, env)
        body = f'<a href="#{escape_html(item.id)}" id="{escape_html(prefix)}-{escape_html(item.id)}">{inner}</a>'
        if item.children:
            body += render_list(item.children, indent + 2, {})
        closing = " " * indent if body.endswith("\n") else ""
        return f"{' ' * indent}<li>{body}{closing}</li>\n"

    return render_list(entries, 0, attrs)


def toc_plugin(md: MarkdownIt, *, levels: Iterable[int] = DEFAULTS.toc_levels) -> None:
    """Replace the list marked ``{:toc}`` by kramdown's table of contents of the headings of *levels*."""
    wanted = frozenset(levels)

    def toc_levels_rule(state: StateCore) -> None:
        toc_rule(state, wanted)

    md.core.ruler.after("kramdown_heading_ids", "kramdown_toc", toc_levels_rule)
    md.add_render_rule("kramdown_toc", render_toc)
