"""Site-wide pages the plugin adds: "Recently updated" and ``sitemap.xml``.

Both read ``modified``, which the dated update callouts keep current, so a
reader and a crawler see the same "last changed" date as the article page.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from markupsafe import Markup
from pelican.generators import Generator

from .enhance.update_phrases import find_update_phrase
from .i18n import localized_date, reading_time_text, ui_text
from .search import SEARCH_SAVE_AS, search_enabled

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


def _collection(article: Any) -> str:
    jekyll = getattr(article, "jekyll", None) or {}
    return str(jekyll.get("collection") or "posts")


class SiteOutputsGenerator(Generator):
    """Site-wide pages: recently updated, collection indexes, 404, search, sitemap."""

    def generate_context(self) -> None:
        """Previous/next links, within a collection, oldest to newest; whether the site has search."""
        self.context["PALIMPSEST_SEARCH"] = search_enabled(self.settings)  # the masthead's search box
        groups: dict[str, list[Any]] = {}
        for article in sorted(self.context.get("articles", []), key=lambda a: (a.date, a.url)):
            groups.setdefault(_collection(article), []).append(article)
        for members in groups.values():
            for older, newer in zip(members, members[1:]):
                newer.previous_article, older.next_article = older, newer

    def generate_output(self, writer: Any) -> None:
        articles = list(self.context.get("articles", []))
        pages = list(self.context.get("pages", []))
        self._write_collections(writer, articles)
        self._write_page(writer, "404.html", "404", {})
        if self.settings.get("PALIMPSEST_RECENT_UPDATES", True) is not False:
            self._write_recent_updates(writer, articles)
        if self.settings.get("PALIMPSEST_SITEMAP", True) is not False:
            self._write_sitemap(articles + pages)
        if self.context.get("PALIMPSEST_SEARCH"):
            self._write_search_page(writer)

    def _write_page(self, writer: Any, save_as: str, template: str, extra: dict[str, Any]) -> None:
        writer.write_file(
            save_as, self.get_template(template), self.context,
            relative_urls=self.settings.get("RELATIVE_URLS", False), url=save_as.removesuffix("index.html"), **extra,
        )

    def _write_collections(self, writer: Any, articles: list[Any]) -> None:
        """``/<collection>/``: an index of each output collection but posts (Jekyll's ``/tds/``)."""
        groups: dict[str, list[Any]] = {}
        for article in articles:
            if _collection(article) != "posts":
                groups.setdefault(_collection(article), []).append(article)
        for label, members in sorted(groups.items()):
            members.sort(key=lambda a: (str(a.title), a.url))
            self._write_page(writer, f"{label}/index.html", "collection", {"collection": label, "documents": members})

    def _write_search_page(self, writer: Any) -> None:
        """``/search/``: Pagefind's UI over the index :mod:`.search` builds once the site is written."""
        save_as = self.settings.get("PALIMPSEST_SEARCH_SAVE_AS", SEARCH_SAVE_AS)
        self._write_page(writer, save_as, "search", {"page_title": ui_text("search", self.settings.get("DEFAULT_LANG"))})

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


_HEADING = re.compile(r'<h([2-4]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)


def page_toc(html: str) -> list[dict[str, Any]]:
    """The headings of a rendered body (levels 2-4), for a theme's table of contents."""
    return [
        {"level": int(level), "id": anchor, "title": re.sub(r"<[^>]+>", "", title)}
        for level, anchor, title in _HEADING.findall(html)
    ]


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
    }
