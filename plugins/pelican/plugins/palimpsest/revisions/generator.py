"""The Pelican side of revisions: render them once the documents are read, write their pages last.

Rendering is :mod:`.render`'s (in worker processes: ``PALIMPSEST_JOBS``); where
pages go is :mod:`.urls`'; every page is written through Pelican's Writer by
:class:`~..common.files.BuildFiles`, so a page whose bytes did not change is
not rewritten.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from ..build.content_cache import build_key, site_fingerprint
from ..build.logs import WarningSeen
from ..build.workers import jobs_from
from ..common.files import BuildFiles
from ..errors import DocumentError
from ..features import enabled_features, is_enabled
from ..reader import site_for
from .cache import Body, RevisionCache
from .history import GitUnavailable, repository_root
from .pages import RevisionPages, document_digest, frame_digest, page_key, revision_digest
from .render import Current, RenderedRevision, read_histories, render_histories
from .urls import compare_url, diff_url, history_url, revision_url, save_as

logger = logging.getLogger(__name__)


def _no_history(err: GitUnavailable) -> None:
    logger.info("No revision history (%s): archived revisions are not built.", err)


class RevisionsGenerator(Generator):
    """Reads each document's history after the articles are read; writes its pages last."""

    def generate_context(self) -> None:
        self.histories: dict[str, list[RenderedRevision]] = {}
        if not is_enabled(self.settings, "revisions"):
            return
        documents = [d for d in self._documents() if getattr(d, "source_path", None)]
        if not documents:
            return
        started = time.perf_counter()
        content = Path(self.settings["PATH"]).resolve()
        try:  # first, before the documents' paths are resolved and the cache read: most sites have no history
            root = repository_root(content)
        except GitUnavailable as err:
            _no_history(err)
            return
        site = site_for(self.settings)
        features = enabled_features(self.settings)
        fingerprint: list[str] = []

        def every_document() -> str:
            if not fingerprint:
                fingerprint.append(site_fingerprint(site))
            return fingerprint[0]

        cache = RevisionCache.in_output(self.output_path, build_key(site, features), site.root, every_document)
        paths = dict(sorted((Path(d.source_path).resolve(), d) for d in documents))  # in one order, whatever Pelican's
        try:
            root, histories = read_histories(content, list(paths), strict=bool(self.settings.get("PALIMPSEST_STRICT_HISTORY")), root=root)
        except GitUnavailable as err:
            _no_history(err)
            return
        except DocumentError as err:
            logger.error("%s", err)
            return
        currents = {path: self._current(path, document) for path, document in paths.items()}
        rendered = render_histories(site, root, histories, currents, cache, features, jobs=jobs_from(self.settings))
        cache.save()
        for path, document in paths.items():
            revisions = rendered[path]
            document.revisions = revisions
            document.history_url = history_url(str(document.url))
            self.histories[document.url] = revisions
        logger.info(
            "Revisions: %d rendered for %d documents in %.2f s (cache: %d hits, %d misses; %d as the current version)",
            sum(map(len, rendered.values())),
            len(documents),
            time.perf_counter() - started,
            cache.hits,
            cache.misses,
            cache.reused,
        )

    def _current(self, path: Path, document: Any) -> Current:
        """The document's current version: what each revision is compared with, and its body when that is
        exactly what rendering its file gives (Pelican's Typogrify changes it)."""
        try:
            data: bytes | None = path.read_bytes()
        except OSError:
            data = None
        page = getattr(document, "jekyll", None)
        raw = getattr(document, "_content", None)
        body = None
        if data is not None and isinstance(page, dict) and isinstance(raw, str) and not self.settings.get("TYPOGRIFY"):
            body = Body.of(raw, page.get("updates", []), page.get("tables"), len(data))
        return Current(data, str(document.content), body)

    def _documents(self) -> list[Any]:
        return [*self.context.get("articles", []), *self.context.get("pages", [])]

    def generate_output(self, writer: Any) -> None:
        if not getattr(self, "histories", None):
            return
        files = BuildFiles.of(writer)
        relative_urls = bool(self.settings.get("RELATIVE_URLS", False))
        documents = {d.url: d for d in self._documents()}
        kept = RevisionPages(Path(self.output_path))
        frame = frame_digest(self.context, self.env, self._site_documents)
        written = unchanged = 0
        warnings = WarningSeen()
        for url, revisions in self.histories.items():
            document = documents[url]
            base = history_url(str(document.url))
            source = f"the revision history of {getattr(document, 'relative_source_path', document.source_path)}"
            shown = {id(revision): revision_digest(revision) for revision in revisions}
            pages: list[tuple[str, str, dict[str, Any], list[str]]] = [(base, "history", {"revisions": revisions}, list(shown.values()))]
            for revision in revisions:
                own = [shown[id(revision)]]
                pages.append((revision_url(base, revision.slug), "revision", {"revision": revision}, own))
                if revision.previous is not None:
                    extra = {"revision": revision, "against": revision.previous, "diff": revision.diff}
                    pages.append((diff_url(base, revision.slug), "revision_diff", extra, own))
                extra = {"revision": revision, "against": None, "diff": revision.against_current}
                pages.append((compare_url(base, revision.slug), "revision_diff", extra, own))
            of_document = document_digest(document)
            for page_url, template, extra, values in pages:
                name = save_as(page_url)
                key = page_key(frame, of_document, template, relative_urls, values) if frame is not None else None
                if key is not None and kept.unchanged(name, key):
                    self._keep(files, name, source)
                    unchanged += 1
                    continue
                context = {**self.context, "article": document, "history_url": base, "all_revisions": revisions}
                with warnings:
                    changed = files.write(name, self.get_template(template), context, source=source, relative_urls=relative_urls, **extra)
                if key is not None and not warnings.seen:
                    kept.written(name, key)
                written += int(changed)
                unchanged += int(not changed)
        kept.save()
        logger.info("Revision pages: %d written, %d unchanged (%d not rendered again)", written, unchanged, kept.kept)

    def _keep(self, files: BuildFiles, name: str, source: str) -> None:
        """The page *name* is this build's as it is on disk: claimed and counted, not rendered."""
        path = os.path.abspath(os.path.join(self.output_path, name))
        keep = getattr(files, "keep", None)  # build/writer.KeptFiles
        if callable(keep):
            with files.writing(source):
                keep(path)
            return
        # A writer that cannot keep a file: its own bytes written through it, which it leaves as they are.
        text = Path(path).read_text(encoding="utf-8")
        files.write(name, _Written(text), self.context, source=source, relative_urls=False)

    def _site_documents(self) -> str:
        from ..build.content_cache import site_fingerprint

        return site_fingerprint(site_for(self.settings))


class _Written:
    """A template that renders what a page already holds."""

    def __init__(self, text: str):
        self.text = text

    def render(self, context: dict[str, Any]) -> str:
        return self.text
