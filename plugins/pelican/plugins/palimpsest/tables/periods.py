"""Dates and periods as schedules write them, and how far a change moved them.

A schedule cell says ``2021-09``, ``2022-Q3``, ``2021 年 9 月``, ``2022 年第三季度``,
``T3 2022`` or ``fin 2022``; to say "postponed by 5 months" both the old and
the new cell must be read as spans of months.  A small table of patterns
does it (no NLP library): what no pattern matches is plain text, and a
change to it is only "changed".
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from ..common.months import month_numbers, month_pattern

Unit = Literal["day", "month", "quarter", "year"]

_MONTH_NAMES = month_numbers("en") | month_numbers("fr")
_MONTH_NAME = "(" + month_pattern(_MONTH_NAMES) + ")"
_ZH_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4}


@dataclass(frozen=True)
class Period:
    """A span of months (counted from year 0), and how precisely it was written."""

    first: int
    last: int
    unit: Unit
    day: dt.date | None = None


@dataclass(frozen=True)
class Shift:
    """How far, and in which direction, a period moved: *amount* is signed."""

    amount: int
    unit: Unit

    @property
    def later(self) -> bool:
        return self.amount > 0


def _month(year: int, month: int) -> int:
    return year * 12 + month - 1


def _quarter_number(text: str) -> int:
    return _ZH_NUMBERS.get(text) or int(text)


def _day(year: str, month: str, day: str) -> Period | None:
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    index = _month(date.year, date.month)
    return Period(index, index, "day", date)


def _in_month(year: str, month: str) -> Period | None:
    if not 1 <= int(month) <= 12:
        return None
    index = _month(int(year), int(month))
    return Period(index, index, "month")


def _quarters(year: str, first: str, last: str | None = None) -> Period:
    start = _month(int(year), 3 * _quarter_number(first) - 2)
    end = _month(int(year), 3 * _quarter_number(last or first))
    return Period(start, end, "quarter")


def _year(year: str) -> Period:
    return Period(_month(int(year), 1), _month(int(year), 12), "year")


_QUARTER = r"(?:第\s*)?([一二三四1-4])\s*季度"
# (pattern, builder): the groups are handed to the builder in order.
_SPECS: list[tuple[str, Callable[..., Period | None]]] = [
    (r"(\d{4})-(\d{1,2})-(\d{1,2})", _day),
    (r"(\d{4})-(\d{1,2})", _in_month),
    (r"(\d{4})\s*-?\s*q([1-4])", _quarters),
    (r"[qt]([1-4])\s*(\d{4})", lambda quarter, year: _quarters(year, quarter)),
    (r"([1-4])(?:er|e|ème|st|nd|rd|th)\s+(?:trimestre|quarter)\s+(?:de\s+|of\s+)?(\d{4})", lambda quarter, year: _quarters(year, quarter)),
    (r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]", _day),
    (r"(\d{4})\s*年\s*(\d{1,2})\s*月份?", _in_month),
    (r"(\d{4})\s*年\s*" + _QUARTER, _quarters),
    (r"(\d{4})\s*年\s*第\s*([一二三四1-4])\s*(?:季度)?\s*[/、至到~～–-]\s*" + _QUARTER, _quarters),
    (r"(\d{4})\s*年\s*(?:底|末)", lambda year: _quarters(year, "4")),
    (r"(\d{4})\s*年\s*初", lambda year: _quarters(year, "1")),
    (r"(?:fin|end of|late)\s+(\d{4})", lambda year: _quarters(year, "4")),
    (r"(?:début|early|beginning of)\s+(\d{4})", lambda year: _quarters(year, "1")),
    (r"(\d{1,2})(?:er)?\s+" + _MONTH_NAME + r"\s+(\d{4})", lambda day, name, year: _day(year, str(_MONTH_NAMES[name.lower()]), day)),
    (_MONTH_NAME + r"\s+(\d{1,2}),?\s+(\d{4})", lambda name, day, year: _day(year, str(_MONTH_NAMES[name.lower()]), day)),
    (_MONTH_NAME + r"\s+(\d{4})", lambda name, year: _in_month(year, str(_MONTH_NAMES[name.lower()]))),
    (r"(\d{4})\s*年", _year),
]
_PATTERNS = [(re.compile(pattern, re.IGNORECASE), builder) for pattern, builder in _SPECS]
_RANGE = re.compile(r"\s*(?:/|–|—|~|～|至|到|\bto\b|\bau\b)\s*", re.IGNORECASE)


def _single(text: str) -> Period | None:
    for pattern, builder in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return builder(*match.groups())
    return None


def parse_period(text: str) -> Period | None:
    """The span *text* names, or None when it is not a date or period.

    ``2021-12 / 2022-Q1`` and ``2022-Q3/Q4`` are ranges; the second half may
    leave out the year it shares with the first.
    """
    cleaned = " ".join(unicodedata.normalize("NFKC", text).split())
    whole = _single(cleaned)
    if whole is not None:
        return whole
    parts = _RANGE.split(cleaned)
    if len(parts) != 2:
        return None
    start = _single(parts[0])
    if start is None:
        return None
    year = str(start.first // 12)
    for candidate in (parts[1], f"{year}-{parts[1]}", f"{parts[1]} {year}", f"{year} 年{parts[1]}"):
        end = _single(candidate)
        if end is not None and end.last >= start.first:
            return Period(start.first, max(start.last, end.last), start.unit, start.day)
    return None


def shift(old: Period, new: Period) -> Shift | None:
    """How far *new* moved from *old*: by their starts, or their ends when the starts agree.

    Days when both are days, years or quarters when both were written that
    coarsely and the move is whole, months otherwise; None when it did not move.
    """
    if old.day is not None and new.day is not None:
        days = (new.day - old.day).days
        return Shift(days, "day") if days else None
    months = new.first - old.first or new.last - old.last
    if not months:
        return None
    coarse = {old.unit, new.unit}
    if coarse == {"year"} and months % 12 == 0:
        return Shift(months // 12, "year")
    if coarse <= {"quarter", "year"} and months % 3 == 0:
        return Shift(months // 3, "quarter")
    return Shift(months, "month")
