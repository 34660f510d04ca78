"""The Jinja filters the theme uses: dates and UI words in the page's language, an update's lead,
a page's table of contents, schema.org data, W3C dates for the sitemap."""

from __future__ import annotations

import json
import re
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from .common.dates import w3c
from .common.text import escape_html
from .enhance.update_phrases import find_update_phrase
from .i18n import localized_date, reading_time_text, ui_text

TOC_LEVELS = range(2, 5)


def update_lead(text: str, length: int = 48) -> str:
    """The first words of an update, after its date phrase: what the Updates list shows."""
    phrase = find_update_phrase(text)
    if phrase is not None:
        text = text[phrase.end :]
    text = text.lstrip(" ：:，,了").strip()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


_HEADING = re.compile(r'<h([2-4]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)


@pass_context
def page_toc(context: Context, body: Any) -> list[dict[str, Any]]:
    """The headings of a page (levels 2-4), for a theme's table of contents.

    *body* is a document, or its rendered HTML (``article.content|page_toc``).
    The headings come from what the Markdown pipeline recorded (the document's
    ``headings``: level, id, text); for a body that is not the page's own
    document's, or a document without them, from the HTML (transitional).
    """
    document = body if hasattr(body, "content") else _document_of(context, body)
    headings = getattr(document, "headings", None) if document is not None else None
    if headings:
        return [
            {"level": int(h["level"]), "id": str(h["id"]), "title": escape_html(str(h["text"]))}
            for h in headings
            if int(h["level"]) in TOC_LEVELS
        ]
    html = str(document.content) if document is not None else str(body)
    return [{"level": int(level), "id": anchor, "title": re.sub(r"<[^>]+>", "", title)} for level, anchor, title in _HEADING.findall(html)]


def _document_of(context: Context, html: Any) -> Any:
    """The page's own article or page, if *html* is its body."""
    for name in ("article", "page"):
        document = context.get(name)
        if document is not None and getattr(document, "content", None) == html:
            return document
    return None


def json_ld(article: Any, site_url: str) -> Markup:
    """schema.org BlogPosting data: datePublished and dateModified (the latter driven by updates)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": str(article.title),
        "url": f"{site_url}/{article.url}",
        "datePublished": article.date.isoformat(),
        "dateModified": (getattr(article, "modified", None) or article.date).isoformat(),
        "inLanguage": str(getattr(article, "lang", "") or ""),
    }
    author = getattr(article, "author", None)
    if author:
        data["author"] = {"@type": "Person", "name": str(author)}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
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
    }
