"""Site-wide pages the plugin adds: "Recently updated" and ``sitemap.xml``.

Both read ``modified``, which the dated update callouts keep current, so a
reader and a crawler see the same "last changed" date as the article page.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from pelican.generators import Generator

from .enhance.update_phrases import find_update_phrase
from .i18n import localized_date, ui_text

logger = logging.getLogger(__name__)

RECENT_UPDATES_SAVE_AS = "updates/index.html"
SITEMAP_SAVE_AS = "sitemap.xml"


def recent_updates(articles: list[Any]) -> list[dict[str, Any]]:
    """Every update of every article, newest first (ties: article title, then id)."""
    entries = [
        {"date": update["date"], "id": update["id"], "text": update["text"], "article": article}
        for article in articles
        for update in getattr(article, "updates", None) or []
    ]
    return sorted(entries, key=lambda e: (-e["date"].toordinal(), str(e["article"].title), e["id"]))


class SiteOutputsGenerator(Generator):
    """Writes the recently-updated page and the sitemap after the articles are read."""

    def generate_output(self, writer: Any) -> None:
        articles = list(self.context.get("articles", []))
        pages = list(self.context.get("pages", []))
        if self.settings.get("PALIMPSEST_RECENT_UPDATES", True) is not False:
            self._write_recent_updates(writer, articles)
        if self.settings.get("PALIMPSEST_SITEMAP", True) is not False:
            self._write_sitemap(articles + pages)

    def _write_recent_updates(self, writer: Any, articles: list[Any]) -> None:
        save_as = self.settings.get("PALIMPSEST_RECENT_UPDATES_SAVE_AS", RECENT_UPDATES_SAVE_AS)
        lang = self.settings.get("DEFAULT_LANG")
        writer.write_file(
            save_as,
            self.get_template("updates"),
            self.context,
            relative_urls=self.settings.get("RELATIVE_URLS", False),
            updates=recent_updates(articles),
            page_title=ui_text("recently_updated", lang),
            url=save_as.removesuffix("index.html"),
        )

    def _write_sitemap(self, documents: list[Any]) -> None:
        site_url = str(self.settings.get("SITEURL") or "").rstrip("/")
        lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        for document in sorted(documents, key=lambda d: d.url):
            changed = getattr(document, "modified", None) or getattr(document, "date", None)
            lines.append(f"  <url><loc>{escape(site_url + '/' + document.url)}</loc>"
                         + (f"<lastmod>{_w3c(changed)}</lastmod>" if changed else "") + "</url>")
        lines.append("</urlset>")
        target = Path(self.output_path) / self.settings.get("PALIMPSEST_SITEMAP_SAVE_AS", SITEMAP_SAVE_AS)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = "\n".join(lines) + "\n"
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")


def _w3c(moment: dt.datetime | dt.date) -> str:
    if isinstance(moment, dt.datetime):
        return moment.isoformat(timespec="seconds")
    return moment.isoformat()


def update_lead(text: str, length: int = 48) -> str:
    """The first words of an update, after its date phrase: what the Updates list shows."""
    phrase = find_update_phrase(text)
    if phrase is not None:
        text = text[phrase.end :]
    text = text.lstrip(" ：:，,了").strip()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def jinja_filters() -> dict[str, Any]:
    """Filters the theme uses: dates and UI words in the page's language."""
    return {
        "localized_date": lambda value, lang=None: localized_date(value, lang),
        "ui_text": ui_text,
        "update_lead": update_lead,
    }
