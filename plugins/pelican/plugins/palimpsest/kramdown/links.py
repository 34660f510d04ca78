"""Links as kramdown reads them: inline destinations, and destinations kept as written.

kramdown copies a destination verbatim (``[x](<https://a/b c/中文>)`` keeps
its space and its Chinese); markdown-it percent-encodes it.  Only the
encoding step is replaced: ``validateLink`` still refuses ``javascript:``.
markdown-it documents ``normalizeLink`` and ``normalizeLinkText`` as the
parser's overridable link hooks; they are set on this parser only.

kramdown's inline form is not CommonMark's either: the destination runs to the
``)`` that balances its ``(`` (spaces allowed: ``[a](with spaces.html)``) or
to a space before a quoted title; a link's text may hold brackets and even
link syntax, which stays text (no link in a link); an image's alt is its text
as written; a ``[`` whose ``(...)`` does not parse stays text.  Reference links
(no ``(`` after the text) are left to markdown-it's rules.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.image import image as markdown_it_image
from markdown_it.rules_inline.link import link as markdown_it_link
from markdown_it.token import Token

__all__ = ["links_plugin"]

_BREAK = re.compile(r"\s(?=['\"])")
_TITLE_END = {quote: re.compile(quote + r"\s*\)") for quote in "'\""}
_ESCAPED = re.compile(r"\\([\\.*_+`<>()\[\]{}#!:|\"'$=-])")


class _Source:
    """Where a paragraph's parentheses balance, its title ends and its space-before-quote breaks are."""

    def __init__(self, src: str) -> None:
        self.matching: dict[int, int] = {}
        opened: list[int] = []
        for index, char in enumerate(src):
            if char == "(":
                opened.append(index)
            elif char == ")" and opened:
                self.matching[opened.pop()] = index
        self.breaks = [match.start() for match in _BREAK.finditer(src)]
        self.angles = [index for index, char in enumerate(src) if char in ">\n"]
        self.title_ends = {quote: [(m.start(), m.end()) for m in pattern.finditer(src)] for quote, pattern in _TITLE_END.items()}

    def first_break(self, pos: int) -> int:
        index = bisect_left(self.breaks, pos)
        return self.breaks[index] if index < len(self.breaks) else -1

    def angle_end(self, pos: int) -> int:
        """The first ``>`` or line end from *pos* (the caller checks which), or -1."""
        index = bisect_left(self.angles, pos)
        return self.angles[index] if index < len(self.angles) else -1

    def title_end(self, quote: str, pos: int) -> tuple[int, int] | None:
        ends = self.title_ends[quote]
        index = bisect_left(ends, (pos, 0))
        return ends[index] if index < len(ends) else None


@lru_cache(maxsize=4)
def _source(src: str) -> _Source:
    return _Source(src)


def _title(state: StateInline, pos: int) -> tuple[str, int] | None:
    """kramdown's ``\\s*?(["'])(.+?)\\1\\s*?\\)`` at *pos*: the title and the position after ``)``."""
    src = state.src
    while pos < state.posMax and src[pos].isspace():
        pos += 1
    if pos >= state.posMax or src[pos] not in "'\"":
        return None
    end = _source(src).title_end(src[pos], pos + 2)
    if end is None or end[1] > state.posMax:
        return None
    return src[pos + 1 : end[0]], end[1]


def _destination(state: StateInline, opening: int) -> tuple[str, str | None, int] | None:
    """The destination, title and end of kramdown's ``(...)`` starting at *opening*."""
    src = state.src
    source = _source(src)
    angle = source.angle_end(opening + 2) if src.startswith("(<", opening) else -1
    if angle >= 0 and src[angle] == ">" and angle < state.posMax:
        url, pos = src[opening + 2 : angle], angle + 1
        if pos < state.posMax and src[pos] == ")":
            return url, None, pos + 1
    else:
        closing = source.matching.get(opening, -1)
        space = source.first_break(opening)
        if closing >= 0 and (space < 0 or closing < space) and closing < state.posMax:
            return src[opening + 1 : closing].strip(), None, closing + 1
        if space < 0 or space >= state.posMax:
            return None
        url, pos = src[opening + 1 : space].strip(), space + 1
    title = _title(state, pos)
    return None if title is None else (url, title[0], title[1])


def _text(state: StateInline, opener: str, silent: bool) -> bool:
    if not silent:
        state.append_pending(opener)
    state.pos += len(opener)
    return True


def _link(state: StateInline, silent: bool) -> bool:
    src, start = state.src, state.pos
    image = src.startswith("![", start)
    if not (image or src[start] == "[") or src.startswith("^", start + (2 if image else 1)):
        return False
    opener = "![" if image else "["
    if not image and state.linkLevel > 0:
        return _text(state, opener, silent)  # no link inside a link
    label_start = start + len(opener)
    label_end = state.md.helpers.parseLinkLabel(state, start + len(opener) - 1, False)
    if label_end < 0:
        return _text(state, opener, silent)
    if label_end + 1 >= state.posMax or src[label_end + 1] != "(":
        return (markdown_it_image if image else markdown_it_link)(state, silent)
    parsed = _destination(state, label_end + 1)
    if parsed is None:
        return _text(state, opener, silent)
    url, title, end = parsed
    href = state.md.normalizeLink(url)
    if not state.md.validateLink(href):
        href = ""
    if not silent:
        if image:
            alt = Token("text", "", 0)
            alt.content = _ESCAPED.sub(r"\1", src[label_start:label_end])
            token = state.push("image", "img", 0)
            token.attrs = {"src": href, "alt": ""}
            token.children = [alt]
            token.content = src[label_start:label_end]
        else:
            token = state.push("link_open", "a", 1)
            token.attrs = {"href": href}
        if title is not None:
            token.attrSet("title", title)
        if not image:
            old_max = state.posMax
            state.pos, state.posMax = label_start, label_end
            state.linkLevel += 1
            state.md.inline.tokenize(state)
            state.linkLevel -= 1
            state.posMax = old_max
            state.push("link_close", "a", -1)
    state.pos = end
    return True


def _keep(url: str) -> str:
    return url


def links_plugin(md: MarkdownIt) -> None:
    setattr(md, "normalizeLink", _keep)  # noqa: B010 (an instance hook; mypy refuses assigning to a method)
    setattr(md, "normalizeLinkText", _keep)  # noqa: B010
    md.inline.ruler.at("link", _link)
    md.inline.ruler.at("image", _link)
