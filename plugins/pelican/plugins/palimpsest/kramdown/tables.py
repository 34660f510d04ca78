"""GFM tables with kramdown's cell markup.

kramdown writes alignment as ``style="text-align: center"`` (with a space)
and fills an empty cell with a no-break space.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token


def kramdown_cells(state: StateCore) -> None:
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type not in ("td_open", "th_open"):
            continue
        style = token.attrGet("style")
        if style:
            token.attrSet("style", str(style).replace(":", ": "))
        inline = tokens[index + 1]
        if inline.type == "inline" and not inline.content.strip():
            inline.content = ""
            text = Token("text", "", 0)
            text.content = "\u00a0"
            inline.children = [text]


def tables_plugin(md: MarkdownIt) -> None:
    md.enable("table")
    md.core.ruler.after("inline", "kramdown_cells", kramdown_cells)
