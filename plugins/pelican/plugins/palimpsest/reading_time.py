"""Reading time that counts Chinese and Latin text separately.

Minimal Mistakes divides whitespace-separated "words" by
``words_per_minute``: a Chinese paragraph is one "word" to that formula,
which is why Chinese blogs set ``words_per_minute: 20``.  Here CJK
characters and Latin words are counted apart, each at its own rate
(published figures: ~300–500 CJK characters and ~200–250 English words a
minute).  A page that sets ``words_per_minute`` gets exactly the number
Jekyll showed for it; a site-wide value is the Latin rate.
"""

from __future__ import annotations

import re

from .common.cjk import CJK_RANGES

# Punctuation is not read: only CJK letters and digits count.
_CJK_LETTER = re.compile(f"(?=[{CJK_RANGES}])\\w")
# A Latin word: a run of neither space nor CJK holding a letter or digit.  Runs first, then a
# search in each: one pattern for both backtracks over a long run with no letter (50,000 ``[``) in
# quadratic time.
_LATIN_RUN = re.compile(f"[^\\s{CJK_RANGES}]+")
_LATIN_LETTER = re.compile("[A-Za-z0-9\u00c0-\u024f]")
CJK_CHARACTERS_PER_MINUTE = 400
WORDS_PER_MINUTE = 220


def count_text(text: str) -> tuple[int, int]:
    """(CJK characters, Latin words) in *text*."""
    words = sum(1 for run in _LATIN_RUN.findall(text) if _LATIN_LETTER.search(run))
    return len(_CJK_LETTER.findall(text)), words


def reading_minutes(text: str, words_per_minute: int = WORDS_PER_MINUTE, cjk_per_minute: int = CJK_CHARACTERS_PER_MINUTE) -> int:
    """Minutes to read *text* (plain text, markup removed), rounded, at least 1."""
    cjk, words = count_text(text)
    return max(1, round(cjk / cjk_per_minute + words / words_per_minute))


def jekyll_reading_minutes(text: str, words_per_minute: int) -> int:
    """Minimal Mistakes' number: whitespace-split words // words_per_minute (0 = "less than 1")."""
    return len(text.split()) // max(1, words_per_minute)
