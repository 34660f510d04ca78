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

from .common.claims import yielded
from .common.files import BuildFiles
from .features import enabled_features
from .i18n import ui_text
from .jekyll.config import positive_integer
from .search import PAGEFIND_SUBDIR, SEARCH_SAVE_AS, search_enabled

logger = logging.getLogger(__name__)

RECENT_UPDATES_SAVE_AS = "updates/index.html"
SITEMAP_SAVE_AS = "sitemap.xml"
ROBOTS_SAVE_AS = "robots.txt"
FEED_SAVE_AS = "feed.xml"
HOME_SAVE_AS = "index.html"


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


def _posts(articles: list[Any]) -> list[Any]:
    """``site.posts``, newest first: what the home page and jekyll-feed list (no collection document)."""
    return sorted((a for a in articles if _collection(a) == "posts"), key=lambda a: (a.date, a.url), reverse=True)


def home_pages(settings: dict[str, Any], articles: list[Any]) -> list[str]:
    """The home page's files: ``index.html``, then ``paginate_path``'s pages (Pelican's paginator)."""
    from .common.claims import paginated_files

    if settings.get("PALIMPSEST_HOME_PAGE", True) is False:
        return []
    return paginated_files(settings, HOME_SAVE_AS, "", "index", _posts(articles))


def feed_pages(settings: dict[str, Any]) -> list[tuple[str, str | None]]:
    """jekyll-feed's feeds: ``feed.path`` (``feed.xml``) for posts, ``feed/<label>.xml`` for each of
    ``feed.collections``; each with its collection (None: posts)."""
    if not settings.get("PALIMPSEST_FEED"):
        return []
    config = settings.get("PALIMPSEST_FEED_CONFIG") or {}
    config = config if isinstance(config, dict) else {}
    feeds: list[tuple[str, str | None]] = [(str(config.get("path") or FEED_SAVE_AS).lstrip("/"), None)]
    collections = config.get("collections")
    labels = list(collections) if isinstance(collections, (dict, list)) else []
    for label in labels:
        if str(label) == "posts":
            continue
        options = collections.get(label) if isinstance(collections, dict) else None
        path = options.get("path") if isinstance(options, dict) else None
        feeds.append((str(path or f"feed/{label}.xml").lstrip("/"), str(label)))
    return feeds


def planned_pages(settings: dict[str, Any], articles: list[Any]) -> list[tuple[str, str]]:
    """The pages this module's generators write that nothing else may take (for :mod:`.common.claims`),
    known before anything is written."""
    if "search" in enabled_features(settings):  # claimed whether or not Pagefind is installed here
        return [(f"{PAGEFIND_SUBDIR}/", "Pagefind's search index")]
    return []


def yielding_pages(settings: dict[str, Any], articles: list[Any]) -> list[tuple[str, str]]:
    """The pages this module writes unless the site has its own there (a page or a static file:
    ``404.md``, ``robots.txt``, a ``layout: collection`` page at ``/tds/``, ``search.md``...); a post
    or collection document is refused there, as before (:mod:`.common.claims`)."""
    features = enabled_features(settings)
    pages: list[tuple[str, str]] = []
    if "jekyll" in features:
        pages += [(path, "Pelican's index page (the home page)") for path in home_pages(settings, articles)]
        collections = sorted({_collection(article) for article in articles} - {"posts"})
        pages += [(f"{label}/index.html", f"the index of the {label} collection") for label in collections]
        pages.append(("404.html", "the 404 page"))
        if settings.get("PALIMPSEST_SITEMAP", True) is not False:
            pages.append((settings.get("PALIMPSEST_SITEMAP_SAVE_AS", SITEMAP_SAVE_AS), "the sitemap (PALIMPSEST_SITEMAP_SAVE_AS)"))
            if settings.get("PALIMPSEST_ROBOTS", False):
                pages.append((ROBOTS_SAVE_AS, "jekyll-sitemap's robots.txt"))
        pages += [(path, "jekyll-feed's feed") for path, _ in feed_pages(settings)]
    if "updates" in features and settings.get("PALIMPSEST_RECENT_UPDATES", True) is not False:
        save_as = settings.get("PALIMPSEST_RECENT_UPDATES_SAVE_AS", RECENT_UPDATES_SAVE_AS)
        pages.append((save_as, "the Recently updated page (PALIMPSEST_RECENT_UPDATES_SAVE_AS)"))
    if "search" in features:
        pages.append((settings.get("PALIMPSEST_SEARCH_SAVE_AS", SEARCH_SAVE_AS), "the search page (PALIMPSEST_SEARCH_SAVE_AS)"))
    return pages


