"""Rendered documents kept between builds, in ``<output>/.palimpsest-cache/documents/``.

A document's rendering depends on its file's bytes and path, on the build
(``_config.yml`` after the command line's overrides, ``_data``, the enabled
features, the limits, the library's code: :func:`build_key`), and on what the
rendering read besides (build/recording.py): the include files it looked up,
and the site's documents when its Liquid listed them (``site.posts``,
``page.next``, ``post_url``…; then the entry holds a fingerprint of every
document's bytes, :func:`site_fingerprint`: a site-wide list changes when any
document does, so such a document is rendered again whenever one changes,
which stays correct without knowing which of their values it printed).

An entry keeps the rendering's log records and migration-report notes, said
again whenever it is used, so that a build from the cache says what a build
from scratch says.  Every entry is in one file, ``pack.pickle``: read once, when
the build looks up its first document, and written once, at the build's end
(:meth:`ContentCache.save`, atomically: a temporary file renamed), holding only
the entries that build used (nothing kept for documents that are gone), and not
written at all when they are the ones it read.  One file, not one per document:
creating a file costs a build more than writing its bytes.  A worker process
writes nothing: it returns its entry, pickled (:meth:`ContentCache.encode`),
with the document.  The pack is written by this module only, inside the output
folder; a pack that cannot be read is a miss for every document, an entry that
cannot, or holds anything unexpected, for its own.  Its bytes depend only on the entries (sorted by name, pickled without
regard to which objects the rendering shared, without the time and process of
their log records), so that a parallel build leaves the cache a serial one does.
An output folder may be published whole: the site's folder and the library's
are written as markers, not as the paths of the machine that built it
(:func:`relocated`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import logging
import pickle
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from ..common.atomic import replace_atomically
from .cache_folder import CACHE_FOLDER
from .recording import MISSING, file_digest

if TYPE_CHECKING:
    from ..jekyll.site import JekyllSite
    from ..report import Unknown
    from .rendered import RenderedDocument

logger = logging.getLogger(__name__)

__all__ = ["ContentCache", "Entry", "build_key", "site_fingerprint"]

FORMAT = 2  # a pack of another format is read as empty
PACK = "pack.pickle"


@dataclass
class Entry:
    """One document's cached rendering, and what it depends on besides its file and the build."""

    document: RenderedDocument
    records: list[logging.LogRecord] = field(default_factory=list)
    notes: list[Unknown] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # include files looked up -> digest (or MISSING)
    site: str | None = None  # site_fingerprint() when the rendering read the site's documents
    marked: bool | None = None  # whether the metadata holds a machine path (None: not known yet)


def build_key(site: JekyllSite, features: Iterable[str]) -> str:
    """What every document's rendering depends on in a build: the library's code, the site's
    configuration as the build reads it, ``_data``'s files, the features on, the limits."""
    from ..revisions.cache import pipeline_fingerprint

    digest = hashlib.sha256()
    data = site.root / "_data"
    data_files = sorted(path for path in data.rglob("*") if path.is_file()) if data.is_dir() else []
    parts: list[object] = [
        FORMAT,
        sys.version_info[:2],  # pickles of another Python
        pipeline_fingerprint(),
        str(site.root),
        str(site.config_path),
        site.config,
        sorted(features),
        repr(site.limits),
        [(str(path), file_digest(path)) for path in data_files],
        (site.root / "_includes").is_dir(),  # the include folders Liquid searches
    ]
    try:
        text = json.dumps(parts, default=repr, ensure_ascii=False)
    except TypeError:  # a mapping with keys JSON cannot hold (dates): Python's own notation
        text = repr(parts)
    digest.update(text.encode())
    return digest.hexdigest()[:32]


def site_fingerprint(site: JekyllSite) -> str:
    """A digest of every document's path and bytes (those ``site.posts``, ``site.pages``… list)."""
    from ..jekyll.documents import _document_files

    digest = hashlib.sha256()
    for path, relative in _document_files(site):
        digest.update(f"{relative}\0{file_digest(path)}\0".encode())
    return digest.hexdigest()[:32]


