"""Emphasis as kramdown parses it, not as CommonMark does.

kramdown reads ``*``/``_`` (em) and ``**``/``__`` (strong) left to right: an opener
looks ahead for its first acceptable closer, skipping over nested spans; an
emphasis inside one of the same kind stays text (``*a *b* c*``), a ``_`` right
after a letter stays text (``snake_case``), and a ``**`` that finds no closer
tries again as ``*`` followed by text (``**a *b*`` gives ``<em>*a *b</em>``).
CommonMark's delimiter runs give other trees (``*nest**ed* like**``), so this rule
replaces markdown-it's ``emphasis`` rule.

Each search is remembered at every position it passes, so a run of unclosed
openers stays linear instead of scanning the rest of the paragraph once each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

__all__ = ["emphasis_plugin", "enter", "leave"]

_EM, _STRONG = "em", "strong"

Signature = tuple[bool, bool, str]
Search = tuple[int, str, str, int, Signature]


@dataclass
class _Context:
    """The emphasis elements open around the current position (kramdown's ``@stack``)."""

    open: list[str] = field(default_factory=list)
    # (position, delimiter, element, posMax, open elements) -> the closer's position, or -1
    searches: dict[Search, int] = field(default_factory=dict)
    # markdown-it's skipToken cache (position -> end), one per (signature, posMax): what a span
    # is depends on what is open around it (``__`` is text inside a strong, a link fails...)
    caches: dict[tuple[Signature, int], dict[int, int]] = field(default_factory=dict)

    def signature(self) -> Signature:
        """What of the open elements decides how a span reads: whether an em, a strong is open, the innermost."""
        return (_EM in self.open, _STRONG in self.open, self.open[-1] if self.open else "")

    def enter(self, state: StateInline, element: str) -> dict[int, int]:
        """Open *element*; return the skipToken cache to restore at ``leave``."""
        self.open.append(element)
        saved = state.cache
        state.cache = self.caches.setdefault((self.signature(), state.posMax), {})
        return saved

    def leave(self, state: StateInline, saved: dict[int, int]) -> None:
        state.cache = saved
        self.open.pop()


_CONTEXTS: WeakKeyDictionary[StateInline, _Context] = WeakKeyDictionary()


def _context(state: StateInline) -> _Context:
    context = _CONTEXTS.get(state)
    if context is None:
        context = _CONTEXTS[state] = _Context()
    return context


def enter(state: StateInline, element: str) -> dict[int, int]:
    """Open *element* (``a`` for a link's text) around the spans read next, as kramdown's ``@tree``:
    a ``**`` that finds no closer inside a link's text still tries ``*``.  Returns what ``leave``
    restores (plain calls, not a context manager: this runs for every link)."""
    return _context(state).enter(state, element)


def leave(state: StateInline, saved: dict[int, int]) -> None:
    """Close the element ``enter`` opened."""
    _context(state).leave(state, saved)


def _stays_text(state: StateInline, start: int, marker: str, element: str, context: _Context) -> bool:
    """kramdown's refusals: ``_`` after a word, a space after the opener, or inside its own kind."""
    src = state.src
    after = start + (2 if element == _STRONG else 1)
    if marker == "_" and start > 0:
        before = src[start - 1]
        if str.isalpha(before) or (before == "-" and start > 1 and str.isalpha(src[start - 2])):
            return True
    if after < len(src) and src[after].isspace():
        return True
    return element in context.open


def _closes(state: StateInline, pos: int, delimiter: str, element: str, content_start: int) -> bool:
    """Whether *delimiter* at *pos* ends the span (kramdown's stop condition)."""
    src = state.src
    if not src.startswith(delimiter, pos) or pos == content_start or src[pos - 1].isspace():
        return False
    marker = delimiter[0]
    if element == _EM and src.startswith(marker * 2, pos) and not src.startswith(marker * 3, pos):
        return False
    end = pos + len(delimiter)
    return not (marker == "_" and end < len(src) and src[end].isalnum())


def _find_closer(state: StateInline, content_start: int, delimiter: str, element: str, context: _Context) -> int:
    """The closer's position for a span opened before *content_start*, or -1."""
    searches = context.searches
    key_tail = (delimiter, element, state.posMax, context.signature())
    passed: list[int] = []
    saved = state.pos
    state.pos = content_start
    result = -1
    cache = context.enter(state, element)
    try:
        while state.pos < state.posMax:
            pos = state.pos
            if pos != content_start:
                known = searches.get((pos, *key_tail))
                if known is not None:
                    result = known
                    break
                passed.append(pos)
            if _closes(state, pos, delimiter, element, content_start):
                result = pos
                break
            if state.src[pos] in "*_":
                _emphasis(state, True)
            else:
                state.md.inline.skipToken(state)
    finally:
        context.leave(state, cache)
        state.pos = saved
    for pos in passed:
        searches[(pos, *key_tail)] = result
    return result


def _emphasis(state: StateInline, silent: bool) -> bool:
    start = state.pos
    src = state.src
    marker = src[start]
    if marker not in "*_":
        return False
    context = _context(state)
    strong = start + 1 < state.posMax and src[start + 1] == marker
    element = _STRONG if strong else _EM
    opener = marker * 2 if strong else marker
    if _stays_text(state, start, marker, element, context):
        return _text(state, opener, silent)
    content_start = start + len(opener)
    closer = _find_closer(state, content_start, opener, element, context)
    delimiter = opener
    if closer < 0 and strong and (not context.open or context.open[-1] != _EM):
        element, delimiter, content_start = _EM, marker, start + 1
        closer = _find_closer(state, content_start, delimiter, element, context)
    if closer < 0:
        return _text(state, opener, silent)
    if not silent:
        tag = "strong" if element == _STRONG else "em"
        token = state.push(f"{tag}_open", tag, 1)
        token.markup = delimiter
        old_max = state.posMax
        state.pos, state.posMax = content_start, closer
        cache = context.enter(state, element)
        try:
            state.md.inline.tokenize(state)
        finally:
            context.leave(state, cache)
            state.posMax = old_max
        token = state.push(f"{tag}_close", tag, -1)
        token.markup = delimiter
    state.pos = closer + len(delimiter)
    return True


def _text(state: StateInline, opener: str, silent: bool) -> bool:
    if not silent:
        state.append_pending(opener)
    state.pos += len(opener)
    return True


def emphasis_plugin(md: MarkdownIt) -> None:
    """Replace CommonMark's emphasis with kramdown's."""
    md.inline.ruler.at("emphasis", _emphasis)
    md.inline.ruler2.disable("emphasis")
