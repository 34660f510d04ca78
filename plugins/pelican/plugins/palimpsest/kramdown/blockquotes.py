"""Blockquotes as kramdown reads them: every line up to a lazy end is quoted.

CommonMark continues a blockquote on a line without ``>`` only while that
line continues a paragraph (``> quote`` then ``### title`` ends the quote).
kramdown takes the lines from the first ``>`` up to its ``LAZY_END`` (a
blank line, an IAL or ALD line, an end-of-block marker, a block HTML tag,
the end of the text), removes ``> ?`` from those that have it, and parses
the result as blocks: ``### title`` is a heading inside the quote, ``-``
continues its paragraph.  Line numbers stay the document's (the lines are
narrowed in place, as markdown-it's own blockquote rule does).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from .attributes import IAL_LINE
from .end_of_block import is_marker
from .html_tags import SPAN_ELEMENTS

__all__ = ["blockquotes_plugin", "is_lazy_end", "starts_block_tag"]

# kramdown's LAZY_END_HTML_SPAN_ELEMENTS: its span elements and script (html_tags adds strike)
_LAZY_SPAN_ELEMENTS = (SPAN_ELEMENTS - {"strike"}) | {"script"}
_NAME = r"[^\W\d][\w.-]*(?::[^\W\d][\w.-]*)?"
_HTML_START = re.compile(rf" {{0,3}}<({_NAME})")
_HTML_STOP = re.compile(rf" {{0,3}}</({_NAME})\s*>")
_WORD = re.compile(r"\w*")
# a list item's marker, for a line outdented from the list item holding the quote
_ITEM_START = re.compile(r" {0,3}(?:[*+-]|\d+\.)[ \t]")


def is_lazy_end(line: str) -> bool:
    """kramdown's ``LAZY_END`` on *line*, written as in its container (its own indentation kept)."""
    return not line.strip() or bool(IAL_LINE.match(line)) or is_marker(line) or starts_block_tag(line)


def starts_block_tag(line: str) -> bool:
    """Whether *line* starts (after at most three spaces) with a start or end tag that is no span
    element's: kramdown's ``LAZY_END_HTML_START`` and ``LAZY_END_HTML_STOP``."""
    tag = _HTML_STOP.match(line) or _HTML_START.match(line)
    return tag is not None and _word(tag.group(1)) not in _LAZY_SPAN_ELEMENTS


def _word(name: str) -> str:
    """The letters, digits and ``_`` that start *name* (kramdown's ``span\\b`` test)."""
    match = _WORD.match(name)
    return match.group() if match else ""


def _content(state: StateBlock, line: int) -> str:
    """*line* as its container holds it: without the container's indentation."""
    begin = state.bMarks[line]
    strip = min(state.blkIndent, state.tShift[line])
    return state.src[begin + strip : state.eMarks[line]]


def _quoted_end(state: StateBlock, start: int, end: int) -> int:
    """The line after the blockquote starting at *start*: its first lazy end, or an outdented list item."""
    line = start + 1
    while line < end:
        if is_lazy_end(_content(state, line)):
            break
        if state.sCount[line] < state.blkIndent and _ITEM_START.match(state.src, state.bMarks[line], state.eMarks[line]):
            break
        line += 1
    return line


def _unquote(state: StateBlock, line: int, indent: int) -> None:
    """Narrow *line* to its content: past ``>`` and one space (kramdown's ``> ?``; a tab stays,
    its columns counted from the content's start), or past the *indent* columns of the container
    it is a lazy line of."""
    pos = state.bMarks[line] + state.tShift[line]
    end = state.eMarks[line]
    if state.sCount[line] - indent >= 4 or pos >= end or state.src[pos] != ">":
        strip = min(indent, state.tShift[line]) if not state.src[state.bMarks[line] : pos].strip(" ") else 0
        state.bMarks[line] += strip
        state.tShift[line] -= strip
        state.sCount[line] = max(0, state.sCount[line] - indent)
        return
    pos += 2 if state.src.startswith("> ", pos) else 1
    state.bMarks[line] = pos
    column = 0
    while pos < end and state.src[pos] in " \t":
        column += 4 - column % 4 if state.src[pos] == "\t" else 1
        pos += 1
    state.bsCount[line] = 0
    state.sCount[line] = column
    state.tShift[line] = pos - state.bMarks[line]


def blockquote_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """``>`` at most three columns in: the quote runs to kramdown's lazy end."""
    if state.is_code_block(start):
        return False
    pos = state.bMarks[start] + state.tShift[start]
    if pos >= state.eMarks[start] or state.src[pos] != ">":
        return False
    if silent:
        return True
    after = _quoted_end(state, start, end)
    saved = [(state.bMarks[i], state.tShift[i], state.sCount[i], state.bsCount[i]) for i in range(start, after)]
    indent = state.blkIndent
    for line in range(start, after):
        _unquote(state, line, indent)
    old_parent, old_max = state.parentType, state.lineMax
    state.parentType, state.lineMax, state.blkIndent = "blockquote", after, 0
    token = state.push("blockquote_open", "blockquote", 1)
    token.markup = ">"
    token.map = [start, after]
    state.md.block.tokenize(state, start, after)
    token = state.push("blockquote_close", "blockquote", -1)
    token.markup = ">"
    state.parentType, state.lineMax, state.blkIndent = old_parent, old_max, indent
    for line, (begin, shift, count, bs_count) in zip(range(start, after), saved, strict=True):
        state.bMarks[line], state.tShift[line], state.sCount[line], state.bsCount[line] = begin, shift, count, bs_count
    state.line = after
    return True


def blockquotes_plugin(md: MarkdownIt) -> None:
    """Replace markdown-it's blockquote rule with kramdown's."""
    original = md.block.ruler.__rules__[md.block.ruler.__find__("blockquote")]
    md.block.ruler.at("blockquote", blockquote_rule, {"alt": list(original.alt)})
