"""Month names as writers spell them, from Babel's CLDR data (no hand-written tables).

Update phrases ("Mise à jour du 14 février 2022", "Updated on Sept 3, 2023")
and schedule cells ("fin septembre 2022") name months in words; both read them here.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Literal

from babel.dates import get_month_names

# The CLDR locales whose spellings count for a language: British English adds "Sept".
_CONTEXTS: tuple[Literal["format", "stand-alone"], ...] = ("format", "stand-alone")
_LOCALES = {"en": ("en", "en_GB"), "fr": ("fr",)}


def _without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@cache
def month_numbers(language: str, *, abbreviated: bool = False) -> dict[str, int]:
    """Lower-case month names of *language* (``en`` or ``fr``) → 1-12, each also without accents;
    *abbreviated* adds the short forms (``feb``, ``févr``, ``sept``) without their dot."""
    widths: tuple[Literal["wide", "abbreviated"], ...] = ("wide", "abbreviated") if abbreviated else ("wide",)
    names: dict[str, int] = {}
    for locale in _LOCALES[language]:
        for width in widths:
            for context in _CONTEXTS:
                for number, name in get_month_names(width, context, locale=locale).items():
                    spelled = str(name).lower().rstrip(".")
                    names.setdefault(spelled, int(number))
                    names.setdefault(_without_accents(spelled), int(number))
    return names


def month_pattern(names: dict[str, int]) -> str:
    """A regex alternation of *names*, longest first (``septembre`` before ``sept``)."""
    return "|".join(sorted(names, key=lambda name: (-len(name), name)))
