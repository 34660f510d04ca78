"""Strikethrough as kramdown-parser-gfm reads it: ``~~`` to the first ``~~`` after a non-space.

kramdown-parser-gfm matches ``~~(?!\\s|~).*?[^\\s~]~~`` on the raw text and parses
what is between on its own, so the first closer wins whatever the emphasis
around it (``~~a *b~~ c*`` strikes ``a *b``); markdown-it pairs delimiter runs
instead.  This rule replaces markdown-it's strikethrough.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

__all__ = ["strikethrough_plugin"]


@lru_cache(maxsize=4)
def _closers(src: str) -> list[int]:
    """Every ``~~`` right after a character that is neither a space nor ``~``."""
    closers = []
    pos = src.find("~~", 1)
    while pos >= 0:
        before = src[pos - 1]
        if not before.isspace() and before != "~":
            closers.append(pos)
        pos = src.find("~~", pos + 1)
    return closers


def _strikethrough(state: StateInline, silent: bool) -> bool:
    src, start = state.src, state.pos
    if not src.startswith("~~", start) or start + 2 >= state.posMax:
        return False
    first = src[start + 2]
    if first.isspace() or first == "~":
        return False
    closers = _closers(src)
    index = bisect_left(closers, start + 3)
    if index == len(closers) or closers[index] + 2 > state.posMax:
        return False
    closer = closers[index]
    if not silent:
        state.push("s_open", "s", 1).markup = "~~"
        old_max = state.posMax
        state.pos, state.posMax = start + 2, closer
        state.md.inline.tokenize(state)
        state.posMax = old_max
        state.push("s_close", "s", -1).markup = "~~"
    state.pos = closer + 2
    return True


def strikethrough_plugin(md: MarkdownIt) -> None:
    """Replace markdown-it's strikethrough (delimiter pairing) with kramdown-parser-gfm's."""
    md.inline.ruler.at("strikethrough", _strikethrough)
    md.inline.ruler2.disable("strikethrough")
