"""A Jekyll site folder: ``_config.yml``, ``_data/``, collections, defaults.

Everything a document needs to know about the site it belongs to is here, so
that the Pelican reader and ``palimpsest render`` see the same site.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import logging
import os
import posixpath
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..build.recording import note_site_wide
from ..errors import DocumentError
from ..limits import Limits
from ..resources import INCLUDES_PATH
from .config import read_config
from .documents import SITE_DOCUMENT_KEYS, PageVariables, SiteDocuments, SiteVariables, scan_documents
from .frontmatter import decode_source, load_yaml
from .permalinks import collection_template, style_pattern

logger = logging.getLogger(__name__)

JEKYLL_DEFAULTS: dict[str, Any] = {
    "url": "",
    "baseurl": "",
    "permalink": "date",
    "excerpt_separator": "\n\n",
    "future": False,
    "collections": {},
    "defaults": [],
    "include": [],
    "exclude": [],
    "kramdown": {},
    "markdown_ext": "markdown,mkdown,mkdn,mkd,md",
    "timezone": None,
}


@dataclass(frozen=True)
class Collection:
    label: str
    directory: Path
    output: bool
    permalink: str | None


@dataclass
class DocumentPlace:
    """Where a file sits in the site: its collection (or ``pages``) and relative path."""

    type: str  # "posts", a collection label, or "pages"
    relative_path: str
    collection: Collection | None = None


@dataclass
class JekyllSite:
    root: Path
    config: dict[str, Any] = field(default_factory=dict)
    config_path: Path | None = None
    limits: Limits = field(default_factory=Limits)  # what one document may cost (PALIMPSEST_*_LIMIT settings)

    @classmethod
    def load(cls, root: Path | str, config_path: Path | str | None = None, *, fresh: bool = False) -> JekyllSite:
        """The site at *root*, its ``_config.yml`` and ``_data`` read (and their errors reported) once:
        a second load of unchanged files is the same site, unless *fresh* (a new build) asks again."""
        root = Path(root).resolve()
        path = Path(config_path).resolve() if config_path else root / "_config.yml"
        key, state = (str(root), str(path)), _state(root, path)
        known = _LOADED.get(key)
        if known is not None and known[0] == state and not fresh:
            return known[1]
        config = dict(JEKYLL_DEFAULTS)
        if path.is_file():
            config.update(read_config(path))
        site = cls(root=root, config=config, config_path=path if path.is_file() else None)
        site.data  # noqa: B018 (read now, so that its errors are reported once, before any document)
        _LOADED[key] = (state, site)
        return site

    @classmethod
    def for_file(cls, file: Path, config_path: Path | None = None) -> JekyllSite:
        """The site a lone file belongs to: the nearest folder above it with a ``_config.yml``."""
        if config_path is not None:
            return cls.load(Path(config_path).resolve().parent, config_path)
        for folder in Path(file).resolve().parents:
            if (folder / "_config.yml").is_file():
                return cls.load(folder)
        return cls.load(Path(file).resolve().parent)

    @property
    def include_dirs(self) -> tuple[Path, ...]:
        """Where ``{% include %}`` looks: the site's ``_includes/``, then the includes shipped with the library."""
        includes = self.root / "_includes"
        inside = includes.resolve().is_relative_to(self.root)  # a link out of the site is not read
        return (includes, INCLUDES_PATH) if inside else (INCLUDES_PATH,)

    @property
    def kramdown_config(self) -> dict[str, Any]:
        """The ``kramdown:`` options of ``_config.yml`` (an empty mapping when absent or not a mapping)."""
        options = self.config.get("kramdown")
        return options if isinstance(options, dict) else {}

    @cached_property
    def timezone(self) -> dt.tzinfo:
        name = self.config.get("timezone")
        if name:
            try:
                return ZoneInfo(str(name))
            except (ZoneInfoNotFoundError, ValueError):
                pass
        return dt.timezone.utc

    @cached_property
    def collections(self) -> dict[str, Collection]:
        configured = self.config.get("collections") or {}
        if isinstance(configured, list):
            configured = {label: {} for label in configured}
        result = {
            "posts": Collection("posts", self.root / "_posts", True, None),
        }
        for label, options in configured.items():
            options = options if isinstance(options, dict) else {}
            result[str(label)] = Collection(
                str(label),
                self.root / f"_{label}",
                bool(options.get("output", label == "posts")),
                options.get("permalink"),
            )
        return result

    @cached_property
    def data(self) -> dict[str, Any]:
        """``site.data``: every file of ``_data/`` by its name, folders nested."""
        data: dict[str, Any] = {}
        folder = self.root / "_data"
        if not folder.is_dir():
            return data
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.suffix.lower() not in (".yml", ".yaml", ".json", ".csv", ".tsv"):
                continue
            if not path.resolve().is_relative_to(self.root):
                continue  # a link out of the site: not read (the build's containment scan reports it)
            target = data
            for part in path.relative_to(folder).parent.parts:
                target = target.setdefault(part, {})
            try:
                target[path.stem] = _load_data_file(path)
            except DocumentError as err:  # reported once, here; site.data lacks the file
                logger.error("%s", err)
        return data

    @cached_property
    def variables(self) -> dict[str, Any]:
        """The ``site`` object Liquid sees, built once per site (``site.time`` is the build's time, :attr:`now`);
        ``site.posts``, ``site.collections``, ``site.<label>``… are read on first use (documents.py)."""
        site = SiteVariables(self.config)
        for key in (*SITE_DOCUMENT_KEYS, *self.collections):  # Jekyll's own values hide the config's
            site.pop(key, None)
        site.jekyll = self
        site["data"] = self.data
        return site

    @cached_property
    def now(self) -> dt.datetime:
        """``site.time``: the build's time, taken once (``site.time`` reads it on first use)."""
        return dt.datetime.now(self.timezone).replace(microsecond=0)

    @property
    def documents(self) -> SiteDocuments:
        """Every document's front matter and derived values, scanned once, when first asked for; each
        use noted for the content cache (a document that reads them depends on every document)."""
        note_site_wide()
        return self._documents

    @cached_property
    def _documents(self) -> SiteDocuments:
        return scan_documents(self)

    def page_variables(self, page: dict[str, Any], place: DocumentPlace) -> dict[str, Any]:
        """The ``page`` Liquid sees for a document: its values, ``path`` and ``id`` as Jekyll gives
        them, ``next``/``previous`` looked up in the site's documents on first use."""
        variables = PageVariables(page)
        variables.site = self
        variables.setdefault("path", place.relative_path)
        if place.type != "pages" and "url" in page:
            slug = str(page.get("slug") or PurePosixPath(place.relative_path).stem)
            variables.setdefault("id", posixpath.join(str(PurePosixPath(str(page["url"])).parent), slug))
        return variables

    def place(self, path: Path) -> DocumentPlace:
        # The link's own place, not its target's: a post may link to a file elsewhere in the site.
        resolved = Path(os.path.abspath(path))
        resolved = resolved if resolved.is_relative_to(self.root) else Path(path).resolve()
        relative = PurePosixPath(resolved.relative_to(self.root).as_posix() if resolved.is_relative_to(self.root) else resolved.name)
        first = relative.parts[0] if len(relative.parts) > 1 else ""
        for collection in self.collections.values():
            if first == f"_{collection.label}":
                return DocumentPlace(collection.label, str(relative), collection)
        if "_posts" in relative.parts[:-1]:
            return DocumentPlace("posts", str(relative), self.collections["posts"])
        return DocumentPlace("pages", str(relative))

    def front_matter_defaults(self, place: DocumentPlace) -> dict[str, Any]:
        """Values from ``defaults:`` whose scope matches, later scopes winning."""
        values: dict[str, Any] = {}
        for entry in self.config.get("defaults") or []:
            if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict):
                continue  # an invalid set (reported when _config.yml was read)
            scope = entry.get("scope") or {}
            if not isinstance(scope, dict):
                continue
            scope_path = str(scope.get("path") or "").strip("/")
            scope_type = scope.get("type")
            if scope_type and scope_type != place.type:
                continue
            if scope_path and not (place.relative_path == scope_path or place.relative_path.startswith(scope_path + "/")):
                continue
            values.update(entry.get("values") or {})
        return values

    def permalink_pattern(self, place: DocumentPlace) -> str:
        """The URL template of a collection document: the collection's ``permalink``, else
        the site's style for posts, else ``/:collection/:path`` ended like that style."""
        if place.collection is not None and place.collection.permalink:
            return str(place.collection.permalink)
        style = str(self.config.get("permalink") or "date")
        return style_pattern(style) if place.type == "posts" else collection_template(style)


