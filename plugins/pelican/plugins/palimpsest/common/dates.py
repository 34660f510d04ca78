"""Dates from YAML and front matter, and their English and W3C spellings: one home for all.

Front matter reaches us as ``datetime``/``date`` (ruamel.yaml) or as text
ruamel.yaml leaves alone but Ruby's Psych reads as a timestamp
(``2010-01-07 13:00:00 +0200``).  Month and day names are English whatever
the process locale, as Ruby's ``strftime`` always gives them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from babel.dates import get_day_names, get_month_names

__all__ = [
    "DAYS",
    "MONTHS",
    "as_date",
    "as_datetime",
    "english_strftime",
    "iso_date",
    "parse_timestamp",
    "w3c",
]

# English names from Babel's CLDR data; Babel counts days from Monday (0), as ``weekday()`` does.
MONTHS = tuple(str(get_month_names("wide", locale="en")[number]) for number in range(1, 13))
DAYS = tuple(str(get_day_names("wide", locale="en")[number]) for number in range(7))

# Psych's timestamp (YAML 1.1), plus the ``T``-less forms Ruby's Time.parse takes.
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d*))?)?"
    r"[ \t]*(Z|z|[+-]\d{1,2}(?::?\d{2})?)?)?$"
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_timestamp(text: str, timezone: dt.tzinfo | None = None) -> dt.datetime | None:
    """A YAML 1.1 timestamp as an aware datetime, fractional seconds kept (as Psych keeps them).

    Without a zone the moment is in *timezone* (UTC if none).
    """
    match = _TIMESTAMP.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        moment = dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), micro)
    except ValueError:
        return None
    if zone is None:
        return moment.replace(tzinfo=timezone or dt.timezone.utc)
    if zone in ("Z", "z"):
        return moment.replace(tzinfo=dt.timezone.utc)
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    return moment.replace(tzinfo=dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes)))


def as_datetime(value: object, timezone: dt.tzinfo | None = None) -> dt.datetime | None:
    """A front-matter value as an aware datetime: dates, and times written without zone that YAML
    leaves as text (Jekyll's Time.parse), are in *timezone*."""
    tz = timezone or dt.timezone.utc
    if isinstance(value, dt.datetime):  # a YAML time without zone is UTC, as in Psych
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=tz)
    if isinstance(value, str):
        return parse_timestamp(value, tz)
    return None


def as_date(value: object) -> dt.date | None:
    """A calendar day from a date, a datetime (its own day) or ``YYYY-MM-DD`` text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def w3c(moment: dt.datetime | dt.date) -> str:
    """W3C datetime (sitemaps, feeds): whole seconds with the zone, or the bare day."""
    if isinstance(moment, dt.datetime):
        return moment.isoformat(timespec="seconds")
    return moment.isoformat()


def iso_date(moment: dt.datetime | dt.date) -> str:
    """``YYYY-MM-DD``."""
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"


_ENGLISH: dict[str, Callable[[dt.date], str]] = {
    "a": lambda m: DAYS[m.weekday()][:3],
    "A": lambda m: DAYS[m.weekday()],
    "b": lambda m: MONTHS[m.month - 1][:3],
    "h": lambda m: MONTHS[m.month - 1][:3],
    "B": lambda m: MONTHS[m.month - 1],
    "p": lambda m: "AM" if getattr(m, "hour", 0) < 12 else "PM",
}


def english_strftime(moment: dt.datetime | dt.date, fmt: str) -> str:
    """``strftime`` with English names whatever ``LC_TIME`` says (``%a %A %b %h %B %p``)."""
    out = re.sub(r"%([aAbhBp%])", lambda m: "%%" if m[1] == "%" else _ENGLISH[m[1]](moment), fmt)
    return moment.strftime(out)
