"""``$$…$$`` math as kramdown emits it for MathJax.

Inline ``$$x$$`` becomes ``\\(x\\)``, its TeX stripped of surrounding spaces;
a ``$$`` block standing alone between block boundaries (blank lines, ``^``,
a block IAL) becomes ``\\[x\\]`` (inside a ``<div>`` when an IAL gives it
attributes); it ends at the first ``$$``.  ``\\$$x$$`` alone is a paragraph
of inline math.  A single ``$`` is plain text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from ..common.text import escape_html

_BLOCK = re.compile(r"(\\)?\$\$(.*?)\$\$([ \t]*(?:\n|\Z))?", re.DOTALL)
_BOUNDARY = re.compile(r"[ \t]*|[ \t]{0,3}\^[ \t]*|[ \t]{0,3}\{:(?![:/]).*\}[ \t]*")


def _boundary(state: StateBlock, line: int) -> bool:
    """Whether *line* is a blank line, an end-of-block marker ``^`` or a block IAL (kramdown's block boundary)."""
    return bool(_BOUNDARY.fullmatch(state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]))


def math_block_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """``$$…$$`` alone between block boundaries; ``\\$$…$$`` alone is a paragraph of inline math."""
    if state.is_code_block(start):
        return False
    begin = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith(("$$", "\\$$"), begin):
        return False
    tokens = state.tokens
    if start > 0 and not (tokens and tokens[-1].nesting == 1) and not _boundary(state, start - 1):
        return False
    match = _BLOCK.match(state.src, begin)
    if not match or match.group(3) is None:
        return False
    last = start + state.src.count("\n", begin, match.end(2))
    if last >= end or (last + 1 < end and not _boundary(state, last + 1)):
        return False
    if silent:
        return True
    if match.group(1):
        state.push("paragraph_open", "p", 1).map = [start, last + 1]
        inline = state.push("inline", "", 0)
        inline.content = state.src[begin + 1 : match.end(2) + 2]
        inline.map = [start, last + 1]
        inline.children = []
        state.push("paragraph_close", "p", -1)
    else:
        token = state.push("math_block", "math", 0)
        token.content = match.group(2).strip()
        token.map = [start, last + 1]
        token.block = True
    state.line = last + 1
    return True


def math_inline_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("$$", state.pos):
        return False
    close = state.src.find("$$", state.pos + 2)
    if close < 0 or close >= state.posMax:
        return False
    if not silent:
        token = state.push("math_inline", "math", 0)
        token.content = state.src[state.pos + 2 : close].strip()
    state.pos = close + 2
    return True


def render_block(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    math = f"\\[{escape_html(token.content)}\\]\n"
    if not token.attrs:
        return math
    attributes = "".join(f' {name}="{escape_html(str(value))}"' for name, value in token.attrs.items())
    return f"<div{attributes}>{math}</div>\n"


def render_inline(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    return f"\\({escape_html(tokens[idx].content)}\\)"


def math_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("paragraph", "kramdown_math", math_block_rule)
    md.inline.ruler.before("escape", "kramdown_math", math_inline_rule)
    md.add_render_rule("math_block", render_block)
    md.add_render_rule("math_inline", render_inline)
