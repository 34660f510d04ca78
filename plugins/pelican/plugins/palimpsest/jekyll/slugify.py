"""Jekyll's ``Utils.slugify``, ported from jekyll/utils.rb (4.3) character for character.

Slugs end up in URLs, so one differing character breaks every old link: the
character classes (``\\p{M}\\p{L}\\p{Nd}``), Ruby's ASCII-only ``\\s`` and
I18n's transliteration table for ``latin`` are reproduced exactly.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["SLUGIFY_MODES", "slugify", "transliterate"]

SLUGIFY_MODES = ("raw", "default", "pretty", "ascii", "latin")

_RUBY_SPACE = re.compile(r"[ \t\r\n\f\v]+")  # Ruby's \s is ASCII only
_PRETTY_EXTRA = frozenset("._~!$&'()+,;=@")
_KEPT_CATEGORIES = frozenset({"Mn", "Mc", "Me", "Lu", "Ll", "Lt", "Lm", "Lo", "Nd"})
_EDGE_HYPHEN = re.compile(r"\A-|-\Z")

# I18n's HashTransliterator::DEFAULT_APPROXIMATIONS covers U+00C0..U+017E: each letter's
# base letter (NFKD without marks), except these.
_APPROXIMATION_EXCEPTIONS = {
    "Æ": "AE",
    "Ð": "D",
    "×": "x",
    "Ø": "O",
    "Þ": "Th",
    "ß": "ss",
    "æ": "ae",
    "ð": "d",
    "ø": "o",
    "þ": "th",
    "Đ": "D",
    "đ": "d",
    "Ħ": "H",
    "ħ": "h",
    "ı": "i",
    "ĸ": "k",
    "Ŀ": "L",
    "ŀ": "l",
    "Ł": "L",
    "ł": "l",
    "ŉ": "'n",
    "Ŋ": "NG",
    "ŋ": "ng",
    "Œ": "OE",
    "œ": "oe",
    "Ŧ": "T",
    "ŧ": "t",
}


def _approximation(char: str) -> str:
    if char in _APPROXIMATION_EXCEPTIONS:
        return _APPROXIMATION_EXCEPTIONS[char]
    if 0xC0 <= ord(char) <= 0x17E:
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if base.isascii() and base.isalpha():
            return base
    return "?"


def transliterate(text: str) -> str:
    """``I18n.transliterate`` with its default table: Latin letters lose accents, the rest is ``?``."""
    return "".join(c if c.isascii() else _approximation(c) for c in text)


def _is_kept(char: str, mode: str) -> bool:
    if mode == "ascii":
        return char.isascii() and char.isalnum()
    if mode == "pretty" and char in _PRETTY_EXTRA:
        return True
    return unicodedata.category(char) in _KEPT_CATEGORIES


def _hyphenate(text: str, mode: str) -> str:
    """Every run of characters the mode does not keep becomes one ``-``."""
    if mode == "raw":
        return _RUBY_SPACE.sub("-", text)
    out: list[str] = []
    for char in text:
        if _is_kept(char, mode):
            out.append(char)
        elif not out or out[-1] != "\0":
            out.append("\0")
    return "".join(out).replace("\0", "-")


def slugify(value: object, mode: str | None = "default", cased: bool = False) -> str:
    """Jekyll's slug of *value*: ``none`` (or any unknown mode) only lowers the case;
    ``raw`` replaces whitespace; ``default`` keeps letters, marks and digits;
    ``pretty`` also keeps ``._~!$&'()+,;=@``; ``ascii`` keeps ``[A-Za-z0-9]``;
    ``latin`` transliterates first, then works as ``default``.  *cased* keeps the case."""
    text = "" if value is None else str(value)
    mode = mode or "default"
    if mode not in SLUGIFY_MODES:
        return text if cased else text.lower()
    if mode == "latin":
        text = transliterate(text)
    slug = _EDGE_HYPHEN.sub("", _hyphenate(text, mode))
    return slug if cased else slug.lower()
