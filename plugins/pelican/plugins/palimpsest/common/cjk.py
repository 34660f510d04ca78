"""The Unicode blocks of Chinese, Japanese and Korean text, in one table.

CJK text has no spaces between words, so a character is the unit both for the
diff (each one is a token) and for reading time (characters per minute).  The
table covers letters, and the punctuation and symbols written with them
(``。``, ``，``, ``「」``): a module counting only what is read keeps the
letters (``\\w``) among the matches.
"""

from __future__ import annotations

import re

CJK_BLOCKS: tuple[tuple[str, str, str], ...] = (
    ("\u1100", "\u11ff", "Hangul Jamo"),
    ("\u2e80", "\u2fdf", "CJK radicals supplement, Kangxi radicals"),
    ("\u3000", "\u303f", "CJK symbols and punctuation"),
    ("\u3040", "\u309f", "Hiragana"),
    ("\u30a0", "\u30ff", "Katakana"),
    ("\u3100", "\u312f", "Bopomofo"),
    ("\u3130", "\u318f", "Hangul compatibility Jamo"),
    ("\u31c0", "\u31ff", "CJK strokes, Katakana phonetic extensions"),
    ("\u3200", "\u33ff", "enclosed CJK letters and months, CJK compatibility"),
    ("\u3400", "\u4dbf", "CJK unified ideographs extension A"),
    ("\u4e00", "\u9fff", "CJK unified ideographs"),
    ("\ua960", "\ua97f", "Hangul Jamo extended A"),
    ("\uac00", "\ud7ff", "Hangul syllables, Hangul Jamo extended B"),
    ("\uf900", "\ufaff", "CJK compatibility ideographs"),
    ("\ufe30", "\ufe4f", "CJK compatibility forms (vertical punctuation)"),
    ("\uff00", "\uffef", "halfwidth and fullwidth forms"),
    ("\U00020000", "\U0003134f", "CJK unified ideographs extensions B to G, compatibility supplement"),
)
"""(first, last, Unicode block names) of every CJK range, in code point order."""

CJK_RANGES = "".join(f"{first}-{last}" for first, last, _ in CJK_BLOCKS)
"""The table as the inside of a regular-expression character class: ``[{CJK_RANGES}]``."""

CJK_CHARACTER = re.compile(f"[{CJK_RANGES}]")
"""One CJK character, letter or punctuation."""
