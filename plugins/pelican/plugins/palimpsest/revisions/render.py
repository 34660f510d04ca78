"""Every revision of a document rendered by today's pipeline, with its diffs and a summary.

No Pelican here: what a build, the CLI or a test needs is a site, the
documents' paths and a :class:`~.cache.RevisionCache`.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..common.text import visible_text
from ..document import render_document
from ..errors import DocumentError
from ..htmldiff import DiffResult
from .cache import RevisionCache
from .history import Revision, check_shallow, read_blobs, read_history, repository_root

if TYPE_CHECKING:
    from ..jekyll.site import JekyllSite

logger = logging.getLogger(__name__)


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
    diff: DiffResult | None = None  # against the previous revision
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.revision.slug


def render_histories(
    site: JekyllSite,
    content: Path,
    paths: Sequence[Path],
    cache: RevisionCache,
    features: Iterable[str],
    *,
    strict: bool = False,
) -> dict[Path, list[RenderedRevision]]:
    """Every revision of each of *paths* (absolute), newest first, from the git history of *content*.

    Raises :class:`~.history.GitUnavailable` without git or a repository, and
    :class:`~.errors.DocumentError` for a shallow clone when *strict*.
    """
    root = repository_root(content)
    check_shallow(root, strict=strict)
    history = read_history(root, list(paths), scope=content)
    blobs = read_blobs(root, [r.blob for revisions in history.values() for r in revisions])
    chosen = frozenset(features)
    return {path: render_history(site, path, history.get(path, []), blobs, cache, chosen) for path in paths}


def render_history(
    site: JekyllSite,
    path: Path,
    revisions: Sequence[Revision],
    blobs: dict[str, bytes],
    cache: RevisionCache,
    features: frozenset[str],
) -> list[RenderedRevision]:
    """*revisions* (newest first, as git lists them) rendered, linked, diffed and summarised; newest first."""
    rendered = [render_revision(site, path, revision, blobs.get(revision.blob, b""), cache, features) for revision in reversed(revisions)]
    for older, newer in pairwise(rendered):
        newer.previous, older.following = older, newer
    for revision in rendered:
        if revision.previous is not None:
            revision.diff = cache.diff(revision.previous.revision.blob, revision.revision.blob, revision.previous.html, revision.html)
        revision.summary = summary(revision)
    return list(reversed(rendered))


def render_revision(
    site: JekyllSite,
    path: Path,
    revision: Revision,
    data: bytes,
    cache: RevisionCache,
    features: frozenset[str],
) -> RenderedRevision:
    """One revision's body, from the cache or rendered (and cached); one that no longer renders says why."""
    key = cache.key(revision.path, revision.blob)
    cached = cache.get(key)
    if cached is None:
        try:
            document = render_document(path, site, text=data.decode("utf-8"), features=features)
            cached = {
                "html": document.html,
                "updates": [{**u, "date": u["date"].isoformat()} for u in document.metadata.get("updates", [])],
                "tables": document.metadata.get("tables"),
                "error": None,
            }
        except (DocumentError, UnicodeDecodeError) as err:
            # An old revision that no longer renders is shown as such; it does not fail today's build.
            logger.warning("%s at %s: %s", path, revision.short, err)
            cached = {"html": "", "updates": [], "tables": None, "error": public_error(revision, err, site.root)}
        cache.put(key, cached)
    return RenderedRevision(revision, cached["html"], cached["updates"], cached["tables"], len(data), cached["error"])


def public_error(revision: Revision, err: DocumentError | UnicodeDecodeError, root: Path) -> str:
    """What a revision page says about a revision that no longer renders: the file's path in the
    repository, the line and the reason, never a path of the machine that builds the site."""
    if isinstance(err, UnicodeDecodeError):
        return f"{revision.path}: not valid UTF-8 (byte 0x{err.object[err.start]:02x} at offset {err.start})"
    where = f"{revision.path}:{err.line}" if err.line else revision.path
    reason = err.reason.replace(f"{root.resolve()}/", "").replace(f"{root}/", "")
    return f"{where}: {reason}"


def compare_with_current(revisions: Iterable[RenderedRevision], current_html: str, cache: RevisionCache) -> list[DiffResult]:
    """Each of *revisions* against the current body (identified by its content hash)."""
    current = hashlib.sha256(current_html.encode()).hexdigest()
    return [cache.diff(revision.revision.blob, current, revision.html, current_html) for revision in revisions]


_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)


def _tables(html: str) -> list[str]:
    return _TABLE.findall(html)


def summary(current: RenderedRevision) -> dict[str, Any]:
    """What changed since the previous revision: size, characters, updates added, tables."""
    previous = current.previous
    before_updates = {u["id"] for u in previous.updates} if previous else set()
    added_updates = [u for u in current.updates if u["id"] not in before_updates]
    diff = current.diff
    return {
        "size_change": current.size - (previous.size if previous else 0),
        "inserted": diff.inserted_chars if diff else len(visible_text(current.html)),
        "deleted": diff.deleted_chars if diff else 0,
        "visible_change": diff.changed if diff else True,
        "updates_added": len(added_updates),
        "tables_changed": previous is not None and (previous.tables != current.tables or _tables(previous.html) != _tables(current.html)),
    }
