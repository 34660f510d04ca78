"""A build's documents, each rendered once: from the content cache, by worker processes before Pelican
reads them, or when Pelican reads them; and each said (log records, migration-report notes, error)
when Pelican reads it, so that a build says and writes what a serial build from scratch does.

Pelican's ``generator_init`` hands every generator of a build to :func:`track`;
the first document the reader asks for (:func:`current`, then
:meth:`BuildDocuments.rendering`) starts the build's documents: with
``PALIMPSEST_JOBS`` above 1, the files Pelican's article and page generators
will read are looked up in the cache and, when enough of them are missing,
rendered in worker processes (build/workers.py); serial, each is looked up (or
rendered) when Pelican reads it.  The reader takes each result in Pelican's own
order.  Workers write no cache entry: each comes back with its document, and
the cache is written once, by ``finalized`` (:func:`finish`), which also says
how many documents were rendered.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import report
from ..errors import DocumentError
from .content_cache import ContentCache, Entry, build_key, site_fingerprint
from .logs import capture, replay
from .recording import Uses, forget_digests, recording
from .workers import MIN_ITEMS, jobs_from, map_outcomes

if TYPE_CHECKING:
    from ..jekyll.site import JekyllSite
    from .rendered import RenderedDocument

logger = logging.getLogger(__name__)

__all__ = ["CACHE_SETTING", "BuildDocuments", "Rendering", "current", "finish", "render_recorded", "track"]

CACHE_SETTING = "PALIMPSEST_CONTENT_CACHE"  # False: every document rendered in every build


@dataclass
class Rendering:
    """One document's rendering as a build uses it: the document or the error, and what it said."""

    document: RenderedDocument | None
    error: BaseException | None = None
    records: list[logging.LogRecord] = field(default_factory=list)
    notes: list[report.Unknown] = field(default_factory=list)
    uses: Uses = field(default_factory=Uses)
    cached: bool = False
    stored: tuple[str, bytes] | None = None  # its cache entry (name, pickle), made where it was rendered

    def say(self) -> None:
        """Log the records and note the report's entries, as the rendering did."""
        replay(self.records)
        for unknown in self.notes:
            report.note_unknown(unknown.kind, unknown.name, unknown.file, unknown.line)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        if isinstance(self.error, DocumentError):  # rebuilt from its parts: its pickle alone cannot be
            state["error"] = _PortableError(type(self.error), self.error.path, self.error.line, self.error.reason)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        if isinstance(state.get("error"), _PortableError):
            state["error"] = state["error"].rebuild()
        self.__dict__.update(state)


@dataclass(frozen=True)
class _PortableError:
    kind: type[DocumentError]
    path: Path
    line: int | None
    reason: str

    def rebuild(self) -> DocumentError:
        return self.kind(self.path, self.line, self.reason)


def render_recorded(path: Path, site: JekyllSite, features: Iterable[str]) -> Rendering:
    """Render *path* with what it says (log records, report notes) kept, not said, and its inputs noted."""
    from ..document import render_document

    before = report.collected()
    report.reset()
    try:
        with capture() as records, recording() as uses:
            try:
                rendering = Rendering(render_document(path, site, features=features))
            except Exception as err:  # bad input (DocumentError) or a bug: said when Pelican reads the file
                rendering = Rendering(None, err)
        notes = report.collected()
    finally:
        report.reset()
        for unknown in before:
            report.note_unknown(unknown.kind, unknown.name, unknown.file, unknown.line)
    rendering.records, rendering.notes, rendering.uses = records, notes, uses
    return rendering