class _PageWriter(Generator):
    """A generator that writes pages from the theme's templates through :class:`BuildFiles`."""

    def _write_page(self, files: BuildFiles, save_as: str, template: str, extra: dict[str, Any]) -> None:
        if save_as in yielded(self.context):  # the site's own page or file is there
            return
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
        self._write_home(files, articles)
        self._write_collections(files, articles)
        self._write_page(files, "404.html", "404", {})
        if self.settings.get("PALIMPSEST_SITEMAP", True) is not False:
            home = [] if HOME_SAVE_AS in yielded(self.context) else home_pages(self.settings, articles)
            self._write_sitemap(files, articles + pages, home)
            self._write_robots(files)
        self._write_feeds(writer, articles)

    def _write_home(self, files: BuildFiles, articles: list[Any]) -> None:
        """The home page, paginated as jekyll-paginate does (``paginate``, ``paginate_path``), posts
        only; ``home_source`` names the site's ``index.html`` whose layout it stands for, if any."""
        if self.settings.get("PALIMPSEST_HOME_PAGE", True) is False or HOME_SAVE_AS in yielded(self.context):
            return
        posts = _posts(articles)
        files.write(
            HOME_SAVE_AS,
            self.get_template("index"),
            self.context,
            source="Pelican's index page (the home page)",
            relative_urls=self.settings.get("RELATIVE_URLS", False),
            paginated={"articles": posts, "dates": posts},
            template_name="index",
            page_name="index",
            url="",
            articles=posts,
            dates=posts,
            home_source=self.settings.get("PALIMPSEST_HOME"),
        )

    def _write_robots(self, files: BuildFiles) -> None:
        """jekyll-sitemap's ``robots.txt``, unless the site has its own."""
        if not self.settings.get("PALIMPSEST_ROBOTS", False):
            return
        if ROBOTS_SAVE_AS in yielded(self.context):
            return
        sitemap = self.settings.get("PALIMPSEST_SITEMAP_SAVE_AS", SITEMAP_SAVE_AS)
        template = self.env.from_string("Sitemap: {{ site_url }}/{{ sitemap }}{{ '\\n' }}")
        site_url = str(self.settings.get("SITEURL") or "").rstrip("/")
        files.write(
            ROBOTS_SAVE_AS,
            template,
            self.context,
            source="jekyll-sitemap's robots.txt",
            relative_urls=False,
            site_url=site_url,
            sitemap=sitemap,
        )

    def _write_feeds(self, writer: Any, articles: list[Any]) -> None:
        """jekyll-feed's Atom feeds (``published``, ``updated``, summary, content), newest first,
        ``feed.posts_limit`` entries (10) each."""
        config = self.settings.get("PALIMPSEST_FEED_CONFIG") or {}
        limit = positive_integer(config.get("posts_limit")) if isinstance(config, dict) else None
        for path, label in feed_pages(self.settings):
            if path in yielded(self.context):
                continue
            if label is None:
                members = _posts(articles)
            else:
                collection = (a for a in articles if _collection(a) == label and not getattr(a, "undated", False))
                members = sorted(collection, key=lambda a: (a.date, a.url), reverse=True)  # no date: no entry
            writer.write_feed(members[: limit or 10], self.context, path, path, feed_title=label)

    def _write_collections(self, files: BuildFiles, articles: list[Any]) -> None:
        """``/<collection>/``: an index of each output collection but posts (Jekyll's ``/tds/``)."""
        groups: dict[str, list[Any]] = {}
        for article in articles:
            if _collection(article) != "posts":
                groups.setdefault(_collection(article), []).append(article)
        for label, members in sorted(groups.items()):
            members.sort(key=lambda a: (str(a.title), a.url))
            self._write_page(files, f"{label}/index.html", "collection", {"collection": label, "documents": members})

    def _write_sitemap(self, files: BuildFiles, documents: list[Any], home: list[str]) -> None:
        """``sitemap.xml`` as jekyll-sitemap writes it: every document and page but the 404 page and
        those with ``sitemap: false``, and the home page with its paginated pages; absolute URLs
        whatever ``RELATIVE_URLS`` says, as crawlers need."""
        documents = [d for d in documents if getattr(d, "sitemap", True) is not False and d.url not in ("404.html", "404/")]
        listed = {d.url for d in documents}
        pages = [url for url in (path.removesuffix("index.html") for path in home) if url not in listed]
        files.write(
            self.settings.get("PALIMPSEST_SITEMAP_SAVE_AS", SITEMAP_SAVE_AS),
            self.env.get_template("sitemap.xml"),
            self.context,
            source="the sitemap",
            relative_urls=False,
            site_url=str(self.settings.get("SITEURL") or "").rstrip("/"),
            documents=sorted(documents, key=lambda d: d.url),
            pages=pages,
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