_LOADED: dict[tuple[str, str], tuple[str, JekyllSite]] = {}


def _state(root: Path, config: Path) -> str:
    """A digest of what a loaded site depends on: the bytes of ``_config.yml`` and of every ``_data`` file."""
    digest = hashlib.sha256()
    folder = root / "_data"
    files = [config, *(sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else [])]
    for file in files:
        digest.update(str(file).encode() + b"\0")
        try:  # a link is not followed: what it points at may be outside the site
            digest.update(b"\1" + str(file.readlink()).encode() if file.is_symlink() else file.read_bytes())
        except OSError:
            digest.update(b"\1missing")
    return digest.hexdigest()


def _load_data_file(path: Path) -> Any:
    suffix = path.suffix.lower()
    try:
        text = decode_source(path.read_bytes(), path)
    except OSError as err:
        raise DocumentError(path, None, f"cannot be read: {err.strerror}") from None
    if suffix in (".yml", ".yaml"):
        return load_yaml(text, path, what="YAML")
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as err:
            raise DocumentError(path, err.lineno, f"invalid JSON: {err.msg}") from None
    reader = csv.DictReader(text.splitlines(), delimiter="\t" if suffix == ".tsv" else ",")
    try:
        return list(reader)
    except csv.Error as err:
        raise DocumentError(path, reader.line_num or None, f"invalid {suffix[1:].upper()}: {err}") from None
