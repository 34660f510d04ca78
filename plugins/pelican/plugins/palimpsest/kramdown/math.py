"""``$$…$$`` math as kramdown emits it for MathJax.

Inline ``$$x$$`` becomes ``\\(x\\)``; a ``$$`` block standing alone between
blank lines becomes ``\\[x\\]``.  A single ``$`` is plain text.
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

_BLOCK = re.compile(r"\$\$(.*?)\$\$[ \t]*(?:\n|\Z)", re.DOTALL)


def math_block_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    begin = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith("$$", begin):
        return False
    match = _BLOCK.match(state.src, begin)
    if not match:
        return False
    last = start + state.src.count("\n", begin, match.end() - 1)
    if last >= end or (last + 1 < end and not state.isEmpty(last + 1)):
        return False
    if silent:
        return True
    token = state.push("math_block", "math", 0)
    token.content = match.group(1).strip()
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
        token.content = state.src[state.pos + 2 : close]
    state.pos = close + 2
    return True


def render_block(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    return f"\\[{escape_html(tokens[idx].content)}\\]\n"


def render_inline(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    return f"\\({escape_html(tokens[idx].content)}\\)"


def math_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("paragraph", "kramdown_math", math_block_rule)
    md.inline.ruler.before("escape", "kramdown_math", math_inline_rule)
    md.add_render_rule("math_block", render_block)
    md.add_render_rule("math_inline", render_inline)
