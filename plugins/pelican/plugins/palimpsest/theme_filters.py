"""The Jinja filters the theme uses: dates and UI words in the page's language, an update's lead,
a page's table of contents, schema.org data, W3C dates for the sitemap."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from .common.dates import w3c
from .common.text import escape_html
from .enhance.update_phrases import find_update_phrase
from .i18n import localized_date, reading_time_text, ui_text
from .theme_escaping import safe_url

TOC_LEVELS = range(2, 5)
_JSON_IN_SCRIPT = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def update_lead(text: str, length: int = 48) -> str:
    """The first words of an update, after its date phrase: what the Updates list shows."""
    phrase = find_update_phrase(text)
    if phrase is not None:
        text = text[phrase.end :]
    text = text.lstrip(" ：:，,了").strip()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def page_toc(document: Any) -> list[dict[str, Any]]:
    """The headings of a page (levels 2-4) for a theme's table of contents (``article|page_toc``),
    from what the Markdown pipeline recorded (the document's ``headings``); a heading without an
    id (``auto_ids: false``) cannot be linked to and is left out."""
    return [
        {"level": int(h["level"]), "id": str(h["id"]), "title": Markup(escape_html(str(h["text"])))}
        for h in getattr(document, "headings", None) or []
        if int(h["level"]) in TOC_LEVELS and h.get("id")
    ]


def json_ld(article: Any, site_url: str) -> Markup:
    """schema.org BlogPosting data: datePublished and dateModified (the latter driven by updates)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": str(article.title),
        "url": f"{site_url}/{article.url}",
        "inLanguage": str(getattr(article, "lang", "") or ""),
    }
    if not getattr(article, "undated", False):  # a collection document Jekyll knows no date of: none claimed
        data["datePublished"] = article.date.isoformat()
    modified = getattr(article, "modified", None) or (None if getattr(article, "undated", False) else article.date)
    if modified is not None:
        data["dateModified"] = modified.isoformat()
    author = getattr(article, "author", None)
    if author:
        data["author"] = {"@type": "Person", "name": str(author)}
    # No "<", ">" or "&" inside the script element: a title cannot end it or open a comment in it.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_JSON_IN_SCRIPT)
    return Markup(f'<script type="application/ld+json">{text}</script>')


def jinja_filters() -> dict[str, Any]:
    """Filters the theme uses: dates and UI words in the page's language."""
    return {
        "localized_date": lambda value, lang=None: localized_date(value, lang),
        "ui_text": ui_text,
        "update_lead": update_lead,
        "reading_time_text": reading_time_text,
        "page_toc": page_toc,
        "json_ld": json_ld,
        "w3c_date": w3c,
        "safe_url": safe_url,
    }
