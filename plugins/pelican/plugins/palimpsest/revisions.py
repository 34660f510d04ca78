"""Every past revision of every article, built as its own page.

Like Wikipedia's history and ``oldid`` pages, as static files, relative to
the article's own URL:

- ``history/``: every revision, newest first, with what changed;
- ``history/<YYYY-MM-DD>-<sha7>/``: the revision rendered by today's
  pipeline and theme (``noindex``, canonical link to the current page);
- ``history/<YYYY-MM-DD>-<sha7>/diff/``: against the previous revision;
- ``history/<YYYY-MM-DD>-<sha7>/compare/``: against the current version.

Revision bodies are rendered through a cache keyed by blob id and the
pipeline's fingerprint, stored in the output folder; a page whose bytes did
not change is not rewritten.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from .document import plain_text, render_document
from .errors import DocumentError
from .history import GitUnavailable, Revision, check_shallow, read_blobs, read_history, repository_root
from .htmldiff import DiffResult, diff_html
from .reader import site_for
from .settings import feature_enabled

logger = logging.getLogger(__name__)

CACHE_FOLDER = ".palimpsest-cache"
PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def pipeline_fingerprint() -> str:
    """A hash of the library's code and includes: any change re-renders every revision."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", "") and "__pycache__" not in path.parts and "theme" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class RenderedRevision:
    """A revision of one document, rendered, with what changed since the one before."""

    revision: Revision
    html: str
    updates: list[dict[str, Any]]
    tables: Any
    size: int
    error: str | None = None
    previous: RenderedRevision | None = None
    following: RenderedRevision | None = None
    diff: Any = None  # against the previous revision
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.revision.slug


def history_url(document: Any) -> str:
    """``<article url>/history/``, the article's URL ending in a folder."""
    url = str(document.url)
    if url.endswith(".html"):
        url = url[: -len(".html")] + "/"
    elif url and not url.endswith("/"):
        url += "/"
    return f"{url}history/"


