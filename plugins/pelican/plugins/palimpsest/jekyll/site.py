"""A Jekyll site folder: ``_config.yml``, ``_data/``, collections, defaults.

Everything a document needs to know about the site it belongs to is here, so
that the Pelican reader and ``palimpsest render`` see the same site.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import DocumentError
from ..resources import INCLUDES_PATH
from .frontmatter import load_yaml
from .permalinks import collection_template, style_pattern

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

    @classmethod
    def load(cls, root: Path | str, config_path: Path | str | None = None) -> JekyllSite:
        root = Path(root).resolve()
        path = Path(config_path).resolve() if config_path else root / "_config.yml"
        config = dict(JEKYLL_DEFAULTS)
        if path.is_file():
            loaded = load_yaml(path.read_text(encoding="utf-8"), path)
            if loaded is not None and not isinstance(loaded, dict):
                raise DocumentError(path, 1, "_config.yml must be a mapping")
            config.update(loaded or {})
        return cls(root=root, config=config, config_path=path if path.is_file() else None)

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
            target[path.stem] = _load_data_file(path)
        return data

    @cached_property
    def variables(self) -> dict[str, Any]:
        """The ``site`` object Liquid sees, built once per site (``site.time`` is the build's time)."""
        site = dict(self.config)
        site["data"] = self.data
        site.setdefault("time", dt.datetime.now(self.timezone).replace(microsecond=0))
        return site

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
            if not isinstance(entry, dict):
                continue
            scope = entry.get("scope") or {}
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


def _load_data_file(path: Path) -> Any:
    suffix = path.suffix.lower()
    text = path.read_text(encoding="utf-8")
    if suffix in (".yml", ".yaml"):
        return load_yaml(text, path)
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as err:
            raise DocumentError(path, err.lineno, f"invalid JSON: {err.msg}") from None
    return list(csv.DictReader(text.splitlines(), delimiter="\t" if suffix == ".tsv" else ","))
