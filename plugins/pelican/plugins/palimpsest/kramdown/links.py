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
may have spaces between their text and their ``[id]``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .emphasis import enter, leave

__all__ = ["links_plugin"]

_BREAK = re.compile(r"\s(?=['\"])")
_PARENTHESIS = re.compile(r"[()]")
_ANGLE_OR_LINE_END = re.compile(r"[>\n]")
_TITLE_END = {quote: re.compile(quote + r"\s*\)") for quote in "'\""}
_DEFINITION_START = re.compile(r"[ ]{0,3}\[([^\n\]]+)\]:[ \t]*")
_SPACED_QUOTE = re.compile(r"[ \t]+[\"']")
_DEFINITION_TOKEN = "kramdown_link_definition"
_REFERENCE_ID = re.compile(r"\s*?\[([^\]]+)?\]")
_ESCAPED = re.compile(r"\\([\\.*_+`<>()\[\]{}#!:|\"'$=-])")


class _Source:
    """Where a paragraph's parentheses balance, its title ends and its space-before-quote breaks are."""

    def __init__(self, src: str) -> None:
        self.matching: dict[int, int] = {}
        opened: list[int] = []
        for paren in _PARENTHESIS.finditer(src):
            if paren.group() == "(":
                opened.append(paren.start())
            elif opened:
                self.matching[opened.pop()] = paren.start()
        self.breaks = [match.start() for match in _BREAK.finditer(src)]
        self.angles = [match.start() for match in _ANGLE_OR_LINE_END.finditer(src)]
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


def _reference(state: StateInline, label_start: int, label_end: int) -> tuple[str, str | None, int, object] | None:
    """kramdown's reference form: ``[text][id]``, ``[text] [id]``, ``[text][]`` or ``[text]``, if defined."""
    src = state.src
    end = label_end + 1
    label = _ESCAPED.sub(r"\1", src[label_start:label_end])
    written = _REFERENCE_ID.match(src, end, state.posMax)
    if written:
        end = written.end()
        label = written.group(1) or label
    references = state.env.get("references") if isinstance(state.env, dict) else None
    definition = references.get(normalizeReference(label)) if isinstance(references, dict) else None
    if not isinstance(definition, dict):
        return None
    return str(definition["href"]), definition.get("title") or None, end, definition.get("block")


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
    saved = enter(state, "a")  # kramdown reads the text as the link's (emphasis.py)
    try:
        label_end = state.md.helpers.parseLinkLabel(state, start + len(opener) - 1, False)
    finally:
        leave(state, saved)
    if label_end < 0:
        return _text(state, opener, silent)
    definition: object = None
    if label_end + 1 < state.posMax and src[label_end + 1] == "(":
        parsed = _destination(state, label_end + 1)
    else:
        reference = _reference(state, label_start, label_end)
        parsed, definition = (reference[:3], reference[3]) if reference is not None else (None, None)
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
        if isinstance(definition, Token):  # a block IAL's attributes on the definition (kramdown's link_defs IAL)
            for key, value in definition.attrs.items():
                if key not in ("href", "src", "title"):
                    token.attrSet(key, value)
        if not image:
            old_max = state.posMax
            state.pos, state.posMax = label_start, label_end
            state.linkLevel += 1
            saved = enter(state, "a")
            try:
                state.md.inline.tokenize(state)
            finally:
                leave(state, saved)
            state.linkLevel -= 1
            state.posMax = old_max
            state.push("link_close", "a", -1)
    state.pos = end
    return True


def _quoted(text: str) -> str | None:
    """The title of *text* when it is a whole quoted string (kramdown: ``(["'])(.+?)\\1``), else None."""
    if len(text) >= 3 and text[0] in "'\"" and text[-1] == text[0]:
        return text[1:-1]
    return None


def _same_line_title(rest: str) -> tuple[str, str] | None:
    """The URL and title when *rest* ends with a title after a space (the earliest such split)."""
    for space in _SPACED_QUOTE.finditer(rest):
        quote = space.end() - 1
        if space.start() > 0 and rest[quote] == rest[-1] and len(rest) - quote >= 3:
            return rest[: space.start()], rest[quote + 1 : -1]
    return None


def _parse_definition(first: str, second: str | None) -> tuple[str, str, str | None, int] | None:
    """kramdown's ``LINK_DEFINITION_START`` on one or two lines: id, URL, title, lines used."""
    start = _DEFINITION_START.match(first)
    if start is None:
        return None
    rest = first[start.end() :].rstrip(" \t")
    next_title = _quoted(second.strip(" \t")) if second is not None else None
    if rest.startswith("<") and ">" in rest:
        close = rest.index(">")
        url, after = rest[1:close], rest[close + 1 :]
        if not after.strip(" \t"):
            return (start.group(1), url, next_title, 2) if next_title is not None else (start.group(1), url, None, 1)
        title = _quoted(after.lstrip(" \t")) if after[:1] in " \t" else None
        if title is not None:
            return start.group(1), url, title, 1
    if not rest.strip():
        return None
    same_line = _same_line_title(rest)
    if same_line is not None:
        url, title, lines = same_line[0], same_line[1], 1
    elif next_title is not None:
        url, title, lines = rest, next_title, 2
    else:
        url, title, lines = rest, None, 1
    return None if _SPACED_QUOTE.search(url) else (start.group(1), url, title, lines)


def _definition(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """kramdown's link definition: its URL may hold spaces, a later one with the same id wins."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    if state.src[begin : begin + 1] != "[":
        return False
    first = state.getLines(start_line, start_line + 1, state.blkIndent, False)
    second = state.getLines(start_line + 1, start_line + 2, state.blkIndent, False) if start_line + 1 < end_line else None
    parsed = _parse_definition(first, second)
    if parsed is None:
        return False
    if not silent:
        label, url, title, lines = parsed
        block = state.push(_DEFINITION_TOKEN + "_open", "", 1)  # invisible, so block IALs reach it
        block.map, block.hidden = [start_line, start_line + lines], True
        state.push(_DEFINITION_TOKEN + "_close", "", -1).hidden = True
        references = state.env.setdefault("references", {})
        references[normalizeReference(label)] = {"href": url, "title": title or "", "block": block}
        state.line = start_line + lines
    return True


def _keep(url: str) -> str:
    return url


def links_plugin(md: MarkdownIt) -> None:
    setattr(md, "normalizeLink", _keep)  # noqa: B010 (an instance hook; mypy refuses assigning to a method)
    setattr(md, "normalizeLinkText", _keep)  # noqa: B010
    md.inline.ruler.at("link", _link)
    md.inline.ruler.at("image", _link)
    md.block.ruler.before("reference", "kramdown_link_definition", _definition)
    for suffix in ("_open", "_close"):
        md.add_render_rule(_DEFINITION_TOKEN + suffix, lambda *args: "")
