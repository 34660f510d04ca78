"""Site-wide pages, one generator per feature that adds them: Jekyll's collection indexes, 404 and
``sitemap.xml`` (``jekyll``), "Recently updated" (``updates``), the search page (``search``).

The sitemap and "Recently updated" read ``modified``, which the dated update callouts keep current, so a
reader and a crawler see the same "last changed" date as the article page.
Every page is written through Pelican's Writer (:class:`.common.files.BuildFiles`),
from a template of the theme (``sitemap.xml`` included); the theme's filters
live in :mod:`.theme_filters`.
"""

from __future__ import annotations

import logging
from itertools import pairwise
from typing import Any

from pelican.generators import Generator

from .common.files import BuildFiles
from .features import enabled_features
from .i18n import ui_text
from .search import PAGEFIND_SUBDIR, SEARCH_SAVE_AS, search_enabled

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


def planned_pages(settings: dict[str, Any], articles: list[Any]) -> list[tuple[str, str]]:
    """Every page this module's generators will write, with who writes it (for :mod:`.common.claims`),
    known before anything is written."""
    features = enabled_features(settings)
    pages: list[tuple[str, str]] = []
    if "jekyll" in features:
        collections = sorted({_collection(article) for article in articles} - {"posts"})
        pages += [(f"{label}/index.html", f"the index of the {label} collection") for label in collections]
        pages.append(("404.html", "the 404 page"))
        if settings.get("PALIMPSEST_SITEMAP", True) is not False:
            pages.append((settings.get("PALIMPSEST_SITEMAP_SAVE_AS", SITEMAP_SAVE_AS), "the sitemap (PALIMPSEST_SITEMAP_SAVE_AS)"))
    if "updates" in features and settings.get("PALIMPSEST_RECENT_UPDATES", True) is not False:
        save_as = settings.get("PALIMPSEST_RECENT_UPDATES_SAVE_AS", RECENT_UPDATES_SAVE_AS)
        pages.append((save_as, "the Recently updated page (PALIMPSEST_RECENT_UPDATES_SAVE_AS)"))
    if "search" in features:  # claimed whether or not Pagefind is installed here: the same site everywhere
        pages.append((settings.get("PALIMPSEST_SEARCH_SAVE_AS", SEARCH_SAVE_AS), "the search page (PALIMPSEST_SEARCH_SAVE_AS)"))
        pages.append((f"{PAGEFIND_SUBDIR}/", "Pagefind's search index"))
    return pages


class _PageWriter(Generator):
    """A generator that writes pages from the theme's templates through :class:`BuildFiles`."""

    def _write_page(self, files: BuildFiles, save_as: str, template: str, extra: dict[str, Any]) -> None:
        files.write(
            save_as,
            self.get_template(template),
            self.context,
            source=f"the site's {template} page",
            relative_urls=self.settings.get("RELATIVE_URLS", False),
            url=save_as.removesuffix("index.html"),
            **extra,
        )


class SiteOutputsGenerator(_PageWriter):
    """Jekyll's site-wide pages: collection indexes, 404, sitemap; previous/next links."""

    def generate_context(self) -> None:
        """Previous/next links, within a collection, oldest to newest."""
        groups: dict[str, list[Any]] = {}
        for article in sorted(self.context.get("articles", []), key=lambda a: (a.date, a.url)):
            groups.setdefault(_collection(article), []).append(article)
        for members in groups.values():
            for older, newer in pairwise(members):
                newer.previous_article, older.next_article = older, newer

    def generate_output(self, writer: Any) -> None:
        files = BuildFiles.of(writer)
        articles = list(self.context.get("articles", []))
        pages = list(self.context.get("pages", []))
        self._write_collections(files, articles)
        self._write_page(files, "404.html", "404", {})
        if self.settings.get("PALIMPSEST_SITEMAP", True) is not False:
            self._write_sitemap(files, articles + pages)

    def _write_collections(self, files: BuildFiles, articles: list[Any]) -> None:
        """``/<collection>/``: an index of each output collection but posts (Jekyll's ``/tds/``)."""
        groups: dict[str, list[Any]] = {}
        for article in articles:
            if _collection(article) != "posts":
                groups.setdefault(_collection(article), []).append(article)
        for label, members in sorted(groups.items()):
            members.sort(key=lambda a: (str(a.title), a.url))
            self._write_page(files, f"{label}/index.html", "collection", {"collection": label, "documents": members})

    def _write_sitemap(self, files: BuildFiles, documents: list[Any]) -> None:
        """``sitemap.xml``: absolute URLs whatever ``RELATIVE_URLS`` says, as crawlers need."""
        files.write(
            self.settings.get("PALIMPSEST_SITEMAP_SAVE_AS", SITEMAP_SAVE_AS),
            self.env.get_template("sitemap.xml"),
            self.context,
            source="the sitemap",
            relative_urls=False,
            site_url=str(self.settings.get("SITEURL") or "").rstrip("/"),
            documents=sorted(documents, key=lambda d: d.url),
        )


class RecentUpdatesGenerator(_PageWriter):
    """The ``updates`` feature's page: every update of every article, newest first."""

    def generate_output(self, writer: Any) -> None:
        if self.settings.get("PALIMPSEST_RECENT_UPDATES", True) is False:
            return
        save_as = self.settings.get("PALIMPSEST_RECENT_UPDATES_SAVE_AS", RECENT_UPDATES_SAVE_AS)
        lang = self.settings.get("DEFAULT_LANG")
        updates = recent_updates(list(self.context.get("articles", [])))
        extra = {"updates": updates, "page_title": ui_text("recently_updated", lang)}
        self._write_page(BuildFiles.of(writer), save_as, "updates", extra)


class SearchPageGenerator(_PageWriter):
    """The ``search`` feature's page and masthead box: Pagefind's UI over the index :mod:`.search`
    builds once the site is written."""

    def generate_context(self) -> None:
        self.context["PALIMPSEST_SEARCH"] = search_enabled(self.settings)  # the masthead's search box

    def generate_output(self, writer: Any) -> None:
        if not self.context.get("PALIMPSEST_SEARCH"):
            return
        save_as = self.settings.get("PALIMPSEST_SEARCH_SAVE_AS", SEARCH_SAVE_AS)
        title = ui_text("search", self.settings.get("DEFAULT_LANG"))
        self._write_page(BuildFiles.of(writer), save_as, "search", {"page_title": title})
