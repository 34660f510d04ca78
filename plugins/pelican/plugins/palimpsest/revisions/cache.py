"""Rendered revisions and diffs, kept between builds.

A revision's body depends on its blob (the file's content hash), the
document's path and the build (the library's code, ``_config.yml``, ``_data``,
the features: the content cache's :func:`~..build.content_cache.build_key`),
and on what its rendering read besides: the include files it looked up, and
every document when its Liquid listed them (``site.posts``…), as the content
cache notes them (``build/recording.py``).  A body whose rendering read the
clock (``site.time``) is not kept.  A diff depends only on the two bodies
(and the library's code): its key is their content hash.

Everything is in one JSON file, ``<output>/.palimpsest-cache/revisions/pack.json``,
read once and written once per build (atomically), holding only the entries
that build used: one file, not one per revision, and nothing kept for
revisions that are gone.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..build.cache_folder import CACHE_FOLDER
from ..build.recording import Uses, file_digest
from ..common.atomic import replace_atomically

if TYPE_CHECKING:
    from ..htmldiff import DiffResult

logger = logging.getLogger(__name__)

PACK = "pack.json"
FORMAT = 3  # a pack of another format is read as empty
PACKAGE = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=1)
def pipeline_fingerprint() -> str:
    """A hash of the library's code and includes: any change re-renders every revision."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", "") and "__pycache__" not in path.parts and "theme" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Body:
    """A revision rendered: its HTML, its dated updates (dates as text), its tables, or why it no longer
    renders; and the size of the file it was rendered from."""

    html: str
    updates: list[dict[str, Any]]
    tables: Any
    size: int
    error: str | None

    @classmethod
    def of(cls, html: str, updates: list[dict[str, Any]], tables: Any, size: int, error: str | None = None) -> Body:
        """A body whose updates and tables are as the cache gives them back (dates as text, lists for
        tuples), so that a kept body and a fresh one compare alike."""
        plain = json.loads(json.dumps([updates, tables], ensure_ascii=False, default=_text))
        return cls(html, plain[0], plain[1], size, error)


