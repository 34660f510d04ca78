"""Pelican settings from a Jekyll ``_config.yml``, so that a Jekyll site builds with no ``pelicanconf.py``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .common.languages import primary_subtag
from .jekyll.config import positive_integer
from .jekyll.inventory import paginates, pagination_patterns, plugins, scan_site

if TYPE_CHECKING:
    from .jekyll.site import JekyllSite


def settings_from_jekyll(site: JekyllSite, output: Path) -> dict[str, Any]:
    """Pelican settings that build *site* the way Jekyll lays it out."""
    config = site.config
    collections = [c for c in site.collections.values() if c.output]
    article_paths = [c.directory.name for c in collections]
    inventory = scan_site(site.root, config, site.collections, output)
    pages = [page for page in inventory.pages if page != inventory.home]
    uses = plugins(config)
    feed_config = config.get("feed")
    feed: dict[str, Any] = feed_config if isinstance(feed_config, dict) else {}
    url = str(config.get("url") or "").rstrip("/") + str(config.get("baseurl") or "").rstrip("/")
    author = config.get("author")
    author = author.get("name") if isinstance(author, dict) else author
    settings: dict[str, Any] = {"AUTHOR": str(author)} if author else {}
    own = config.get("palimpsest")
    features = own.get("features") if isinstance(own, dict) else None
    if features:  # palimpsest: {features: {search: false}} (checked in jekyll/config.py)
        settings["PALIMPSEST_FEATURES"] = dict(features)
    return settings | {
        "PATH": str(site.root),
        "OUTPUT_PATH": str(output),
        "SITENAME": str(config.get("title") or site.root.name),
        "SITESUBTITLE": config.get("description") or config.get("subtitle") or "",
        "SITEURL": url,
        "DEFAULT_LANG": primary_subtag(config.get("locale") or config.get("lang")),
        "TIMEZONE": str(site.timezone),  # a name Pelican knows: an unknown one is UTC, as in Jekyll
        "ARTICLE_PATHS": article_paths,
        # Jekyll's pages: every HTML or Markdown file with front matter (jekyll/inventory.py), as files,
        # so that a file without front matter stays a static file; the paginated home is ours.
        "PAGE_PATHS": pages,
        "ARTICLE_EXCLUDES": ["_site", "_includes", "_layouts", "_data", "_drafts"],
        "PAGE_EXCLUDES": ["_site", "_includes", "_layouts", "_data", "_drafts"],
        "STATIC_PATHS": inventory.static_folders + inventory.static_files,
        "IGNORE_FILES": [],  # Jekyll's own rules instead (special names, include:): jekyll/inventory.py
        "READERS": {"rst": None},  # a Jekyll site has no reStructuredText
        "PALIMPSEST_CONFIG": str(site.config_path) if site.config_path else None,
        "PALIMPSEST_HTML_PAGES": True,  # .html pages with front matter are Jekyll's (Liquid), not Pelican's
        "PALIMPSEST_HOME": inventory.home,
        "PALIMPSEST_FEED": "jekyll-feed" in uses,
        "PALIMPSEST_FEED_CONFIG": feed,
        "PALIMPSEST_FEED_LINK": str(feed.get("path") or "feed.xml").lstrip("/") if "jekyll-feed" in uses else None,
        "PALIMPSEST_SITEMAP": "jekyll-sitemap" in uses,
        "PALIMPSEST_ROBOTS": "jekyll-sitemap" in uses,
        "DEFAULT_PAGINATION": positive_integer(config.get("paginate")) or 10,  # a bad value was reported when read
        "PAGINATION_PATTERNS": pagination_patterns(config if paginates(config) else {}),  # /page2/ by default
        # Jekyll makes none of Pelican's own listings: no archives, tag, category or author pages, no
        # period archives, no category feeds; the home page is written by site_outputs.py (posts only).
        "DIRECT_TEMPLATES": [],
        **{f"{kind}_SAVE_AS": "" for kind in ("TAG", "TAGS", "CATEGORY", "CATEGORIES", "AUTHOR", "AUTHORS", "ARCHIVES")},
        **{f"{period}_ARCHIVE_SAVE_AS": "" for period in ("YEAR", "MONTH", "DAY")},
        "FEED_ALL_ATOM": None,
        "CATEGORY_FEED_ATOM": None,
        "AUTHOR_FEED_ATOM": None,
        "AUTHOR_FEED_RSS": None,
        "TRANSLATION_FEED_ATOM": None,
        # Jekyll gives every document its own URL: no "translations" grouped by slug.
        "ARTICLE_TRANSLATION_ID": None,
        "PAGE_TRANSLATION_ID": None,
        "DRAFT_SAVE_AS": "",
        "DRAFT_LANG_SAVE_AS": "",
        "RELATIVE_URLS": False,
        "DELETE_OUTPUT_DIRECTORY": False,
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
        "JINJA_ENVIRONMENT": {"trim_blocks": True, "lstrip_blocks": True, "extensions": [], "autoescape": True},
    }
