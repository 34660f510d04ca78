"""Backslash escapes as kramdown (GFM input) knows them.

kramdown escapes only ``\\ . * _ + ` < > ( ) [ ] { } # ! : | " ' $ = - ~``; a
backslash before any other punctuation stays (``\\&`` is ``\\&amp;``), where
CommonMark escapes all ASCII punctuation.  This rule keeps those backslashes
as text before markdown-it's ``escape`` rule sees them.
"""

from __future__ import annotations

import string

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

__all__ = ["escapes_plugin"]

_KRAMDOWN = frozenset("\\.*_+`<>()[]{}#!:|\"'$=-~")
_KEPT = frozenset(string.punctuation) - _KRAMDOWN


def _kept_backslash(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    if state.src[pos] != "\\" or pos + 1 >= state.posMax or state.src[pos + 1] not in _KEPT:
        return False
    if not silent:
        state.append_pending("\\")
    state.pos = pos + 1
    return True


def escapes_plugin(md: MarkdownIt) -> None:
    """Keep the backslash before punctuation kramdown does not escape."""
    md.inline.ruler.before("escape", "kramdown_kept_backslash", _kept_backslash)
