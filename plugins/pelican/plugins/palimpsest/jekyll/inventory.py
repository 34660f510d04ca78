"""Jekyll's file inventory: which files of a site are pages, which are static files, which
plugins make which site files, and how ``jekyll-paginate`` names its pages.

Jekyll reads every file of the site that its EntryFilter keeps: a file with front matter outside
the underscore folders is a page (Liquid, then Markdown for a Markdown extension), any other file
is copied as it is.  Pelican reads pages from ``PAGE_PATHS`` only and copies ``STATIC_PATHS``; this
module lists both the way Jekyll sees them, so that the same files come out.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .containment import JEKYLL_EXCLUDES, jekyll_excluded

# Jekyll 4.3's default ``include:`` (Jekyll::Configuration::DEFAULTS), replaced by the site's own.
JEKYLL_INCLUDES = (".htaccess",)
# The extensions whose pages go through a converter or are HTML (a page of any other type,
# ``.xml`` or ``.txt`` with front matter, is left to Pelican's static files).
PAGE_EXTENSIONS = frozenset({".html", ".htm"})
# How many folders and files one scan looks at, at most (PALIMPSEST_MAX_SITE_FILES).
MAX_SITE_FILES = 200_000


def plugins(config: dict[str, Any]) -> frozenset[str]:
    """The plugins ``_config.yml`` asks for (``plugins:`` and the older ``gems:``)."""
    names: set[str] = set()
    for key in ("plugins", "gems"):
        value = config.get(key)
        items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        names |= {str(item) for item in items if isinstance(item, str)}
    return frozenset(names)


def markdown_extensions(config: dict[str, Any]) -> frozenset[str]:
    """``markdown_ext`` as suffixes (``.md``...), as Jekyll reads it."""
    value = config.get("markdown_ext") or "markdown,mkdown,mkdn,mkd,md"
    return frozenset(f".{ext.strip().lower()}" for ext in str(value).split(",") if ext.strip())


def _patterns(config: dict[str, Any], key: str, defaults: Iterable[str]) -> list[str]:
    value = config.get(key)
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [*defaults, *(str(item).lstrip("/") for item in items if isinstance(item, (str, int, float)) and str(item).strip("/"))]


def _special(name: str) -> bool:
    """EntryFilter#special? and #backup?: a name Jekyll leaves out unless ``include:`` names it."""
    return name.startswith((".", "_", "#", "~")) or name.endswith("~")


def has_front_matter(path: Path) -> bool:
    """Whether *path* starts with a ``---`` line, as Jekyll's Utils.has_yaml_header? checks."""
    try:
        with path.open("rb") as file:
            head = file.read(5)
    except OSError:
        return False
    return head.removeprefix(b"\xef\xbb\xbf")[:3] == b"---" and head.removeprefix(b"\xef\xbb\xbf")[3:4] in (b"\n", b"\r", b"")


@dataclass
class Inventory:
    """The site's files as Jekyll sorts them (paths relative to the site, ``/``-separated)."""

    pages: list[str] = field(default_factory=list)
    static_folders: list[str] = field(default_factory=list)
    static_files: list[str] = field(default_factory=list)  # top-level files only: folders are walked
    home: str | None = None  # the root ``index.html`` jekyll-paginate paginates


@dataclass(frozen=True)
class EntryFilter:
    """What of the site Jekyll reads: ``exclude:`` (with Jekyll's defaults), ``include:``, special names."""

    exclude: tuple[str, ...]
    include: tuple[str, ...]
    collections: frozenset[str]  # the collection folders (``_posts``, ``_tds``) read below the top

    @classmethod
    def of(cls, config: dict[str, Any], collections: Iterable[str]) -> EntryFilter:
        exclude = _patterns(config, "exclude", JEKYLL_EXCLUDES)
        include = _patterns(config, "include", ()) or list(JEKYLL_INCLUDES)  # a site's include: replaces the default
        return cls(tuple(exclude), tuple(include), frozenset(f"_{label}" for label in collections))

    def keeps(self, relative: str) -> bool:
        """Whether Jekyll reads *relative*: no part of it special unless included (a collection's
        own folder is read), and not excluded."""
        parts = PurePosixPath(relative).parts
        for end, name in enumerate(parts, start=1):
            if end == 1 and name in self.collections and len(parts) > 1:
                continue
            prefix = "/".join(parts[:end])
            if _special(name) and not jekyll_excluded(prefix, self.include):
                return False
        return not jekyll_excluded(relative, self.exclude, self.include)


