"""Heading ids as kramdown's GFM parser makes them.

``generate_gfm_header_id``: the heading's text, lower-cased, every
character that is not a word character, ``-``, space or tab removed, each
space or tab turned into ``-`` (runs are not collapsed), duplicates numbered
``-1``, ``-2``…  (an inline formula's TeX counts as text, an id left empty
is not written).  Chinese headings keep their characters: ``居留``, ``居留-1``.
An explicit ``{#id}`` at the end of the heading wins.  Options (kramdown's):
``auto_ids=False`` gives no generated ids, ``auto_id_prefix`` is put before
each generated id (duplicates are counted without it, as kramdown does),
``header_offset`` shifts each heading's output level (kept within 1 to 6)
after the table of contents was built from the written levels, as kramdown does.

Every heading of the document is recorded, in order, in ``env["headings"]``
as ``{"level": 2, "id": "居留" or None, "text": "居留"}`` (``text`` is the
heading's plain text, without markup), so that a table of contents can be
built from the tokens rather than from the rendered HTML.  The list is
``env``'s: a caller that renders several texts with one ``env`` gets them
all.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock, heading, lheading
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .end_of_block import after_block_boundary
from .options import DEFAULTS

_NON_WORD = re.compile(r"[^\w\- \t]")
_EXPLICIT_ID = re.compile(r"[ \t]+\{#([A-Za-z][\w:-]*)\}[ \t]*$")
_CLOSING = re.compile(r"[ \t]#+\Z")
_EMPTY_ATX = re.compile(r"#{1,6}[ \t]*")
_UNDERLINE = re.compile(r"(?:=+|-+)[ \t]*")


def gfm_heading_id(text: str, counter: dict[str, int], prefix: str = "") -> str:
    """Return the id for a heading whose text is *text*, updating *counter*."""
    base = _NON_WORD.sub("", text.lower()).replace(" ", "-").replace("\t", "-")
    count = counter.get(base, -1) + 1
    counter[base] = count
    return prefix + (f"{base}-{count}" if count > 0 else base)


def heading_text(inline: Token, math: bool = False) -> str:
    """The plain text of a heading, without markup or link targets (with its *math*'s TeX, for ids)."""
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "text_special", "code_inline") or (math and child.type == "math_inline"):
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
                inline.content = _CLOSING.sub("", inline.content[: match.start()]).rstrip()


def atx_heading_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's ATX heading, but not an empty one (``#`` alone is a paragraph in kramdown) nor
    an indented one (GFM's ``ATX_HEADER_START`` wants ``#`` first on its line)."""
    if state.sCount[start] > state.blkIndent:
        return False
    line = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    return not _EMPTY_ATX.fullmatch(line) and heading(state, start, end, silent)


def setext_heading_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's setext heading, of one line only (kramdown's paragraph takes a later underline),
    its underline not indented (kramdown's ``SETEXT_HEADER_START``), after a block boundary."""
    following = start + 1
    if following >= end or state.sCount[following] != state.blkIndent:
        return False
    underline = state.src[state.bMarks[following] + state.tShift[following] : state.eMarks[following]]
    return bool(_UNDERLINE.fullmatch(underline)) and after_block_boundary(state, start) and lheading(state, start, end, silent)


def heading_ids(state: StateCore, prefix: str) -> None:
    counter: dict[str, int] = state.env.setdefault("heading_ids", {})
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.attrGet("id") is None:
            token.attrSet("id", gfm_heading_id(heading_text(tokens[index + 1], math=True), counter, prefix))


def drop_empty_ids(state: StateCore) -> None:
    """An empty id (``{: id=""}``, or a heading of punctuation only) is not written, as in kramdown."""
    for token in state.tokens:
        if token.type == "heading_open" and token.attrs.get("id") is not None and not str(token.attrs["id"]).strip():
            del token.attrs["id"]


def shift_headings(state: StateCore, offset: int) -> None:
    """kramdown's ``header_offset``: ``<h1>`` written as ``<h{1 + offset}>``, within 1 to 6."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(max(int(token.tag[1:]) + offset, 1), 6)}"


def record_headings(state: StateCore) -> None:
    """Every heading's level, id and plain text, in order, in ``env["headings"]``."""
    headings: list[dict[str, object]] = state.env.setdefault("headings", [])
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            heading_id = token.attrGet("id")
            headings.append(
                {
                    "level": int(token.tag[1:]),
                    "id": None if heading_id is None else str(heading_id),
                    "text": heading_text(tokens[index + 1]),
                }
            )


def headings_plugin(
    md: MarkdownIt,
    *,
    auto_ids: bool = DEFAULTS.auto_ids,
    auto_id_prefix: str = DEFAULTS.auto_id_prefix,
    header_offset: int = DEFAULTS.header_offset,
) -> None:
    """Explicit ``{#id}``s, kramdown's generated ids (*auto_ids*, *auto_id_prefix*), *header_offset*, ``env["headings"]``."""

    def heading_ids_rule(state: StateCore) -> None:
        heading_ids(state, auto_id_prefix)

    md.block.ruler.at("heading", atx_heading_rule, {"alt": ["paragraph", "reference", "blockquote"]})
    md.block.ruler.at("lheading", setext_heading_rule)
    md.core.ruler.after("block", "kramdown_explicit_ids", explicit_heading_ids)
    md.core.ruler.after("text_join", "kramdown_heading_ids", heading_ids_rule)
    if not auto_ids:
        md.core.ruler.disable("kramdown_heading_ids")
    md.core.ruler.after("kramdown_heading_ids", "kramdown_empty_ids", drop_empty_ids)
    md.core.ruler.push("kramdown_headings", record_headings)
    if header_offset:
        md.core.ruler.before("kramdown_headings", "kramdown_header_offset", lambda state: shift_headings(state, header_offset))
