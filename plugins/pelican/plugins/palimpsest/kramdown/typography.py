"""kramdown's typographic symbols and smart quotes.

markdown-it's ``replacements`` and ``smartquotes`` rules differ from kramdown
(more symbols, other quote heuristics), so both are disabled and kramdown's
span parsers are ported instead: the rules of
``kramdown/parser/kramdown/smart_quotes.rb`` (from RubyPants), applied in the
same order and with the same view of the source text (the character before
a quote counts only if no other span element consumed it).  Ruby's ``\\w``,
``\\s`` and ``\\b`` are ASCII-only, hence ``re.ASCII``.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .options import DEFAULTS, SmartQuotes, entity_char, option_text

_PUNCT = r"""[!"#$%'()*+,\-./:;<=>?@\[\\\]^_`{|}~]"""
_CLOSE = r"""[^ \\\t\r\n\[{(-]"""
_A = re.ASCII
# (pattern, substitutions): an int is a group copied as text, a name a quote.
_QUOTE_RULES: list[tuple[re.Pattern[str], tuple[int | str, ...]]] = [
    (re.compile(r"""("|')(?=[_*]{1,2}\S)""", _A), ("lquote1",)),
    (re.compile(rf"""("|')(?={_PUNCT}(?!\.\.)\B)""", _A), ("rquote1",)),
    (re.compile(r"""(\s?)"'(?=\w)""", _A), (1, "ldquo", "lsquo")),
    (re.compile(r"""(\s?)'"(?=\w)""", _A), (1, "lsquo", "ldquo")),
    (re.compile(r"""(\s?)'(?=\d\ds)""", _A), (1, "rsquo")),
    (re.compile(r"""(\s)('|")(?=\w)""", _A), (1, "lquote2")),
    (re.compile(rf"""({_CLOSE}\s*)('|")""", _A), (1, "rquote2")),
    (re.compile(r"""("|')(?=\s|s\b|\n|\Z)""", _A), ("rquote1",)),
    (re.compile(r"""(.?)'""", re.ASCII | re.DOTALL), (1, "lsquo")),
    (re.compile(r"""(.?)\"""", re.ASCII | re.DOTALL), (1, "ldquo")),
]
_QUOTE_GROUP = {"lquote1": 1, "rquote1": 1, "lquote2": 2, "rquote2": 2}
_QUOTE_CHARS = {
    ("lquote", '"'): "ldquo",
    ("lquote", "'"): "lsquo",
    ("rquote", '"'): "rdquo",
    ("rquote", "'"): "rsquo",
}
_SYMBOLS = {
    "---": "\u2014",
    "--": "\u2013",
    "...": "\u2026",
    "<< ": "\u00ab\u00a0",
    " >>": "\u00a0\u00bb",
    "<<": "\u00ab",
    ">>": "\u00bb",
}
_NAMES = {
    "---": "mdash",
    "--": "ndash",
    "...": "hellip",
    "<< ": "laquo_space",
    " >>": "raquo_space",
    "<<": "laquo",
    ">>": "raquo",
}
_WORK = re.compile(r"[\"']|--|\.\.\.|<<|>>")  # what a typography rule may replace
_START = re.compile(r"""(?=---|--|\.\.\.|<< | >>|<<|>>|[^\\]?["'])""", re.DOTALL)
_QUOTE_START = re.compile(r"""[^\\]?["']""", re.DOTALL)
_SYMBOL = re.compile(r"---|--|\.\.\.|<< | >>|<<|>>")


def quote_chars(quotes: SmartQuotes) -> dict[str, str]:
    """kramdown's ``smart_quotes`` (entity names or code points) as characters by quote."""
    return dict(zip(("lsquo", "rsquo", "ldquo", "rdquo"), (entity_char(quote) for quote in quotes), strict=True))


QUOTES = quote_chars(DEFAULTS.smart_quotes)


def symbol_texts(symbols: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """The text of each symbol's source (``...``), kramdown's or as *symbols* (``typographic_symbols``) give it."""
    texts = {name: option_text(text) for name, text in symbols}
    return {source: texts.get(name, char) for (source, char), name in zip(_SYMBOLS.items(), _NAMES.values(), strict=True)}


def kramdown_typography(
    text: str, before: str = "", after: str = "", quotes: dict[str, str] = QUOTES, symbols: dict[str, str] = _SYMBOLS
) -> str:
    """Apply kramdown's typographic symbols and smart quotes to *text*.

    *before* is the source character just before *text* when no other span
    element consumed it, *after* the source text that follows (lookahead).
    """
    if not _needs_work(text):
        return text
    source = before + text + after
    begin, end = len(before), len(before) + len(text)
    out: list[str] = []
    pos = 0  # the character before *text*, when given, is unconsumed source
    copied = begin  # everything before this index is already in *out*
    while pos < end:
        match = _START.search(source, pos)
        if not match or match.start() >= end:
            break
        at = match.start()
        if _QUOTE_START.match(source, at) and (source[at] in "\"'" or at + 1 < end):
            pos = _apply_quote_rule(source, at, begin, out, quotes, copied)
        else:
            symbol = _SYMBOL.match(source, at)
            if symbol is None or symbol.end() > end:
                pos = at + 1
                continue
            if at > copied:
                out.append(source[copied:at])
            out.append(symbols[symbol.group()])
            pos = symbol.end()
        copied = max(copied, pos)
    out.append(source[copied:end])
    return "".join(out)


def _needs_work(text: str) -> bool:
    return _WORK.search(text) is not None


def _apply_quote_rule(source: str, at: int, begin: int, out: list[str], quotes: dict[str, str], copied: int) -> int:
    if at > copied:
        out.append(source[copied:at])
    for pattern, substitutions in _QUOTE_RULES:
        match = pattern.match(source, at)
        if not match:
            continue
        for item in substitutions:
            if isinstance(item, int):
                start, stop = match.span(item)
                out.append(source[max(start, begin) : stop])
            else:
                name = item
                if item in _QUOTE_GROUP:
                    char = match.group(_QUOTE_GROUP[item])
                    name = _QUOTE_CHARS[(item[:-1], char)]
                out.append(quotes[name])
        return match.end()
    return at + 1  # unreachable: the last two rules always match


# The source text a token stands for, as far as lookahead needs it.
_RAW = {"softbreak": "\n", "hardbreak": "  \n", "link_open": "[", "link_close": "]", "image": "!", "code_inline": "`", "html_inline": "<"}


def _raw(token: Token) -> str:
    if token.type == "text_special" and token.info == "escape":
        return token.markup  # the backslash counts: ``"\[`` is a closing quote, as in kramdown
    if token.type in ("text", "text_special"):
        return token.content
    return _RAW.get(token.type, token.markup or "")


def typography(state: StateCore, quotes: dict[str, str], symbols: dict[str, str] = _SYMBOLS) -> None:
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children = block.children
        for index, token in enumerate(children):
            if token.type != "text" or not _needs_work(token.content):
                continue
            previous = children[index - 1] if index else None
            before = "\n" if previous is not None and previous.type == "softbreak" else ""
            after = "".join(_raw(t) for t in children[index + 1 : index + 4])
            token.content = kramdown_typography(token.content, before, after, quotes, symbols)


def guillemets_rule(state: StateInline, silent: bool) -> bool:
    """``<<`` is kramdown's guillemet before it can open an HTML tag (``<<b>>``)."""
    if not state.src.startswith("<<", state.pos):
        return False
    if not silent:
        state.pending += "<<"
    state.pos += 2
    return True


def typography_plugin(
    md: MarkdownIt,
    *,
    quotes: SmartQuotes = DEFAULTS.smart_quotes,
    symbols: tuple[tuple[str, str], ...] = DEFAULTS.typographic_symbols,
) -> None:
    """kramdown's typographic symbols (texts as *symbols* give them), smart quotes written as *quotes* (its ``smart_quotes``)."""
    chars = quote_chars(quotes)
    texts = symbol_texts(symbols)

    def typography_rule(state: StateCore) -> None:
        typography(state, chars, texts)

    md.disable(["replacements", "smartquotes"], ignoreInvalid=True)
    md.inline.ruler.before("html_inline", "kramdown_guillemets", guillemets_rule)
    md.core.ruler.before("text_join", "kramdown_typography", typography_rule)
