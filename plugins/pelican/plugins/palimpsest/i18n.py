"""The few words the library and theme say themselves, in zh, fr and en, and
dates in the reader's language (Babel)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from babel.dates import format_date

from .common.languages import primary_subtag, supported_language

UI_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "notice": "Note",
        "notice--primary": "Note",
        "notice--info": "Information",
        "notice--warning": "Warning",
        "notice--success": "Tip",
        "notice--danger": "Danger",
        "update": "Update",
        "updates": "Updates",
        "updated": "Updated",
        "recently_updated": "Recently updated",
        "colon": ": ",
        "revisions_summary": "{n} revisions, last on {date}",
        "reading_time": "{n} min read",
        "reading_time_short": "less than 1 min read",
        "previous": "Previous",
        "next": "Next",
        "on_this_page": "On this page",
        "tags": "Tags",
        "page_not_found": "Page not found",
        "page_not_found_text": "This page does not exist, or no longer does.",
        "home": "Home",
        "newer": "Newer",
        "older": "Older",
        "read_more": "Read more",
        "skip_to_content": "Skip to content",
        "collection": "Collection",
        "updated_short": "updated",
        "legend_added": "added",
        "legend_removed": "removed",
        "history": "History",
        "archives": "Archives",
        "revisions": "revisions",
        "last_on": "last on",
        "characters": "characters",
        "no_visible_change": "No visible change",
        "updates_added": "update(s) added",
        "tables_changed": "tables changed",
        "diff_previous": "Changes since the previous revision",
        "diff_current": "Compare with the current version",
        "diff": "Changes",
        "archived_revision": "Archived revision of",
        "current_version": "Current version",
        "previous_revision": "Previous revision",
        "next_revision": "Next revision",
        "search": "Search",
        "search_placeholder": "Search the site",
        "related_label": "You may also enjoy",
        "follow_label": "Follow:",
        "recent_posts": "Recent posts",
        "categories": "Categories",
        "posts_by_year": "Posts by year",
        "more_label": "Learn more",
        "feed_label": "Feed",
        "powered_by": "Powered by",
        "location_label": "Location",
    },
    "fr": {
        "notice": "Remarque",
        "notice--primary": "Remarque",
        "notice--info": "Information",
        "notice--warning": "Avertissement",
        "notice--success": "Conseil",
        "notice--danger": "Danger",
        "update": "Mise à jour",
        "updates": "Mises à jour",
        "updated": "Mis à jour",
        "recently_updated": "Mises à jour récentes",
        "colon": " : ",
        "revisions_summary": "{n} révisions, la dernière le {date}",
        "reading_time": "{n} min de lecture",
        "reading_time_short": "moins d’une minute de lecture",
        "previous": "Précédent",
        "next": "Suivant",
        "on_this_page": "Sur cette page",
        "tags": "Étiquettes",
        "page_not_found": "Page introuvable",
        "page_not_found_text": "Cette page n’existe pas, ou plus.",
        "home": "Accueil",
        "newer": "Plus récents",
        "older": "Plus anciens",
        "read_more": "Lire la suite",
        "skip_to_content": "Aller au contenu",
        "collection": "Collection",
        "updated_short": "mis à jour",
        "legend_added": "ajouté",
        "legend_removed": "supprimé",
        "history": "Historique",
        "archives": "Archives",
        "revisions": "révisions",
        "last_on": "dernière le",
        "characters": "caractères",
        "no_visible_change": "Aucun changement visible",
        "updates_added": "mise(s) à jour ajoutée(s)",
        "tables_changed": "tableaux modifiés",
        "diff_previous": "Changements depuis la révision précédente",
        "diff_current": "Comparer avec la version actuelle",
        "diff": "Changements",
        "archived_revision": "Révision archivée du",
        "current_version": "Version actuelle",
        "previous_revision": "Révision précédente",
        "next_revision": "Révision suivante",
        "search": "Rechercher",
        "search_placeholder": "Rechercher sur le site",
        "related_label": "Vous aimerez aussi",
        "follow_label": "Suivre :",
        "recent_posts": "Articles récents",
        "categories": "Catégories",
        "posts_by_year": "Articles par année",
        "more_label": "En savoir plus",
        "feed_label": "Flux",
        "powered_by": "Propulsé par",
        "location_label": "Lieu",
    },
    "zh": {
        "notice": "注意",
        "notice--primary": "注意",
        "notice--info": "信息",
        "notice--warning": "警告",
        "notice--success": "提示",
        "notice--danger": "危险",
        "update": "更新",
        "updates": "更新记录",
        "updated": "更新时间",
        "recently_updated": "最近更新",
        "colon": "：",
        "revisions_summary": "{n} 个修订版本，最近一次于 {date}",
        "reading_time": "{n} 分钟阅读",
        "reading_time_short": "不到 1 分钟阅读",
        "previous": "上一篇",
        "next": "下一篇",
        "on_this_page": "本页目录",
        "tags": "标签",
        "page_not_found": "页面不存在",
        "page_not_found_text": "这个页面不存在，或者已被删除。",
        "home": "首页",
        "newer": "较新",
        "older": "较早",
        "read_more": "阅读全文",
        "skip_to_content": "跳到正文",
        "collection": "合集",
        "updated_short": "更新于",
        "legend_added": "新增",
        "legend_removed": "删除",
        "history": "修订历史",
        "archives": "归档",
        "revisions": "个修订版本",
        "last_on": "最近一次于",
        "characters": "字符",
        "no_visible_change": "没有可见的改动",
        "updates_added": "条新增更新",
        "tables_changed": "表格有改动",
        "diff_previous": "与上一版本的差异",
        "diff_current": "与当前版本比较",
        "diff": "差异",
        "archived_revision": "存档版本：",
        "current_version": "当前版本",
        "previous_revision": "上一版本",
        "next_revision": "下一版本",
        "search": "搜索",
        "search_placeholder": "搜索本站",
        "related_label": "猜您还喜欢",
        "follow_label": "关注：",
        "recent_posts": "最新文章",
        "categories": "分类",
        "posts_by_year": "按年份归档",
        "more_label": "了解更多",
        "feed_label": "订阅",
        "powered_by": "技术来自于",
        "location_label": "所在地",
    },
}
_DATE_PATTERNS = {"zh": "y 年 M 月 d 日", "fr": "d MMMM y", "en": "MMMM d, y"}
_BABEL_LOCALES = {"zh": "zh_CN", "fr": "fr_FR", "en": "en_US"}


# Our words that Minimal Mistakes' ``_data/ui-text.yml`` also has, under its own key: a site's
# ui-text.yml then speaks for the theme too.  Keys that are the same in both need no entry.
MINIMAL_MISTAKES_KEYS: dict[str, str] = {
    "skip_to_content": "skip_content",
    "on_this_page": "toc_label",
    "previous": "pagination_previous",
    "next": "pagination_next",
    "home": "breadcrumb_home_label",
    "read_more": "more_label",
    "search_placeholder": "search_placeholder_text",
}


def ui_text(key: str, lang: object) -> str:
    return UI_TEXT[supported_language(lang)].get(key, UI_TEXT["en"].get(key, key))


def _site_locale(site_text: Mapping[str, Any], lang: object) -> Mapping[str, Any]:
    """The ui-text.yml entries for *lang*: its exact locale (``zh-CN``), else its language (``zh``),
    else a locale of that language (``fr-FR`` for ``fr``)."""
    code = str(lang or "").replace("_", "-")
    short = primary_subtag(code)
    candidates = [code, short, *sorted(k for k in site_text if isinstance(k, str) and primary_subtag(k) == short)]
    for candidate in candidates:
        entries = site_text.get(candidate)
        if isinstance(entries, Mapping):
            return entries
    return {}


def site_ui_text(site_text: Mapping[str, Any] | None, key: str, lang: object) -> str:
    """A UI word: the site's ``_data/ui-text.yml`` (Minimal Mistakes' format: locale → key → text)
    first, then the theme's own zh/fr/en words."""
    if site_text:
        entries = _site_locale(site_text, lang)
        value = entries.get(MINIMAL_MISTAKES_KEYS.get(key, key))
        if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value).strip():
            return str(value)
    return ui_text(key, lang)


def reading_time_text(minutes: int, lang: object) -> str:
    """``4 分钟阅读``, ``4 min de lecture``, ``4 min read``."""
    if minutes < 1:
        return ui_text("reading_time_short", lang)
    return ui_text("reading_time", lang).format(n=minutes)


def localized_date(value: dt.date, lang: object) -> str:
    """``2022 年 2 月 14 日`` in zh, ``14 février 2022`` in fr, ``February 14, 2022`` in en."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return _formatted_day(day, supported_language(lang))


@lru_cache(maxsize=4096)
def _formatted_day(day: dt.date, code: str) -> str:
    """Babel's formatting, once per day and language: a theme asks for the same dates on every page."""
    return format_date(day, _DATE_PATTERNS[code], locale=_BABEL_LOCALES[code])
