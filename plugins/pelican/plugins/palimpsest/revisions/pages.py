"""Revision pages not rendered again when what they are made from did not change.

A site with history has many revision pages (nine per post with three
revisions), nearly all the same from one build to the next.  Each page gets a
key, a digest of what it is made from:

- the build's *frame*, the same for every revision page: the library's code,
  the templates the theme can load and the environment's filters and globals,
  every plain value of the context (the settings, ``SITEURL``, the search
  switch…), the site's pages as the masthead lists them, the theme's site
  values (``_config.yml``, ``_data``, the navigation) and the site's custom
  head and footer includes, with every document's bytes when there are some
  (their Liquid may list the posts);
- the document: its URL, title, language and front matter;
- the page: its template, and the revisions it shows (bodies, diffs, neighbours, summaries).

What is not in the frame is what the revision templates do not show: the
other posts, the taxonomies.  A page whose key is the one it was written with,
and whose file is as that build left it (size and time), is kept as it is; one
whose rendering logged a warning is rendered again next time, so that the
warning is said again.  The keys are in ``<output>/.palimpsest-cache/revision-pages.json``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import types
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePath
from typing import Any

from ..build.cache_folder import CACHE_FOLDER
from ..common.atomic import replace_atomically
from .cache import pipeline_fingerprint

logger = logging.getLogger(__name__)

MANIFEST = "revision-pages.json"
FORMAT = 1


class _NotPlain(Exception):
    """A value with no stable plain form (a document, a generator): left out of the frame."""


def plain(value: Any, depth: int = 0) -> Any:
    """*value* as JSON data that is the same in every build for the same value."""
    if depth > 30:
        raise _NotPlain("a value nested too deep")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (PurePath, dt.timedelta, dt.tzinfo)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [plain(item, depth + 1) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted(json.dumps(plain(item, depth + 1), sort_keys=True) for item in value)
    if isinstance(value, Mapping):
        return {str(key): plain(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type, types.ModuleType)):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', getattr(value, '__name__', ''))}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__qualname__, *(plain(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value))]
    raise _NotPlain(type(value).__qualname__)


def digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(plain(value), sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]


def frame_digest(context: Mapping[str, Any], environment: Any, site_documents: Callable[[], str]) -> str | None:
    """What every revision page of a build is made from besides its document and revisions (None when
    the theme's site values have no plain form: then every page is rendered)."""
    from ..theme_context import CONTEXT_KEY, CUSTOM_INCLUDES

    try:
        templates = _templates(environment)
    except TypeError as err:  # a loader that cannot list its templates: what they are is unknown
        logger.debug("revision pages rendered in every build: %s", err)
        return None
    parts: dict[str, Any] = {"library": pipeline_fingerprint(), "templates": templates}
    for name in ("filters", "tests", "globals"):
        parts[name] = {key: _callable(value) for key, value in sorted(getattr(environment, name).items())}
    values: dict[str, Any] = {}
    for key, value in sorted(context.items()):
        if key in (CONTEXT_KEY, "localsiteurl"):
            continue  # the theme's site values, below; the last page's relative URL, which a revision page does not use
        try:
            values[key] = plain(value)
        except _NotPlain:
            continue  # the articles, the taxonomies, generators: not what a revision page shows
    parts["context"] = values
    parts["pages"] = [_page(page) for page in context.get("pages") or []]  # the masthead's links
    theme = context.get(CONTEXT_KEY)
    if theme is not None:
        includes = {name: _file(Path(theme.root) / relative) for name, relative in CUSTOM_INCLUDES.items()}
        try:
            parts["theme"] = plain([theme.config, theme.data, theme.navigation, includes])
        except _NotPlain as err:
            logger.debug("revision pages rendered in every build: the site's values hold %s", err)
            return None
        if any(found is not None for found in includes.values()):
            parts["documents"] = site_documents()  # the includes' Liquid may list the posts
    return digest(parts)


def _templates(environment: Any) -> list[tuple[str, str]]:
    """Every template the environment can load, with its source (a theme's own override included)."""
    found = []
    for name in sorted(environment.list_templates()):
        try:
            source, _, _ = environment.loader.get_source(environment, name)
        except Exception as err:  # a template that cannot be read: its page says why when rendered
            source = f"unreadable: {err}"
        found.append((name, source))
    return found


def _callable(value: Any) -> Any:
    try:
        return plain(value)
    except _NotPlain:
        kind = type(value)
        return f"{kind.__module__}.{kind.__qualname__}"


def _page(page: Any) -> Any:
    return [str(getattr(page, name, "")) for name in ("url", "title", "lang", "layout", "source_path")]


def _file(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def revision_digest(revision: Any) -> str:
    """What the pages of one revision (a :class:`~.render.RenderedRevision`) show of it, in one go."""
    r = revision.revision
    shown = [
        [r.commit, r.date.isoformat(), r.message, r.path, r.blob],
        [revision.html, revision.updates, revision.tables, revision.size, revision.error, revision.summary],
        [neighbour.revision.commit if neighbour else None for neighbour in (revision.previous, revision.following)],
        [dataclasses.astuple(diff) if diff else None for diff in (revision.diff, revision.against_current)],
    ]
    text = json.dumps(shown, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def document_digest(document: Any) -> str:
    """What the revision pages show of their document."""
    page = getattr(document, "jekyll", None)
    try:
        front = plain(page)
    except _NotPlain:
        front = repr(sorted(page)) if isinstance(page, Mapping) else None
    return digest([str(document.url), str(document.title), str(getattr(document, "lang", "")), front])


class RevisionPages:
    """The keys of the revision pages of the last build into an output folder, and of this build's."""

    def __init__(self, output: Path):
        self.output = output
        self.file = output / CACHE_FOLDER / MANIFEST
        self.previous = self._load()
        self.current: dict[str, list[Any]] = {}
        self.kept = 0

    def _load(self) -> dict[str, Any]:
        try:
            stored = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # none yet, or damaged: every page is rendered
            return {}
        if not isinstance(stored, dict) or stored.get("format") != FORMAT or not isinstance(stored.get("pages"), dict):
            return {}
        pages: dict[str, Any] = stored["pages"]
        return pages

    def unchanged(self, save_as: str, key: str) -> bool:
        """Whether the page at *save_as* was written with *key* and its file is as that build left it."""
        entry = self.previous.get(save_as)
        if not isinstance(entry, list) or len(entry) != 3 or entry[0] != key:
            return False
        try:
            state = os.stat(self.output / save_as)
        except OSError:
            return False
        if [state.st_size, state.st_mtime_ns] != entry[1:]:
            return False
        self.current[save_as] = entry
        self.kept += 1
        return True

    def written(self, save_as: str, key: str) -> None:
        """The page at *save_as* was rendered from *key* (and written, or found already holding its bytes)."""
        try:
            state = os.stat(self.output / save_as)
        except OSError:
            return
        self.current[save_as] = [key, state.st_size, state.st_mtime_ns]

    def save(self) -> None:
        """Keep this build's keys for the next build (atomically; a failure only costs renderings)."""
        if self.current == self.previous:
            return
        try:
            keys = json.dumps({"format": FORMAT, "pages": dict(sorted(self.current.items()))}, separators=(",", ":"))
            replace_atomically(self.file, keys.encode("utf-8"))
        except OSError as err:
            logger.debug("%s not written: %s", self.file, err)


def page_key(frame: str, document: str, template: str, relative_urls: bool, shown: Iterable[str]) -> str:
    """The key of one page: the frame, its document, its template and the digests of the revisions it shows."""
    return hashlib.sha256("\0".join([frame, document, template, str(relative_urls), *shown]).encode()).hexdigest()[:32]
