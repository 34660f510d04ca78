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
        "history": "History", "revisions": "revisions", "last_on": "last on", "characters": "characters",
        "no_visible_change": "No visible change", "updates_added": "update(s) added", "tables_changed": "tables changed",
        "diff_previous": "Changes since the previous revision", "diff_current": "Compare with the current version",
        "diff": "Changes", "archived_revision": "Archived revision of", "current_version": "Current version",
        "previous_revision": "Previous revision", "next_revision": "Next revision",
    },
    "fr": {
        "notice": "Remarque", "notice--primary": "Remarque", "notice--info": "Information",
        "notice--warning": "Avertissement", "notice--success": "Conseil", "notice--danger": "Danger",
        "update": "Mise à jour", "updates": "Mises à jour", "updated": "Mis à jour", "recently_updated": "Mises à jour récentes",
        "history": "Historique", "revisions": "révisions", "last_on": "dernière le", "characters": "caractères",
        "no_visible_change": "Aucun changement visible", "updates_added": "mise(s) à jour ajoutée(s)", "tables_changed": "tableaux modifiés",
        "diff_previous": "Changements depuis la révision précédente", "diff_current": "Comparer avec la version actuelle",
        "diff": "Changements", "archived_revision": "Révision archivée du", "current_version": "Version actuelle",
        "previous_revision": "Révision précédente", "next_revision": "Révision suivante",
    },
    "zh": {
        "notice": "注意", "notice--primary": "注意", "notice--info": "信息",
        "notice--warning": "警告", "notice--success": "提示", "notice--danger": "危险",
        "update": "更新", "updates": "更新记录", "updated": "更新时间", "recently_updated": "最近更新",
        "history": "修订历史", "revisions": "个修订版本", "last_on": "最近一次于", "characters": "字符",
        "no_visible_change": "没有可见的改动", "updates_added": "条新增更新", "tables_changed": "表格有改动",
        "diff_previous": "与上一版本的差异", "diff_current": "与当前版本比较",
        "diff": "差异", "archived_revision": "存档版本：", "current_version": "当前版本",
        "previous_revision": "上一版本", "next_revision": "下一版本",
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
