"""Settings: each feature can be switched off in ``pelicanconf.py``, and a
Jekyll ``_config.yml`` can stand in for a Pelican configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .site import JekyllSite

# PALIMPSEST_FEATURES in pelicanconf.py overrides any of these.
DEFAULT_FEATURES: dict[str, bool] = {
    "jekyll": True,  # read Jekyll Markdown (front matter, Liquid, kramdown)
    "notices": True,
    "updates": True,
    "tables": True,
    "revisions": True,
    "search": True,  # a Pagefind index of article and page bodies, a search page and box
}
MARKDOWN_EXTENSIONS = ["md", "markdown", "mkdown", "mkdn", "mkd", "mdown"]


def feature_enabled(settings: dict[str, Any], name: str) -> bool:
    features = {**DEFAULT_FEATURES, **(settings.get("PALIMPSEST_FEATURES") or {})}
    return bool(features.get(name, False))


def _language(locale: object) -> str:
    text = str(locale or "en").replace("_", "-")
    return text.split("-")[0].lower() or "en"


def settings_from_jekyll(site: JekyllSite, output: Path) -> dict[str, Any]:
    """Pelican settings that build *site* the way Jekyll lays it out."""
    config = site.config
    collections = [c for c in site.collections.values() if c.output]
    article_paths = [c.directory.name for c in collections]
    page_paths = [str(p).strip("/") for p in (config.get("include") or []) if str(p).startswith("_pages")]
    static = [p.name for p in sorted(site.root.iterdir()) if p.is_dir() and not p.name.startswith(("_", ".")) and p.name not in ("output",)]
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
        "DEFAULT_LANG": _language(config.get("locale") or config.get("lang")),
        "TIMEZONE": str(config.get("timezone") or "UTC"),
        "ARTICLE_PATHS": article_paths,
        "PAGE_PATHS": page_paths or ["_pages"],
        "ARTICLE_EXCLUDES": ["_site", "_includes", "_layouts", "_data", "_drafts"],
        "PAGE_EXCLUDES": ["_site", "_includes", "_layouts", "_data", "_drafts"],
        "STATIC_PATHS": static,
        "READERS": {"rst": None},  # a Jekyll site has no reStructuredText
        "PALIMPSEST_CONFIG": str(site.config_path) if site.config_path else None,
        "DEFAULT_PAGINATION": int(config.get("paginate") or 10),
        "FEED_ALL_ATOM": "feeds/all.atom.xml",
        "CATEGORY_FEED_ATOM": "feeds/{slug}.atom.xml",  # one per category, so one per collection
        "TRANSLATION_FEED_ATOM": None,
        "DRAFT_SAVE_AS": "",
        "DRAFT_LANG_SAVE_AS": "",
        "RELATIVE_URLS": False,
        "DELETE_OUTPUT_DIRECTORY": False,
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
    }
