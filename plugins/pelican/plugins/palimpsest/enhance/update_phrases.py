"""The phrases that open a dated update note, in Chinese, French and English.

A small table of patterns, anchored at the start of a block's text; no
natural-language date library.  Each pattern captures the whole phrase
(``2022 年 2 月 14 日更新``) so that it can be wrapped in ``<time>``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..common.months import month_numbers, month_pattern

FRENCH_MONTHS = month_numbers("fr")
ENGLISH_MONTHS = month_numbers("en", abbreviated=True)
_FR_MONTH = month_pattern(FRENCH_MONTHS)
_EN_MONTH = month_pattern(ENGLISH_MONTHS)
_ISO = r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # 2022 年 2 月 14 日更新：…, 2017年3月12日更新了…, 2021 年 5 月 21 号更新
    ("zh", re.compile(r"(?P<phrase>(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]\s*更新)")),
    # Mise à jour du 14 février 2022 :, Mise à jour le 1er mars 2023 :
    (
        "fr",
        re.compile(
            rf"(?P<phrase>Mise à jour (?:du |le )?(?P<d>\d{{1,2}})(?:er)? (?P<month>{_FR_MONTH}) (?P<y>\d{{4}}))\s*:", re.IGNORECASE
        ),
    ),
    # Mise à jour (14/02/2022) :, Mise à jour du 14/02/2022 :
    ("fr", re.compile(r"(?P<phrase>Mise à jour (?:du |le )?\(?(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\)?)\s*:", re.IGNORECASE)),
    # Update (2022-02-14):, Update 2022-02-14:, Updated on 2022-02-14:
    ("en", re.compile(rf"(?P<phrase>Updated?(?: on)? \(?{_ISO}\)?)\s*:", re.IGNORECASE)),
    # Updated on Feb 14, 2022:, Update (February 14, 2022):
    (
        "en",
        re.compile(rf"(?P<phrase>Updated?(?: on)? \(?(?P<month>{_EN_MONTH})\.? (?P<d>\d{{1,2}}),? (?P<y>\d{{4}})\)?)\s*:", re.IGNORECASE),
    ),
]


@dataclass(frozen=True)
class UpdatePhrase:
    language: str
    start: int
    end: int  # the phrase is text[start:end]
    date: dt.date | None  # None when the phrase names an impossible date
    written: str  # the date as written, for messages


def find_update_phrase(text: str) -> UpdatePhrase | None:
    """The update phrase that *text* starts with (leading spaces allowed), if any."""
    offset = len(text) - len(text.lstrip())
    for language, pattern in PATTERNS:
        match = pattern.match(text, offset)
        if not match:
            continue
        year, day = int(match["y"]), int(match["d"])
        month_name = match.groupdict().get("month")
        if month_name:
            table = FRENCH_MONTHS if language == "fr" else ENGLISH_MONTHS
            month = table[month_name.lower()]
        else:
            month = int(match["m"])
        try:
            date: dt.date | None = dt.date(year, month, day)
        except ValueError:
            date = None
        return UpdatePhrase(language, match.start("phrase"), match.end("phrase"), date, match["phrase"])
    return None
