"""Pelican settings from a Jekyll ``_config.yml``, so that a Jekyll site builds with no ``pelicanconf.py``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .common.languages import primary_subtag
from .jekyll.config import positive_integer
from .jekyll.containment import JEKYLL_EXCLUDES, jekyll_excluded

if TYPE_CHECKING:
    from .jekyll.site import JekyllSite


def _static_folder(site: JekyllSite, folder: Path) -> bool:
    """A top-level folder copied as static files: not a dot or underscore folder, not excluded by
    ``exclude:`` (or Jekyll's defaults); links out and the output folder are dropped when the build
    starts (``jekyll/containment.py``)."""
    if folder.name.startswith(("_", ".")) or folder.name == "output":
        return False
    exclude = [*JEKYLL_EXCLUDES, *(str(p) for p in (site.config.get("exclude") or []) if isinstance(p, str))]
    include = [str(p) for p in (site.config.get("include") or []) if isinstance(p, str)]
    return not jekyll_excluded(folder.name, exclude, include)


def settings_from_jekyll(site: JekyllSite, output: Path) -> dict[str, Any]:
    """Pelican settings that build *site* the way Jekyll lays it out."""
    config = site.config
    collections = [c for c in site.collections.values() if c.output]
    article_paths = [c.directory.name for c in collections]
    page_paths = [str(p).strip("/") for p in (config.get("include") or []) if str(p).startswith("_pages")]
    static = [p.name for p in sorted(site.root.iterdir()) if p.is_dir() and _static_folder(site, p)]
    url = str(config.get("url") or "").rstrip("/") + str(config.get("baseurl") or "").rstrip("/")
    author = config.get("author")
    author = author.get("name") if isinstance(author, dict) else author
    settings: dict[str, Any] = {"AUTHOR": str(author)} if author else {}
    return settings | {
        "PATH": str(site.root),
        "OUTPUT_PATH": str(output),
        "SITENAME": str(config.get("title") or site.root.name),
        "SITESUBTITLE": config.get("description") or config.get("subtitle") or "",
        "SITEURL": url,
        "DEFAULT_LANG": primary_subtag(config.get("locale") or config.get("lang")),
        "TIMEZONE": str(site.timezone),  # a name Pelican knows: an unknown one is UTC, as in Jekyll
        "ARTICLE_PATHS": article_paths,
        "PAGE_PATHS": page_paths or ["_pages"],
        "ARTICLE_EXCLUDES": ["_site", "_includes", "_layouts", "_data", "_drafts"],
        "PAGE_EXCLUDES": ["_site", "_includes", "_layouts", "_data", "_drafts"],
        "STATIC_PATHS": static,
        "READERS": {"rst": None},  # a Jekyll site has no reStructuredText
        "PALIMPSEST_CONFIG": str(site.config_path) if site.config_path else None,
        "DEFAULT_PAGINATION": positive_integer(config.get("paginate")) or 10,  # a bad value was reported when read
        "FEED_ALL_ATOM": "feeds/all.atom.xml",
        "CATEGORY_FEED_ATOM": "feeds/{slug}.atom.xml",  # one per category, so one per collection
        "TRANSLATION_FEED_ATOM": None,
        "DRAFT_SAVE_AS": "",
        "DRAFT_LANG_SAVE_AS": "",
        "RELATIVE_URLS": False,
        "DELETE_OUTPUT_DIRECTORY": False,
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
        "JINJA_ENVIRONMENT": {"trim_blocks": True, "lstrip_blocks": True, "extensions": [], "autoescape": True},
    }
