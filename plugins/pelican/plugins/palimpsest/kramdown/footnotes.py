"""Footnotes with kramdown's markup: ``fn:name`` ids, ARIA roles, ``&#8617;`` back-links.

The back-link's text is kramdown's ``footnote_backlink`` (empty: no back-link).

A list marked ``{:footnotes}`` (the first one) is where kramdown puts the
footnotes instead of the end of the document; the list itself is not shown.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote import footnote_plugin

from .options import DEFAULTS, option_text


def _label(token: Token) -> str:
    return str(token.meta.get("label") or token.meta["id"] + 1)


def render_ref(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType, first_number: int) -> str:
    token = tokens[idx]
    label = _label(token)
    sub = token.meta.get("subId", 0)
    ref_id = f"fnref:{label}" + (f":{sub}" if sub else "")
    number = token.meta["id"] + first_number
    return f'<sup id="{ref_id}" role="doc-noteref"><a href="#fn:{label}" class="footnote" rel="footnote">{number}</a></sup>'


def render_block_open(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType, first_number: int
) -> str:
    start = f' start="{first_number}"' if first_number != 1 else ""
    return f'<div class="footnotes" role="doc-endnotes">\n  <ol{start}>\n'


def render_block_close(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    return "  </ol>\n</div>\n"


def render_open(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    return f'<li id="fn:{_label(tokens[idx])}" role="doc-endnote">\n'


def render_close(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    return "</li>\n"


def render_anchor(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType, backlink: str = "&#8617;"
) -> str:
    """The back-link(s); after a list or code block, kramdown gives them a paragraph of their own (empty if *backlink* is)."""
    token = tokens[idx]
    label = _label(token)
    sub = token.meta["subId"]
    first = tokens[idx - 1].type != "footnote_anchor"
    last = idx + 1 >= len(tokens) or tokens[idx + 1].type != "footnote_anchor"
    own_paragraph = tokens[idx - (sub + 1)].type != "inline"  # the token before the first anchor
    if not backlink:
        return ("<p>" if first else "") + ("</p>\n" if last else "") if own_paragraph else ""
    if sub:
        link = f'<a href="#fnref:{label}:{sub}" class="reversefootnote" role="doc-backlink">{backlink}<sup>{sub + 1}</sup></a>'
    else:
        link = f'<a href="#fnref:{label}" class="reversefootnote" role="doc-backlink">{backlink}</a>'
    if own_paragraph:
        return ("<p>" if first else "\u00a0") + link + ("</p>\n" if last else "")
    return "\u00a0" + link


_LIST_OPEN = {"bullet_list_open": "bullet_list_close", "ordered_list_open": "ordered_list_close"}


def _marks_footnotes(token: Token) -> bool:
    refs = token.meta.get("ial_refs", ()) if token.type in _LIST_OPEN else ()
    return "footnotes" in refs and "toc" not in refs  # a toc list is the toc (toc.py)


def place_footnotes(state: StateCore) -> None:
    """Put the footnotes where the first ``{:footnotes}`` list is, in place of that list."""
    tokens = state.tokens
    start = next((i for i, token in enumerate(tokens) if token.type == "footnote_block_open"), len(tokens))
    marked = next((i for i, token in enumerate(tokens[:start]) if _marks_footnotes(token)), None)
    if marked is None:
        return
    closing, level = _LIST_OPEN[tokens[marked].type], tokens[marked].level
    close = next(i for i in range(marked + 1, len(tokens)) if tokens[i].type == closing and tokens[i].level == level)
    state.tokens = tokens[:marked] + tokens[start:] + tokens[close + 1 : start]


def footnotes_plugin(md: MarkdownIt, *, first_number: int = DEFAULTS.footnote_nr, backlink: str = DEFAULTS.footnote_backlink) -> None:
    """Footnotes numbered from *first_number* (kramdown's ``footnote_nr``), back-links reading *backlink*."""
    backlink_html = html.escape(option_text(backlink), quote=False)

    def render_backlink(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return render_anchor(self, tokens, idx, options, env, backlink_html)

    def render_numbered_ref(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return render_ref(self, tokens, idx, options, env, first_number)

    def render_numbered_block_open(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return render_block_open(self, tokens, idx, options, env, first_number)

    footnote_plugin(md, inline=False)
    md.add_render_rule("footnote_ref", render_numbered_ref)
    md.add_render_rule("footnote_block_open", render_numbered_block_open)
    md.add_render_rule("footnote_block_close", render_block_close)
    md.add_render_rule("footnote_open", render_open)
    md.add_render_rule("footnote_close", render_close)
    md.add_render_rule("footnote_anchor", render_backlink)
    md.core.ruler.after("footnote_tail", "kramdown_footnote_placement", place_footnotes)