def scan_site(
    root: Path, config: dict[str, Any], collections: Iterable[str], output: Path | None, limit: int = MAX_SITE_FILES
) -> Inventory:
    """The pages and static files of the site at *root* (links are not followed: the containment
    scan decides about them), the output folder left out."""
    entries = EntryFilter.of(config, collections)
    markdown = markdown_extensions(config)
    real_output = output.resolve() if output is not None else None
    inventory = Inventory()
    seen = 0
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        relative_folder = here.relative_to(root).as_posix()
        kept_dirs = []
        for name in sorted(dirs):
            relative = name if relative_folder == "." else f"{relative_folder}/{name}"
            if (real_output is not None and (here / name).resolve() == real_output) or not entries.keeps(relative):
                continue
            if relative_folder == "." and name.startswith("_"):  # ``include: [_pages]``: pages inside
                kept_dirs.append(name)
                continue
            kept_dirs.append(name)
            if relative_folder == "." and not (here / name).is_symlink():
                inventory.static_folders.append(relative)
        dirs[:] = kept_dirs
        for name in sorted(files):
            seen += 1
            if seen > limit:
                return inventory
            relative = name if relative_folder == "." else f"{relative_folder}/{name}"
            if not entries.keeps(relative):
                continue
            path = here / name
            suffix = path.suffix.lower()
            if (suffix in PAGE_EXTENSIONS or suffix in markdown) and has_front_matter(path):
                inventory.pages.append(relative)
            elif relative_folder == "." and not path.is_symlink():
                inventory.static_files.append(relative)
    inventory.pages.sort()
    if "index.html" in inventory.pages and paginates(config):
        inventory.home = "index.html"
    return inventory


def paginates(config: dict[str, Any]) -> bool:
    """jekyll-paginate is on: in ``plugins:`` with a positive ``paginate``."""
    per_page = config.get("paginate")
    return "jekyll-paginate" in plugins(config) and isinstance(per_page, int) and not isinstance(per_page, bool) and per_page > 0


def pagination_patterns(config: dict[str, Any]) -> list[tuple[int, str, str]]:
    """Pelican's PAGINATION_PATTERNS for jekyll-paginate's ``paginate_path`` (default ``/page:num``; our own
    home page without jekyll-paginate pages the same way):
    page 1 is the home page, page *n* the folder ``paginate_path`` names, ``index.html`` inside."""
    path = str(config.get("paginate_path") or "/page:num").strip("/").replace("{", "{{").replace("}", "}}")
    folder = path.replace(":num", "{number}")
    return [(1, "{url}", "{save_as}"), (2, f"{folder}/", f"{folder}/index.html")]


def filter_entries(generator: Any) -> None:
    """Pelican's ``generator_init``, for a build from ``_config.yml`` (``IGNORE_FILES`` empty): every
    generator's file list keeps what Jekyll's EntryFilter keeps (no ``.DS_Store``, ``#draft.md#``,
    ``notes.md~`` or ``_partial.scss``, but ``include:``'s ``.htaccess``)."""
    from ..errors import DocumentError
    from .containment import SortedPaths
    from .site import JekyllSite

    settings = generator.settings
    if not settings.get("PALIMPSEST_HTML_PAGES"):
        return
    try:
        site = JekyllSite.load(settings["PATH"], settings.get("PALIMPSEST_CONFIG"))
    except DocumentError:  # reported where the site is read
        return
    entries = EntryFilter.of(site.config, site.collections)
    list_files = generator.get_files

    def get_files(paths: Any, exclude: list[str] | None = None, extensions: Any = None) -> set[str]:
        kept = (path for path in list_files(paths, exclude, extensions) if entries.keeps(os.path.normpath(path).replace(os.sep, "/")))
        return SortedPaths(kept)

    generator.get_files = get_files
