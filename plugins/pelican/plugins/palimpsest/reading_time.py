"""Reading time that counts Chinese and Latin text separately.

Minimal Mistakes divides whitespace-separated "words" by
``words_per_minute``; a Chinese paragraph is one "word" to that formula.
Here CJK characters and Latin words are counted apart, each at its own rate.
When a page or site sets ``words_per_minute`` it applies to Latin words,
as in Jekyll.
"""

from __future__ import annotations

import math
import re

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_LATIN_WORD = re.compile(r"[^\s\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u3000-\u303f\uff00-\uffef]+")
CJK_CHARACTERS_PER_MINUTE = 400
WORDS_PER_MINUTE = 220


def count_text(text: str) -> tuple[int, int]:
    """(CJK characters, Latin words) in *text*."""
    cjk = len(CJK.findall(text))
    words = len(_LATIN_WORD.findall(text))
    return cjk, words


def reading_minutes(text: str, words_per_minute: int | None = None, cjk_per_minute: int = CJK_CHARACTERS_PER_MINUTE) -> int:
    """Whole minutes to read *text* (plain text, markup removed), at least 1."""
    cjk, words = count_text(text)
    minutes = cjk / cjk_per_minute + words / (words_per_minute or WORDS_PER_MINUTE)
    return max(1, math.ceil(minutes - 0.25))