class BuildDocuments:
    """The documents of one Pelican build (one ``Pelican.run``)."""

    def __init__(self, settings: dict[str, Any], context: dict[str, Any]):
        self.settings, self.context = settings, context
        self.generators: list[Any] = []
        self.cache: ContentCache | None = None
        self.ahead: dict[str, Rendering] = {}  # rendered or found before Pelican reads them
        self.started = False
        self.rendered = self.from_cache = 0
        self._site: JekyllSite | None = None
        self._fingerprint: str | None = None
        forget_digests()  # files may have changed since the last build of this process

    def rendering(self, path: Path, site: JekyllSite, features: Iterable[str]) -> Rendering:
        """The rendering of the document at *path* (absolute), as Pelican reads it."""
        names = frozenset(features)
        if not self.started:
            self._start(site, names)
        known = self.ahead.get(str(path))
        if known is None:
            known = self._lookup(path) or self._render([path], site, names, jobs=1)[0]
        if known.cached:
            self.from_cache += 1
        else:
            self.rendered += 1
        logger.debug("%s: %s", path, "from the cache" if known.cached else "rendered")
        return known

    def fingerprint(self) -> str:
        """:func:`site_fingerprint` of this build, computed once, when an entry needs it."""
        if self._fingerprint is None:
            assert self._site is not None
            self._fingerprint = site_fingerprint(self._site)
        return self._fingerprint

    def _start(self, site: JekyllSite, features: frozenset[str]) -> None:
        self.started, self._site = True, site
        if self.settings.get(CACHE_SETTING, True):
            self.cache = ContentCache.in_output(self.settings["OUTPUT_PATH"], build_key(site, features), site.root)
        jobs = jobs_from(self.settings)
        if jobs <= 1:  # each document looked up, or rendered, when Pelican reads it
            return
        missing = []
        for path in self._files():
            found = self._lookup(path)
            if found is not None:
                self.ahead[str(path)] = found
            else:
                missing.append(path)
        if len(missing) >= MIN_ITEMS:
            logger.debug("%d documents to render in %d worker processes", len(missing), jobs)
            site.now  # noqa: B018 (taken before the workers start: one build time, as in a serial build)
            site.variables  # noqa: B018
            for path, found in zip(missing, self._render(missing, site, features, jobs=jobs), strict=True):
                self.ahead[str(path)] = found

    def _files(self) -> list[Path]:
        """The files Pelican's article and page generators will read with this plugin's reader."""
        from pelican.generators import ArticlesGenerator, PagesGenerator

        from ..reader import JekyllReader

        files: dict[str, None] = {}
        for generator in self.generators:
            kind = "ARTICLE" if isinstance(generator, ArticlesGenerator) else "PAGE" if isinstance(generator, PagesGenerator) else None
            if kind is None:
                continue
            readers = generator.readers.reader_classes
            for relative in sorted(generator.get_files(self.settings[f"{kind}_PATHS"], exclude=self.settings[f"{kind}_EXCLUDES"])):
                extension = os.path.splitext(relative)[1][1:]
                if readers.get(extension) is JekyllReader:
                    files.setdefault(os.path.abspath(os.path.join(generator.path, relative)), None)
        return [Path(file) for file in files]

    def _lookup(self, path: Path) -> Rendering | None:
        entry = self.cache.get(path, self.fingerprint) if self.cache is not None else None
        if entry is None:
            return None
        return Rendering(entry.document, records=entry.records, notes=entry.notes, cached=True)

    def _render(self, paths: list[Path], site: JekyllSite, features: frozenset[str], *, jobs: int) -> list[Rendering]:
        """Render *paths*, in *jobs* processes (the first in this one: ``build/workers.py``), each kept in the cache."""

        def render(path: Path) -> Rendering:
            rendering = render_recorded(path, site, features)
            if self.cache is not None and rendering.document is not None and _cacheable(rendering, site):
                entry = Entry(rendering.document, rendering.records, rendering.notes, dict(rendering.uses.files))
                entry.site = self.fingerprint() if rendering.uses.site_wide else None
                rendering.stored = self.cache.encode(path, entry)
            return rendering

        outcomes = map_outcomes(render, paths, jobs, min_items=MIN_ITEMS)
        renderings = []
        for outcome in outcomes:
            rendering = outcome.value if outcome.error is None and outcome.value is not None else Rendering(None, outcome.error)
            rendering.records[:0] = outcome.records
            if rendering.stored is not None and self.cache is not None:  # made here or by a worker: kept by this build
                self.cache.add(*rendering.stored)
                rendering.stored = None
            renderings.append(rendering)
        return renderings

    def finish(self) -> None:
        """Say what the build rendered; keep the cache entries it used (only they)."""
        if not self.started:
            return
        logger.info("Documents: %d rendered, %d from cache", self.rendered, self.from_cache)
        if self.cache is not None:
            self.cache.save()


def _cacheable(rendering: Rendering, site: JekyllSite) -> bool:
    """Whether a later build would render the document the same from the same inputs: not if it read
    the clock (``site.time``), is dated in the future (it will be published), or is an undated
    collection document whose URL holds today's date."""
    document: RenderedDocument | None = rendering.document
    if document is None or rendering.uses.clock or document.metadata.get("future"):
        return False
    if document.metadata.get("date") is not None or site.place(document.source).type == "pages":
        return True
    from ..jekyll.permalinks import date_placeholders

    pattern = str(document.metadata.get("permalink") or site.permalink_pattern(site.place(document.source)))
    return not any(f":{name}" in pattern for name in date_placeholders(dt.datetime(2000, 1, 1)))


_CURRENT: BuildDocuments | None = None


def track(generator: Any) -> None:
    """Pelican's ``generator_init``: the generators of the build under way (a new context is a new build)."""
    global _CURRENT
    if _CURRENT is None or _CURRENT.settings is not generator.settings or _CURRENT.context is not generator.context:
        _CURRENT = BuildDocuments(generator.settings, generator.context)
    _CURRENT.generators.append(generator)


def current(settings: dict[str, Any]) -> BuildDocuments | None:
    """The documents of the build whose settings are *settings*, if one is under way."""
    return _CURRENT if _CURRENT is not None and _CURRENT.settings is settings else None


def finish(pelican: Any) -> None:
    """Pelican's ``finalized``: the build's counts said, its cache entries written."""
    global _CURRENT
    if _CURRENT is not None and _CURRENT.settings is pelican.settings:
        _CURRENT.finish()
        _CURRENT = None
