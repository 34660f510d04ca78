"""kramdown's ``hard_wrap``: with it, every newline of a paragraph is a line break.

kramdown's GFM parser then drops its own line-break syntax: two trailing
spaces and a backslash before the newline stay in the text
(``one  <br />``, ``two\\<br />``).  markdown-it's ``breaks`` option turns
newlines into ``<br />``; one inline rule, ahead of markdown-it's
``newline`` and ``escape``, keeps the spaces and the backslash.

Without it, kramdown's line break is two spaces or two backslashes before
the newline (or, as in GFM, one backslash): spaces beyond those two stay in
the text (``line <br />``).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from .options import DEFAULTS


def hard_wrap_rule(state: StateInline, silent: bool) -> bool:
    """A newline is a soft break (rendered ``<br />``), whatever comes before it."""
    src, pos = state.src, state.pos
    if src.startswith("\\\n", pos):
        if not silent:
            state.pending += "\\"
        state.pos += 1
        return True
    if src[pos] != "\n":
        return False
    if not silent:
        state.push("softbreak", "br", 0)
    pos += 1
    while pos < state.posMax and src[pos] in " \t":
        pos += 1
    state.pos = pos
    return True


def line_break_rule(state: StateInline, silent: bool) -> bool:
    """kramdown's ``  `` or ``\\\\`` before a newline (a lone ``\\`` is markdown-it's ``escape``)."""
    src, pos = state.src, state.pos
    if src.startswith("\\\\\n", pos):
        pos += 2
    elif src[pos] != "\n" or not state.pending.endswith("  "):
        return False
    elif not silent:
        state.pending = state.pending[:-2]
    if not silent:
        state.push("hardbreak", "br", 0)
    pos += 1
    while pos < state.posMax and src[pos] in " \t":
        pos += 1
    state.pos = pos
    return True


def line_breaks_plugin(md: MarkdownIt, *, hard_wrap: bool = DEFAULTS.hard_wrap) -> None:
    """Newlines as kramdown renders them with *hard_wrap* (its option of that name)."""
    md.options["breaks"] = hard_wrap
    if hard_wrap:
        md.inline.ruler.before("newline", "kramdown_hard_wrap", hard_wrap_rule)
    else:
        md.inline.ruler.before("newline", "kramdown_line_break", line_break_rule)
