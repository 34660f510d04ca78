"""Fenced code blocks as kramdown-parser-gfm reads them, not as CommonMark does.

kramdown's fence is one regular expression (``FENCED_CODEBLOCK_MATCH``): a
fence without its closing line is no code block but a paragraph, the content
keeps its indentation, the info string is a single word (``ruby``,
``php?start_inline=1``: the class takes the part before ``?``), and a fence
whose run is longer than needed may give its extra characters to the word.
The search for a closing line is remembered per fence character, so that many
unclosed fences stay linear.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

_OPENING = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_WHITESPACE = re.compile(r"[ \t\r\n\f\v]")
_FAILURES = "_kramdown_fence_failures"


def _line(state: StateBlock, line: int) -> str:
    """The text of *line* inside the current container (``blkIndent`` columns removed)."""
    if state.sCount[line] < state.blkIndent:
        return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
    return state.getLines(line, line + 1, state.blkIndent, False)


def _info_word(rest: str) -> str | None:
    """The single word after the fence (``""`` for none), or None when there are two."""
    word = rest.strip(" \t\r\f\v")
    return None if _WHITESPACE.search(word) else word


def _is_closing(text: str, char: str, length: int) -> bool:
    stripped = text.lstrip(" ")
    if len(text) - len(stripped) > 3 or "\t" in text[: len(text) - len(stripped)]:
        return False
    run = len(stripped) - len(stripped.lstrip(char))
    return run >= length and not stripped[run:].strip(" \t\r\f\v")


def _closing_line(state: StateBlock, start: int, end: int, char: str, length: int) -> int | None:
    """The first line after *start* that closes a fence of *length* *char*s."""
    failures: dict[tuple[str, int, int, str], tuple[int, int]] = state.env.setdefault(_FAILURES, {})
    key = (state.src, state.blkIndent, end, char)
    failed = failures.get(key)
    if failed is not None and start >= failed[0] and length >= failed[1]:
        return None
    line = start + 1
    while line < end:
        empty = state.isEmpty(line)
        if not empty and state.sCount[line] < state.blkIndent:
            break  # the container ends here
        if not empty and _is_closing(_line(state, line), char, length):
            return line
        line += 1
    if failed is None or (start <= failed[0] and length <= failed[1]):
        failures[key] = (start, length)
    return None


def fence_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """kramdown-parser-gfm's ``codeblock_fenced_gfm`` on the lines from *start*."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    opening = _OPENING.fullmatch(_line(state, start))
    if opening is None:
        return False
    run, rest = opening.groups()
    char = run[0]
    # Shorter fences first lend their extra characters to the word, as the regex backtracks.
    for length in range(len(run), 2, -1):
        word = _info_word(run[length:] + rest)
        if word is None:
            continue
        closing = _closing_line(state, start, end, char, length)
        if closing is None:
            continue
        if silent:
            return True
        token = state.push("fence", "code", 0)
        token.markup = run[:length]
        token.info = word
        token.map = [start, closing + 1]
        token.content = state.getLines(start + 1, closing, state.blkIndent, True)
        if word:
            question = word.find("?", 1)
            token.attrSet("class", f"language-{word if question < 0 else word[:question]}")
            token.meta["lang"] = word
        state.line = closing + 1
        return True
    return False


def fences_plugin(md: MarkdownIt) -> None:
    """Replace markdown-it's fence rule by kramdown-parser-gfm's."""
    md.block.ruler.at("fence", fence_rule, {"alt": ["paragraph", "reference", "blockquote", "list"]})
