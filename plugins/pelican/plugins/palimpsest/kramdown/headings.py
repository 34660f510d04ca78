"""Heading ids as kramdown's GFM parser makes them.

``generate_gfm_header_id``: the heading's text, lower-cased, every
character that is not a word character, ``-``, space or tab removed, each
space or tab turned into ``-`` (runs are not collapsed), duplicates numbered
``-1``, ``-2``…  Chinese headings keep their characters: ``居留``, ``居留-1``.
An explicit ``{#id}`` at the end of the heading wins.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_NON_WORD = re.compile(r"[^\w\- \t]")
_EXPLICIT_ID = re.compile(r"[ \t]+\{#([A-Za-z][\w:-]*)\}[ \t]*$")


def gfm_heading_id(text: str, counter: dict[str, int]) -> str:
    """Return the id for a heading whose text is *text*, updating *counter*."""
    base = _NON_WORD.sub("", text.lower()).replace(" ", "-").replace("\t", "-")
    count = counter.get(base, -1) + 1
    counter[base] = count
    return f"{base}-{count}" if count > 0 else base


def heading_text(inline: Token) -> str:
    """The plain text of a heading, without markup or link targets."""
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append("")
    return "".join(parts)


def explicit_heading_ids(state: StateCore) -> None:
    """Strip ``{#id}`` from heading sources before inline parsing."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            match = _EXPLICIT_ID.search(inline.content)
            if match:
                token.attrSet("id", match.group(1))
                inline.content = inline.content[: match.start()]


def heading_ids(state: StateCore) -> None:
    if not state.md.options.get("kramdown_auto_ids", True):
        return
    counter: dict[str, int] = state.env.setdefault("heading_ids", {})
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and not token.attrGet("id"):
            token.attrSet("id", gfm_heading_id(heading_text(tokens[index + 1]), counter))


def headings_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("block", "kramdown_explicit_ids", explicit_heading_ids)
    md.core.ruler.after("text_join", "kramdown_heading_ids", heading_ids)
