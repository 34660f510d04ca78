"""Code spans as kramdown reads them (``parse_codespan``), with their span IAL.

kramdown closes a span at the first occurrence of its delimiter (even inside
a longer run), keeps a lone backtick between spaces as text, strips one space
on each side only for multi-backtick delimiters, and lets ``{:.language-x}``
touching the closing backticks choose the highlighting language.  A delimiter
not found once is remembered, so that many unclosed backticks stay linear.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from .attributes import apply_ial, parse_attribute_list

_SPACE = " \t\n\r\f\v"
_FAILURES = "_kramdown_codespan_failures"
_BRACES = "_kramdown_codespan_braces"


def codespan_rule(state: StateInline, silent: bool) -> bool:
    """kramdown's ``parse_codespan`` at ``state.pos``."""
    src, start = state.src, state.pos
    if src[start] != "`":
        return False
    end = start
    while end < state.posMax and src[end] == "`":
        end += 1
    delimiter = src[start:end]
    if len(delimiter) == 1 and (start == 0 or src[start - 1] in _SPACE) and end < state.posMax and src[end] in _SPACE:
        return _literal(state, silent, delimiter)
    # Where the search for this delimiter in this text found nothing (it depends on nothing else).
    failures: dict[tuple[str, int, int], int] = state.env.setdefault(_FAILURES, {})
    key = (src, state.posMax, len(delimiter))
    unclosed = failures.get(key)
    close = -1 if unclosed is not None and end >= unclosed else src.find(delimiter, end, state.posMax)
    if close < 0:
        if unclosed is None or end < unclosed:
            failures[key] = end
        return _literal(state, silent, delimiter)
    state.pos = close + len(delimiter)
    ial_end = _span_ial_end(state, state.pos)
    if not silent:
        text = src[end:close]
        if len(delimiter) > 1:
            text = text[1:] if text.startswith(" ") else text
            text = text[:-1] if text.endswith(" ") else text
        token = state.push("code_inline", "code", 0)
        token.markup = delimiter
        token.content = text
        if ial_end is not None:
            refs: list[str] = []
            apply_ial(token, parse_attribute_list(src[state.pos + 2 : ial_end - 1], refs), refs)
    if ial_end is not None:
        state.pos = ial_end
    return True


def _span_ial_end(state: StateInline, start: int) -> int | None:
    """The end of kramdown's span IAL ``{:…}`` at *start* (the first unescaped ``}`` closes it)."""
    src = state.src
    if not src.startswith("{:", start):
        return None
    # The last search for a brace, remembered: many unclosed ``{:`` stay linear.
    searches: dict[tuple[str, int], tuple[int, int]] = state.env.setdefault(_BRACES, {})
    key = (src, state.posMax)
    begin = start + 2
    memo = searches.get(key)
    if memo is not None and memo[0] <= begin and (memo[1] < 0 or begin <= memo[1]):
        brace = memo[1]
    else:
        brace = src.find("}", begin, state.posMax)
        while brace > 0 and src[brace - 1] == "\\":
            brace = src.find("}", brace + 1, state.posMax)
        searches[key] = (begin, brace)
    return None if brace <= begin else brace + 1


def _literal(state: StateInline, silent: bool, delimiter: str) -> bool:
    if not silent:
        state.pending += delimiter
    state.pos += len(delimiter)
    return True


def codespans_plugin(md: MarkdownIt) -> None:
    """Replace markdown-it's code span rule by kramdown's."""
    md.inline.ruler.at("backticks", codespan_rule)
