"""Indented code blocks as kramdown reads them (``CODEBLOCK_MATCH``).

Unlike CommonMark, a non-blank line right after a code line belongs to the
block (lazily, joined to the line before with a space) unless it is an IAL,
an end-of-block marker ``^`` or the start or end of an HTML block element;
and the block ends at ``^`` or an IAL line.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from .end_of_block import is_marker

# kramdown's HTML span elements (and script): their tags do not end a lazy line.
_SPAN = (
    "a|abbr|acronym|b|big|bdo|br|button|cite|code|del|dfn|em|i|img|input|ins|kbd|label|mark|option|q|rb|rbc|rp|rt"
    "|rtc|ruby|samp|select|small|span|strong|sub|sup|tt|u|var|script"
)
_NAME = r"(?:[^\W\d][-\w.]*:)?[^\W\d][-\w.]*"
# A line that is not lazy: an IAL, the end-of-block marker, an HTML block start or end tag.
_NOT_LAZY = re.compile(rf" {{0,3}}(?:\{{:(?![:/])(?:\\\}}|[^}}])+\}}\s*$|</(?!(?:{_SPAN})\b){_NAME}\s*>|<(?!(?:{_SPAN})\b){_NAME})")
_LAZY_JOIN = re.compile(r"\n( {0,3}\S)")
_INDENT = re.compile(r"^(?:\t| {4})", re.MULTILINE)


def _text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] : state.eMarks[line]]


def _is_code_line(state: StateBlock, line: int) -> bool:
    return not state.isEmpty(line) and state.sCount[line] - state.blkIndent >= 4


def _is_lazy_line(state: StateBlock, line: int) -> bool:
    if state.isEmpty(line) or state.sCount[line] < state.blkIndent:
        return False
    text = state.getLines(line, line + 1, state.blkIndent, False)
    return not (is_marker(text) or _NOT_LAZY.match(text))


def indented_code_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """kramdown's ``parse_codeblock`` on the lines from *start*."""
    if not _is_code_line(state, start):
        return False
    if silent:
        return True
    last = start + 1  # the line after the block
    line = start + 1
    while line < end:
        if _is_code_line(state, line) or _is_lazy_line(state, line):
            line += 1
            last = line
            continue
        if not state.isEmpty(line):
            break
        following = line
        while following < end and state.isEmpty(following):
            following += 1
        if following < end and _is_code_line(state, following):
            line = following
            continue
        break
    data = state.getLines(start, last, state.blkIndent, True)
    data = _INDENT.sub("", _LAZY_JOIN.sub(r" \1", data if data.endswith("\n") else data + "\n"))
    token = state.push("code_block", "code", 0)
    token.content = data
    token.map = [start, last]
    state.line = last
    return True


def indented_code_plugin(md: MarkdownIt) -> None:
    """Replace markdown-it's indented code rule by kramdown's."""
    md.block.ruler.at("code", indented_code_rule)