class ContentCache:
    """The rendered documents of the builds into one output folder."""

    def __init__(self, folder: Path, key: str, root: Path):
        self.folder = folder
        self.file = folder / PACK
        self.key = key
        self._places = ((str(root), _SITE), (str(PACKAGE), _LIBRARY))  # what entries hold as markers
        self._stored: dict[str, bytes] | None = None  # the last build's entries, read on first use
        self._used: dict[str, bytes] = {}  # this build's entries: what the next build will find
        self._new = False

    @classmethod
    def in_output(cls, output_path: str | Path, key: str, root: Path) -> ContentCache:
        return cls(Path(output_path) / CACHE_FOLDER / "documents", key, root)

    def name(self, path: Path) -> str:
        """The entry name of the document at *path* (absolute) with its current bytes."""
        return hashlib.sha256(f"{self.key}\0{path}\0{file_digest(path)}".encode()).hexdigest()[:40]

    def get(self, path: Path, fingerprint: Callable[[], str]) -> Entry | None:
        """The entry of *path* if its inputs are unchanged; *fingerprint* gives the current
        :func:`site_fingerprint` when an entry needs it."""
        if file_digest(path) == MISSING:
            return None
        name = self.name(path)
        data = self._used.get(name) or self._pack().get(name)
        if data is None:
            return None
        try:
            entry = pickle.loads(data)
        except Exception as err:  # damaged, from another version: a miss
            logger.debug("content cache entry %s unreadable (%s): a miss", name, err)
            return None
        if not isinstance(entry, Entry):
            return None
        entry = relocated(entry, [(marker, place) for place, marker in self._places])
        if not _unchanged(entry, fingerprint):
            return None
        self._used[name] = data
        return entry

    def encode(self, path: Path, entry: Entry) -> tuple[str, bytes] | None:
        """*entry*'s name and bytes, as :meth:`add` takes them (in a worker process too: nothing is
        written); None when it cannot be pickled (then it is rendered again next time)."""
        try:
            return self.name(path), _pickled(relocated(entry, self._places, portable=True))
        except Exception as err:  # a value that cannot be pickled
            logger.debug("content cache entry for %s not kept: %s", path, err)
            return None

    def add(self, name: str, data: bytes) -> None:
        """Keep an entry :meth:`encode` made, for this build's pack."""
        self._used[name] = data
        self._new = True

    def _pack(self) -> dict[str, bytes]:
        """The last build's entries (read once); a pack that cannot be read is empty: every document a miss."""
        if self._stored is not None:
            return self._stored
        self._stored = {}
        try:
            data = self.file.read_bytes()
        except FileNotFoundError:
            return self._stored
        except OSError as err:
            logger.debug("content cache %s unreadable (%s): every document a miss", self.file, err)
            return self._stored
        try:
            stored = pickle.loads(data)
        except Exception as err:  # damaged, truncated
            logger.debug("content cache %s unreadable (%s): every document a miss", self.file, err)
            return self._stored
        entries = stored.get("entries") if isinstance(stored, dict) and stored.get("format") == FORMAT else None
        if isinstance(entries, dict) and all(isinstance(k, str) and isinstance(v, bytes) for k, v in entries.items()):
            self._stored = entries
        else:
            logger.debug("content cache %s is not a pack of this version: every document a miss", self.file)
        return self._stored

    def save(self) -> bool:
        """Write this build's entries (only they: what no build uses is dropped) in one file, atomically,
        unless they are the ones read; leftovers of a stopped build, or of an older cache, are deleted.
        A cache that cannot be written is no error (everything is rendered again next time).  Whether
        the pack was written."""
        if not self._new and self._pack().keys() == self._used.keys():
            return False
        try:
            entries = dict(sorted(self._used.items()))  # the same bytes whatever order the work was done in
            replace_atomically(self.file, pickle.dumps({"format": FORMAT, "entries": entries}, protocol=pickle.HIGHEST_PROTOCOL))
            for leftover in self.folder.iterdir():
                if leftover != self.file and leftover.is_file():
                    leftover.unlink(missing_ok=True)
        except OSError as err:
            logger.debug("content cache %s not written: %s", self.file, err)
            return False
        self._stored, self._new = self._used, False
        return True


def _pickled(entry: Entry) -> bytes:
    """*entry*'s pickle, the same for equal entries: without memo (which would depend on which objects
    the rendering happened to share); with it only for an entry holding a cycle."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    try:
        pickler.dump(entry)
    except (ValueError, RecursionError):  # a cycle (YAML aliases can make one)
        return pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
    return out.getvalue()


def _unchanged(entry: Entry, fingerprint: Callable[[], str]) -> bool:
    if any(file_digest(path) != digest for path, digest in entry.files.items()):
        return False
    return entry.site is None or entry.site == fingerprint()


_SITE, _LIBRARY = "\0site\0", "\0library\0"
PACKAGE = Path(__file__).resolve().parents[1]


# What a log record says of when and where it was made: not kept (said again, it is made now, here).
_CIRCUMSTANCES = frozenset({"created", "msecs", "relativeCreated", "thread", "threadName", "process", "processName", "taskName"})


def relocated(entry: Entry, places: Iterable[tuple[str, str]], *, portable: bool = False) -> Entry:
    """*entry* with each ``(old, new)`` of *places* replaced in its paths, messages and metadata (the
    metadata walked only when it held one of them when written: it seldom does); *portable*: its log
    records without the time and process they were made in."""
    swap = _Swap(tuple(places))
    records = [_record(swap(dict(record.__dict__)), portable) for record in entry.records]
    notes = [dataclasses.replace(note, file=swap(note.file)) for note in entry.notes]
    files = swap(entry.files)
    before = swap.hits
    metadata = swap(entry.document.metadata) if entry.marked is not False else entry.document.metadata
    marked = swap.hits > before
    document = dataclasses.replace(entry.document, source=swap(entry.document.source), metadata=metadata)
    return Entry(document, records, notes, files, entry.site, marked=marked)


def _record(fields: dict[str, Any], portable: bool) -> logging.LogRecord:
    """A log record of *fields*; *portable*: without its circumstances (a record read back from the
    cache gets this process's, and is dated when said again: build/logs.py's replay)."""
    record = logging.makeLogRecord(fields)
    if portable:
        for name in _CIRCUMSTANCES.intersection(record.__dict__):
            delattr(record, name)
    return record


class _Swap:
    """Replaces text in strings, paths, and the plain lists and mappings holding them; counts its hits."""

    def __init__(self, swaps: tuple[tuple[str, str], ...]):
        self.swaps = swaps
        self.hits = 0

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str):
            for old, new in self.swaps:
                if old in value:
                    value = value.replace(old, new)
                    self.hits += 1
            return value
        if isinstance(value, PurePath):
            return type(value)(self(str(value)))
        if type(value) is dict:
            return {self(key): self(item) for key, item in value.items()}
        if type(value) in (list, tuple):
            return type(value)(self(item) for item in value)
        return value