class RevisionCache:
    """Rendered revision bodies and diffs of the builds into one output folder."""

    def __init__(self, folder: Path, build_key: str, root: Path, site_fingerprint: Callable[[], str]):
        self.file = folder / PACK
        self.build_key = build_key
        self.root = root  # the site's folder: entries name the files they read relative to it
        self.site_fingerprint = site_fingerprint  # every document's bytes, for a body that listed them
        self.hits = self.misses = self.reused = 0
        self._stored: dict[str, Any] | None = None  # the pack of the last build, read on first use
        self._used: dict[str, Any] = {}  # this build's entries: what the next build will find
        self._dirty = False
        self._digests: dict[str, str] = {}

    @classmethod
    def in_output(cls, output_path: str | Path, build_key: str, root: Path, site_fingerprint: Callable[[], str]) -> RevisionCache:
        """The cache kept inside a build's output folder."""
        return cls(Path(output_path) / CACHE_FOLDER / "revisions", build_key, root, site_fingerprint)

    def body_key(self, path: Path, blob: str) -> str:
        """The key of a body: the document (as the site knows it) at one blob, in this build."""
        where = path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)
        return _hash("body", self.build_key, where, blob)

    def diff_key(self, old: str, new: str) -> str:
        """The key of the diff of two bodies: their contents."""
        return _hash("diff", pipeline_fingerprint(), self._digest(old), self._digest(new))

    def _digest(self, html: str) -> str:
        """A body's content hash, once per body (a body is in three diffs)."""
        known = self._digests.get(html)
        if known is None:
            known = self._digests[html] = hashlib.sha256(html.encode()).hexdigest()
        return known

    # -- reading ----------------------------------------------------------

    def body(self, key: str) -> Body | None:
        """The body kept under *key*, if what its rendering read is unchanged; counted as a hit or a miss."""
        entry = self._entry(key)
        body = self._valid_body(entry) if isinstance(entry, dict) else None
        if body is None:
            self.misses += 1
            return None
        self.hits += 1
        self._use(key, entry)
        return body

    def diff(self, key: str) -> DiffResult | None:
        entry = self._entry(key)
        try:
            from ..htmldiff import DiffResult

            result = DiffResult(**entry) if isinstance(entry, dict) else None
        except TypeError:  # not a diff's fields
            result = None
        if result is not None:
            self._use(key, entry)
        return result

    def _valid_body(self, entry: dict[str, Any]) -> Body | None:
        try:
            body = Body(entry["html"], entry["updates"], entry["tables"], entry["size"], entry["error"])
            files, site = entry["files"], entry["site"]
            unchanged = all(file_digest(self._absolute(name)) == digest for name, digest in files.items())
        except (KeyError, TypeError, AttributeError):  # not a body's fields
            return None
        if not unchanged or (site is not None and site != self.site_fingerprint()):
            return None
        return body

    def _entry(self, key: str) -> Any:
        if key in self._used:
            return self._used[key]
        return self._pack().get(key)

    def _pack(self) -> dict[str, Any]:
        """The last build's entries; a damaged pack (a disk error, a file cut short) is discarded with a
        warning, so that everything is rendered again and the build goes on."""
        if self._stored is not None:
            return self._stored
        self._stored = {}
        try:
            text = self.file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return self._stored
        except OSError as err:
            problem = str(err)
        else:
            try:
                stored = json.loads(text)
            except json.JSONDecodeError as err:
                problem = str(err)
            else:
                if isinstance(stored, dict) and isinstance(stored.get("entries"), dict):
                    if stored.get("format") == FORMAT:
                        self._stored = stored["entries"]
                    return self._stored
                problem = "not a pack of entries"
        logger.warning("%s: damaged revision cache entry (%s); discarded and rendered again", self.file, problem)
        with contextlib.suppress(OSError):  # rewritten by save() anyway
            self.file.unlink()
        return self._stored

    # -- writing ----------------------------------------------------------

    def put_body(self, key: str, body: Body, uses: Uses) -> None:
        """Keep *body*, rendered reading *uses*: not when it read the clock, which no later build reproduces."""
        if uses.clock:
            return
        # the library's own includes are in the build key (its code): only the site's are noted
        files = {self._relative(name): digest for name, digest in uses.files.items() if not Path(name).is_relative_to(PACKAGE)}
        site = self.site_fingerprint() if uses.site_wide else None
        self._use(key, {**asdict(body), "files": files, "site": site}, new=True)

    def put_diff(self, key: str, diff: DiffResult) -> None:
        self._use(key, asdict(diff), new=True)

    def _use(self, key: str, entry: Any, *, new: bool = False) -> None:
        self._used[key] = entry
        self._dirty |= new

    def save(self) -> None:
        """Write this build's entries (only they: what no build uses is dropped), atomically; a cache that
        cannot be written is no error (everything is rendered again next time)."""
        if not self._dirty and self._pack().keys() == self._used.keys():
            return
        try:
            entries = dict(sorted(self._used.items()))  # the same bytes whatever order the work was done in
            pack = json.dumps({"format": FORMAT, "entries": entries}, ensure_ascii=False, separators=(",", ":"), default=str)
            replace_atomically(self.file, pack.encode("utf-8"))
        except (OSError, TypeError, ValueError) as err:
            logger.warning("%s: the revision cache could not be written (%s)", self.file, err)

    def _relative(self, name: str) -> str:
        """A file an entry depends on, relative to the site when inside it: no path of the machine that built it."""
        path = Path(name)
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else name

    def _absolute(self, name: str) -> str:
        return name if Path(name).is_absolute() else str(self.root / name)


def _text(value: object) -> str:
    """A value JSON has no form for, as text: a date as ISO 8601."""
    isoformat = getattr(value, "isoformat", None)
    return str(isoformat()) if callable(isoformat) else str(value)


def _hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


__all__ = ["Body", "RevisionCache", "pipeline_fingerprint"]
