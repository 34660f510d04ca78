"""The few words the library and theme say themselves, in zh, fr and en, and
dates in the reader's language (Babel)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

LANGUAGES = ("zh", "fr", "en")
UI_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "notice": "Note", "notice--primary": "Note", "notice--info": "Information",
        "notice--warning": "Warning", "notice--success": "Tip", "notice--danger": "Danger",
        "update": "Update", "updates": "Updates", "updated": "Updated", "recently_updated": "Recently updated",
    },
    "fr": {
        "notice": "Remarque", "notice--primary": "Remarque", "notice--info": "Information",
        "notice--warning": "Avertissement", "notice--success": "Conseil", "notice--danger": "Danger",
        "update": "Mise à jour", "updates": "Mises à jour", "updated": "Mis à jour", "recently_updated": "Mises à jour récentes",
    },
    "zh": {
        "notice": "注意", "notice--primary": "注意", "notice--info": "信息",
        "notice--warning": "警告", "notice--success": "提示", "notice--danger": "危险",
        "update": "更新", "updates": "更新记录", "updated": "更新时间", "recently_updated": "最近更新",
    },
}
_DATE_PATTERNS = {"zh": "y 年 M 月 d 日", "fr": "d MMMM y", "en": "MMMM d, y"}
_BABEL_LOCALES = {"zh": "zh_CN", "fr": "fr_FR", "en": "en_US"}


def language(code: object) -> str:
    """``zh-CN``, ``fr_FR``, ``en`` … → one of :data:`LANGUAGES` (English otherwise)."""
    short = str(code or "en").replace("_", "-").split("-")[0].lower()
    return short if short in LANGUAGES else "en"


def ui_text(key: str, lang: object) -> str:
    return UI_TEXT[language(lang)].get(key, UI_TEXT["en"].get(key, key))


def localized_date(value: dt.date, lang: object) -> str:
    """``2022 年 2 月 14 日`` in zh, ``14 février 2022`` in fr, ``February 14, 2022`` in en."""
    code = language(lang)
    return format_date(value, _DATE_PATTERNS[code], locale=_BABEL_LOCALES[code])
