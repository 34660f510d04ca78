"""What tables say themselves, in zh, fr and en.

Kept here rather than in ``i18n.UI_TEXT`` because counts need plural forms
(and French agreement) that a flat key → text mapping cannot express.
"""

from __future__ import annotations

import datetime as dt

from ..common.languages import supported_language
from ..i18n import localized_date
from .periods import Shift

# Row states, in the order the summary line lists them.
STATES = ("postponed", "advanced", "changed", "added", "removed")

_STATE: dict[str, dict[str, tuple[str, str]]] = {  # (one, several)
    "en": {
        "postponed": ("postponed", "postponed"),
        "advanced": ("advanced", "advanced"),
        "changed": ("changed", "changed"),
        "added": ("added", "added"),
        "removed": ("removed", "removed"),
    },
    "fr": {
        "postponed": ("reportée", "reportées"),
        "advanced": ("avancée", "avancées"),
        "changed": ("modifiée", "modifiées"),
        "added": ("ajoutée", "ajoutées"),
        "removed": ("supprimée", "supprimées"),
    },
    "zh": {
        "postponed": ("推迟", "推迟"),
        "advanced": ("提前", "提前"),
        "changed": ("修改", "修改"),
        "added": ("新增", "新增"),
        "removed": ("删除", "删除"),
    },
}
_COUNT = {"en": "{n} {word}", "fr": "{n} {word}", "zh": "{n} 项{word}"}
_JOIN = {"en": ", ", "fr": ", ", "zh": "、"}
_NO_CHANGE = {"en": "No changes", "fr": "Aucun changement", "zh": "没有变化"}

_UNITS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {"day": ("day", "days"), "month": ("month", "months"), "quarter": ("quarter", "quarters"), "year": ("year", "years")},
    "fr": {"day": ("jour", "jours"), "month": ("mois", "mois"), "quarter": ("trimestre", "trimestres"), "year": ("an", "ans")},
    "zh": {"day": ("天", "天"), "month": ("个月", "个月"), "quarter": ("个季度", "个季度"), "year": ("年", "年")},
}
_SHIFT = {
    "en": ("later by {n} {unit}", "earlier by {n} {unit}"),
    "fr": ("{n} {unit} plus tard", "{n} {unit} plus tôt"),
    "zh": ("推迟 {n} {unit}", "提前 {n} {unit}"),
}
_TEXT = {
    "en": {"as_of": "as of {date}", "changes": "changes from {start} to {end}", "source": "Source: "},
    "fr": {"as_of": "au {date}", "changes": "changements du {start} au {end}", "source": "Source : "},
    "zh": {"as_of": "截至 {date}", "changes": "{start}至 {end} 的变化", "source": "来源："},
}


def _plural(forms: tuple[str, str], count: int, lang: str) -> str:
    """French counts 0 and 1 as singular, English only 1; Chinese has one form."""
    return forms[0] if count == 1 or (lang == "fr" and count == 0) else forms[1]


def state(name: str, lang: object) -> str:
    """One row's state: "postponed", "reportée", "推迟"."""
    return _STATE[supported_language(lang)][name][0]


def summary(counts: dict[str, int], lang: object) -> str:
    """ "3 postponed, 1 added, 1 removed" / "3 项推迟、1 项新增、1 项删除"."""
    code = supported_language(lang)
    parts = [
        _COUNT[code].format(n=counts[name], word=_plural(_STATE[code][name], counts[name], code)) for name in STATES if counts.get(name)
    ]
    return _JOIN[code].join(parts) if parts else _NO_CHANGE[code]


def moved(change: Shift, lang: object) -> str:
    """ "later by 3 months" / "1 trimestre plus tôt" / "推迟 3 个月"."""
    code = supported_language(lang)
    count = abs(change.amount)
    unit = _plural(_UNITS[code][change.unit], count, code)
    return _SHIFT[code][0 if change.later else 1].format(n=count, unit=unit)


def as_of(date: dt.date, lang: object) -> str:
    return _TEXT[supported_language(lang)]["as_of"].format(date=time_element(date, lang))


def changes(start: dt.date, end: dt.date, lang: object) -> str:
    return _TEXT[supported_language(lang)]["changes"].format(start=time_element(start, lang), end=time_element(end, lang))


def source_label(lang: object) -> str:
    return _TEXT[supported_language(lang)]["source"]


def time_element(date: dt.date, lang: object) -> str:
    """A ``<time>`` element showing *date* in the reader's language."""
    return f'<time datetime="{date.isoformat()}">{localized_date(date, lang)}</time>'
