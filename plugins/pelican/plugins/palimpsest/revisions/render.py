"""Every revision of a document rendered by today's pipeline, with its diffs and a summary.

No Pelican here: what a build, the CLI or a test needs is a site, the
documents' paths, their current versions and a :class:`~.cache.RevisionCache`.

The work is done once per input and spread over processes:

- a revision whose file is the current file (usually the newest) is the
  current version's body, not rendered again (:class:`Current`);
- bodies and diffs come from the cache when their inputs did not change;
- what is left is done per document (:func:`work_history`) in worker
  processes (``build/workers.py``), each document's revisions parsed once for
  all their diffs (:class:`~..htmldiff.Fragment`); the results are taken in
  document order, so a parallel build says and writes what a serial one does.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..build.recording import Uses, recording
from ..build.workers import map_outcomes
from ..common.text import visible_text
from ..errors import DocumentError
from .cache import Body, RevisionCache
from .history import Revision, blob_id, check_shallow, read_blobs, read_history, repository_root

if TYPE_CHECKING:
    from ..htmldiff import DiffResult
    from ..jekyll.site import JekyllSite

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Neighbour:
    """The revision before or after another, as that one's pages link to it.

    Not the :class:`RenderedRevision` itself: the values a page is rendered
    from stay plain data without cycles, which a page's inputs can be compared by.
    """

    revision: Revision

    @property
    def slug(self) -> str:
        return self.revision.slug


@dataclass(frozen=True)
class RenderedRevision:
    """A revision of one document, rendered, with what changed since the one before and until now.

    Made whole once and never changed: the same value all build long, which a page's inputs can be
    compared by once per build."""

    revision: Revision
    html: str
    updates: list[dict[str, Any]]
    tables: Any
    size: int
    error: str | None = None
    previous: Neighbour | None = None
    following: Neighbour | None = None
    diff: DiffResult | None = None  # against the previous revision
    against_current: DiffResult | None = None  # the current version against this one
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.revision.slug


@dataclass(frozen=True)
class Current:
    """A document's current version: its file's bytes and the body the build rendered from them.

    *body* is given when it is exactly what rendering the file gives (the
    reader's own rendering): a revision holding the same bytes takes it as is.
    *compared* is the HTML each revision is compared with (``…/compare/``).
    """

    data: bytes | None
    compared: str
    body: Body | None = None


def read_histories(
    content: Path, paths: Sequence[Path], *, strict: bool = False, root: Path | None = None
) -> tuple[Path, dict[Path, list[Revision]]]:
    """The repository of *content* (*root* when already known) and the revisions of each of *paths*
    (absolute, newest first), from one ``git log``.  Raises :class:`~.history.GitUnavailable` without
    git or a repository, and :class:`~.errors.DocumentError` for a shallow clone when *strict*."""
    root = repository_root(content) if root is None else root
    check_shallow(root, strict=strict)
    return root, read_history(root, list(paths), scope=content)


@dataclass
class HistoryWork:
    """One document's revisions (oldest first), with the bodies and diffs already known."""

    path: Path
    revisions: list[Revision]
    bodies: list[Body | None]  # known (cached, or the current version's), else None: to render
    compared: str
    texts: dict[str, bytes] = field(default_factory=dict)  # the blobs to render
    diffs: dict[str, DiffResult] = field(default_factory=dict)  # known diffs by cache key


@dataclass
class HistoryDone:
    """What :func:`work_history` found: each revision's body, and the diffs it computed by key."""

    bodies: list[Body]
    uses: list[Uses | None]  # what each body's rendering read (None: not rendered here)
    diffs: dict[str, DiffResult] = field(default_factory=dict)


def render_histories(
    site: JekyllSite,
    root: Path,
    histories: Mapping[Path, Sequence[Revision]],
    currents: Mapping[Path, Current],
    cache: RevisionCache,
    features: Iterable[str],
    *,
    jobs: int = 1,
) -> dict[Path, list[RenderedRevision]]:
    """Every revision of each document of *currents* rendered, linked, diffed and summarised; newest
    first.  Only the blobs to render are read from the repository at *root* (one ``git cat-file``)."""
    chosen = frozenset(features)
    works = [_work(path, list(reversed(histories.get(path, []))), current, cache) for path, current in currents.items()]
    todo = [work for work in works if not _complete(work, cache)]
    blobs = read_blobs(root, [r.blob for work in todo for r, body in zip(work.revisions, work.bodies, strict=True) if body is None])
    for work in todo:
        work.texts = {r.blob: blobs.get(r.blob, b"") for r, body in zip(work.revisions, work.bodies, strict=True) if body is None}
    if jobs > 1 and todo:
        from ..kramdown.code import preload_lexers

        preload_lexers(data.decode("utf-8", "replace") for data in blobs.values())
    outcomes = map_outcomes(lambda work: work_history(site, work, chosen, cache), todo, jobs)
    done: dict[int, HistoryDone] = {}
    for work, outcome in zip(todo, outcomes, strict=True):
        outcome.replay()  # the warnings of revisions that no longer render, in document order
        result = outcome.get()
        for key, value, uses in zip(_body_keys(work, cache), result.bodies, result.uses, strict=True):
            if uses is not None:
                cache.put_body(key, value, uses)
        for key, diff in result.diffs.items():
            cache.put_diff(key, diff)
        done[id(work)] = result
    rendered: dict[Path, list[RenderedRevision]] = {}
    for work in works:
        result = done.get(id(work)) or HistoryDone([b for b in work.bodies if b is not None], [None] * len(work.bodies))
        rendered[work.path] = _assemble(work, result.bodies, {**work.diffs, **result.diffs}, cache)
    return rendered


def _body_keys(work: HistoryWork, cache: RevisionCache) -> list[str]:
    return [cache.body_key(work.path, revision.blob) for revision in work.revisions]


def _work(path: Path, revisions: list[Revision], current: Current, cache: RevisionCache) -> HistoryWork:
    """The work of one document: its bodies known from its current version or the cache."""
    bodies: list[Body | None] = []
    same = blob_id(current.data, revisions[0].blob) if revisions and current.body is not None and current.data is not None else None
    for revision in revisions:
        if current.body is not None and revision.blob == same:
            cache.reused += 1
            bodies.append(current.body)
        else:
            bodies.append(cache.body(cache.body_key(path, revision.blob)))
    work = HistoryWork(path, revisions, bodies, current.compared)
    if all(body is not None for body in bodies):
        for key in _diff_keys(work, [b.html for b in bodies if b is not None], cache):
            known = cache.diff(key)
            if known is not None:
                work.diffs[key] = known
    return work


def _diff_keys(work: HistoryWork, htmls: list[str], cache: RevisionCache) -> list[str]:
    """The keys of the diffs a document needs: each revision against the one before, then the
    current version against each revision."""
    return [
        *(cache.diff_key(old, new) for old, new in pairwise(htmls)),
        *(cache.diff_key(html, work.compared) for html in htmls),
    ]


def _complete(work: HistoryWork, cache: RevisionCache) -> bool:
    """Whether the cache (and the current version) gave every body and diff of *work*."""
    if any(body is None for body in work.bodies):
        return False
    return all(key in work.diffs for key in _diff_keys(work, [b.html for b in work.bodies if b is not None], cache))


def work_history(site: JekyllSite, work: HistoryWork, features: frozenset[str], cache: RevisionCache) -> HistoryDone:
    """The bodies a document's cache lacks rendered, the diffs it lacks computed, each revision parsed
    once for all of them.  Runs in a worker process (*cache* only gives keys there)."""
    bodies: list[Body] = []
    uses: list[Uses | None] = []
    for revision, known in zip(work.revisions, work.bodies, strict=True):
        if known is not None:
            bodies.append(known)
            uses.append(None)
        else:
            body, used = render_body(site, work.path, revision, work.texts[revision.blob], features)
            bodies.append(body)
            uses.append(used)
    from ..htmldiff import Fragment, diff_html  # imported when there is something to diff

    fragments = {body.html: Fragment(body.html) for body in bodies}
    current = fragments.setdefault(work.compared, Fragment(work.compared))
    diffs: dict[str, DiffResult] = {}
    pairs = [*pairwise(bodies), *((body, None) for body in bodies)]
    for key, (old, new) in zip(_diff_keys(work, [b.html for b in bodies], cache), pairs, strict=True):
        if key not in work.diffs and key not in diffs:
            diffs[key] = diff_html(fragments[old.html], current if new is None else fragments[new.html])
    return HistoryDone(bodies, uses, diffs)


def render_body(site: JekyllSite, path: Path, revision: Revision, data: bytes, features: frozenset[str]) -> tuple[Body, Uses]:
    """One revision's body rendered as its file would be today, and what the rendering read; one that
    no longer renders says why.  What it would add to the migration report is not noted: the
    report is about today's site."""
    from .. import report
    from ..document import render_document
    from ..jekyll.frontmatter import normal_source

    before = report.collected()
    try:
        with recording() as uses:
            try:
                text = normal_source(data.decode("utf-8"))  # as document.read_source
                document = render_document(path, site, text=text, features=features)
                body = Body.of(document.html, document.metadata.get("updates", []), document.metadata.get("tables"), len(data))
            except (DocumentError, UnicodeDecodeError) as err:
                # An old revision that no longer renders is shown as such; it does not fail today's build.
                logger.warning("%s at %s: %s", path, revision.short, err)
                body = Body.of("", [], None, len(data), public_error(revision, err, site.root))
    finally:
        report.reset()
        for unknown in before:
            report.note_unknown(unknown.kind, unknown.name, unknown.file, unknown.line)
    return body, uses


def public_error(revision: Revision, err: DocumentError | UnicodeDecodeError, root: Path) -> str:
    """What a revision page says about a revision that no longer renders: the file's path in the
    repository, the line and the reason, never a path of the machine that builds the site."""
    if isinstance(err, UnicodeDecodeError):
        return f"{revision.path}: not valid UTF-8 (byte 0x{err.object[err.start]:02x} at offset {err.start})"
    where = f"{revision.path}:{err.line}" if err.line else revision.path
    reason = err.reason.replace(f"{root.resolve()}/", "").replace(f"{root}/", "")
    return f"{where}: {reason}"


def _assemble(work: HistoryWork, bodies: list[Body], diffs: Mapping[str, DiffResult], cache: RevisionCache) -> list[RenderedRevision]:
    """The revisions of *work* with their bodies and diffs, linked and summarised; newest first."""
    revisions, last = work.revisions, len(work.revisions) - 1
    rendered = []
    for index, (revision, body) in enumerate(zip(revisions, bodies, strict=True)):
        before = bodies[index - 1] if index else None
        diff = diffs[cache.diff_key(before.html, body.html)] if before is not None else None
        rendered.append(
            RenderedRevision(
                revision,
                body.html,
                body.updates,
                body.tables,
                body.size,
                body.error,
                previous=Neighbour(revisions[index - 1]) if index else None,
                following=Neighbour(revisions[index + 1]) if index < last else None,
                diff=diff,
                against_current=diffs[cache.diff_key(body.html, work.compared)],
                summary=summary(body, diff, before),
            )
        )
    return list(reversed(rendered))


_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)


def _tables(html: str) -> list[str]:
    return _TABLE.findall(html)


def summary(body: Body, diff: DiffResult | None, previous: Body | None) -> dict[str, Any]:
    """What changed since the previous revision (none for the first): size, characters, updates added, tables."""
    before_updates = {u["id"] for u in previous.updates} if previous else set()
    added_updates = [u for u in body.updates if u["id"] not in before_updates]
    return {
        "size_change": body.size - (previous.size if previous else 0),
        "inserted": diff.inserted_chars if diff else len(visible_text(body.html)),
        "deleted": diff.deleted_chars if diff else 0,
        "visible_change": diff.changed if diff else True,
        "updates_added": len(added_updates),
        "tables_changed": previous is not None and (previous.tables != body.tables or _tables(previous.html) != _tables(body.html)),
    }