class RevisionCache:
    """Rendered revision bodies, one JSON file per key, inside the output folder."""

    def __init__(self, folder: Path, settings_key: str):
        self.folder = folder
        self.settings_key = settings_key
        self.hits = self.misses = 0

    def key(self, path: str, blob: str) -> str:
        return hashlib.sha256(f"{pipeline_fingerprint()}\0{self.settings_key}\0{path}\0{blob}".encode()).hexdigest()[:32]

    def get(self, key: str) -> dict[str, Any] | None:
        """A rendered revision, counted as a hit or a miss."""
        value = self._load(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def _load(self, key: str) -> dict[str, Any] | None:
        file = self.folder / f"{key}.json"
        return json.loads(file.read_text(encoding="utf-8")) if file.is_file() else None

    def diff(self, old_id: str, new_id: str, old: str, new: str) -> DiffResult:
        """The diff of two rendered bodies identified by *old_id* and *new_id* (blob or content hashes)."""
        key = self.key("diff", f"{old_id}\0{new_id}")
        cached = self._load(key)
        if cached is not None:
            return DiffResult(**cached)
        result = diff_html(old, new)
        self.put(key, asdict(result))
        return result

    def put(self, key: str, value: dict[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / f"{key}.json").write_text(json.dumps(value, ensure_ascii=False, default=str), encoding="utf-8")


def write_if_changed(target: Path, text: str) -> bool:
    """Write *text* unless *target* already holds exactly it; True if written."""
    data = text.encode("utf-8")
    if target.is_file() and target.read_bytes() == data:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return True


_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)


def _tables(html: str) -> list[str]:
    return _TABLE.findall(html)


def _summary(current: RenderedRevision) -> dict[str, Any]:
    previous = current.previous
    before_updates = {u["id"] for u in previous.updates} if previous else set()
    added_updates = [u for u in current.updates if u["id"] not in before_updates]
    diff = current.diff
    return {
        "size_change": current.size - (previous.size if previous else 0),
        "inserted": diff.inserted_chars if diff else len(plain_text(current.html)),
        "deleted": diff.deleted_chars if diff else 0,
        "visible_change": diff.changed if diff else True,
        "updates_added": len(added_updates),
        "tables_changed": bool(previous) and (previous.tables != current.tables or _tables(previous.html) != _tables(current.html)),
    }


class RevisionsGenerator(Generator):
    """Reads each document's history after the articles are read; writes its pages last."""

    def generate_context(self) -> None:
        self.histories: dict[str, list[RenderedRevision]] = {}
        if not feature_enabled(self.settings, "revisions"):
            return
        documents = [d for d in [*self.context.get("articles", []), *self.context.get("pages", [])] if getattr(d, "source_path", None)]
        if not documents:
            return
        started = time.perf_counter()
        content = Path(self.settings["PATH"]).resolve()
        try:
            root = repository_root(content)
            check_shallow(root, strict=bool(self.settings.get("PALIMPSEST_STRICT_HISTORY")))
            history = read_history(root, [Path(d.source_path).resolve() for d in documents], scope=content)
            blobs = read_blobs(root, [r.blob for revisions in history.values() for r in revisions])
        except GitUnavailable as err:
            logger.info("No revision history (%s): archived revisions are not built.", err)
            return
        except DocumentError as err:
            logger.error("%s", err)
            return
        site = site_for(self.settings)
        from . import features_for  # the package imports this module lazily

        features = sorted(features_for(self.settings))
        settings_key = hashlib.sha256(json.dumps([site.config, features], sort_keys=True, default=str).encode()).hexdigest()[:16]
        self.features = frozenset(features)
        self.cache = cache = RevisionCache(Path(self.output_path) / CACHE_FOLDER / "revisions", settings_key)
        count = 0
        for document in documents:
            path = Path(document.source_path).resolve()
            revisions = history.get(path, [])
            rendered = [self._render(cache, site, path, revision, blobs.get(revision.blob, b"")) for revision in reversed(revisions)]
            for older, newer in zip(rendered, rendered[1:]):
                newer.previous, older.following = older, newer
            for revision in rendered:
                if revision.previous is not None:
                    revision.diff = cache.diff(revision.previous.revision.blob, revision.revision.blob, revision.previous.html, revision.html)
                revision.summary = _summary(revision)
            newest_first = list(reversed(rendered))
            document.revisions = newest_first
            document.history_url = history_url(document)
            self.histories[document.url] = newest_first
            count += len(rendered)
        logger.info(
            "Revisions: %d rendered for %d documents in %.2f s (cache: %d hits, %d misses)",
            count, len(documents), time.perf_counter() - started, cache.hits, cache.misses,
        )

    def _render(self, cache: RevisionCache, site: Any, path: Path, revision: Revision, data: bytes) -> RenderedRevision:
        key = cache.key(revision.path, revision.blob)
        cached = cache.get(key)
        if cached is None:
            try:
                document = render_document(path, site, text=data.decode("utf-8"), features=self.features)
                cached = {
                    "html": document.html,
                    "updates": [{**u, "date": u["date"].isoformat()} for u in document.metadata.get("updates", [])],
                    "tables": document.metadata.get("tables"),
                    "error": None,
                }
            except (DocumentError, UnicodeDecodeError) as err:
                # An old revision that no longer renders is shown as such; it does not fail today's build.
                logger.warning("%s at %s: %s", path, revision.short, err)
                cached = {"html": "", "updates": [], "tables": None, "error": str(err)}
            cache.put(key, cached)
        return RenderedRevision(
            revision, cached["html"], cached["updates"], cached["tables"], len(data), cached["error"]
        )

    def generate_output(self, writer: Any) -> None:
        if not getattr(self, "histories", None):
            return
        output = Path(self.output_path)
        documents = {d.url: d for d in [*self.context.get("articles", []), *self.context.get("pages", [])]}
        written = unchanged = 0
        for url, revisions in self.histories.items():
            document = documents[url]
            base = history_url(document)
            current = hashlib.sha256(document.content.encode()).hexdigest()
            pages = [(f"{base}index.html", "history", {"revisions": revisions})]
            for revision in revisions:
                folder = f"{base}{revision.slug}/"
                pages.append((f"{folder}index.html", "revision", {"revision": revision}))
                if revision.previous is not None:
                    pages.append((f"{folder}diff/index.html", "revision_diff", {"revision": revision, "against": revision.previous, "diff": revision.diff}))
                compared = self.cache.diff(revision.revision.blob, current, revision.html, document.content)
                pages.append((f"{folder}compare/index.html", "revision_diff", {"revision": revision, "against": None, "diff": compared}))
            for save_as, template, extra in pages:
                context = {**self.context, "article": document, "history_url": base, "all_revisions": revisions, **extra}
                html = self.get_template(template).render(context)
                if write_if_changed(output / save_as, html):
                    written += 1
                else:
                    unchanged += 1
        logger.info("Revision pages: %d written, %d unchanged", written, unchanged)
