"""Autolinks as kramdown reads them.

kramdown's ``<...>`` autolink is a ``mailto:``, ``http(s):`` or ``ftp(s):`` URL,
or an address of letters (any script), digits and ``-_.`` around an ``@``;
its text drops ``mailto:``, and entities in it are entities (``&amp;`` is
``&``).  markdown-it's email form is ASCII only and keeps ``mailto:`` in the
text, so this rule runs first; other ``<scheme:...>`` stay markdown-it's.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

__all__ = ["autolinks_plugin"]

_CHARS = r"[^\W]|[-.]"  # Ruby's [[:alnum:]] plus - _ .
_EMAIL = re.compile(rf"<((?:{_CHARS})+?@(?:{_CHARS})+?)>")
_SCHEME = re.compile(r"<(?:mailto|https?|ftps?):")


@lru_cache(maxsize=4)
def _line_stops(src: str) -> list[int]:
    """Where each ``>`` and line end is: a URL autolink ends at the first ``>`` of its line."""
    return [index for index, char in enumerate(src) if char in ">\n"]


def _url_end(state: StateInline) -> int:
    """The ``>`` ending a URL autolink at ``state.pos`` (kramdown's ``.+?>``), or -1."""
    scheme = _SCHEME.match(state.src, state.pos, state.posMax)
    if scheme is None:
        return -1
    stops = _line_stops(state.src)
    index = bisect_left(stops, scheme.end() + 1)
    if index == len(stops) or state.src[stops[index]] != ">" or stops[index] >= state.posMax:
        return -1
    return stops[index]


def _autolink(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "<":
        return False
    end = _url_end(state)
    if end >= 0:
        target = html.unescape(state.src[state.pos + 1 : end])
        href = target
    else:
        match = _EMAIL.match(state.src, state.pos, state.posMax)
        if match is None:
            return False
        end = match.end() - 1
        target = html.unescape(match.group(1))
        href = "mailto:" + target
    href = state.md.normalizeLink(href)
    if not state.md.validateLink(href):
        return False
    if not silent:
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": href}
        token.markup, token.info = "autolink", "auto"
        text = state.push("text_special", "", 0)  # no typography (joined into text later)
        text.content = target.removeprefix("mailto:")
        token = state.push("link_close", "a", -1)
        token.markup, token.info = "autolink", "auto"
    state.pos = end + 1
    return True


def autolinks_plugin(md: MarkdownIt) -> None:
    """kramdown's autolinks before markdown-it's."""
    md.inline.ruler.before("autolink", "kramdown_autolink", _autolink)
