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
from scratch says.  Entries are pickles written by this module only, inside the
output folder, each atomically (a temporary file renamed); one that cannot be
read, or holds anything unexpected, is a miss.  An output folder may be published
whole: the site's folder and the library's are written as markers, not as the
paths of the machine that built it (:func:`relocated`).  The entries a build did not use
are deleted at its end (:meth:`ContentCache.prune`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from .recording import MISSING, file_digest

if TYPE_CHECKING:
    from ..jekyll.site import JekyllSite
    from ..report import Unknown
    from .rendered import RenderedDocument

logger = logging.getLogger(__name__)

__all__ = ["CACHE_FOLDER", "ContentCache", "Entry", "build_key", "site_fingerprint"]

CACHE_FOLDER = ".palimpsest-cache"
FORMAT = 1  # entries of another format are misses
_SUFFIX = ".pickle"


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
        self.key = key
        self.used: set[str] = set()  # entry names read or written by this build
        self._places = ((str(root), _SITE), (str(PACKAGE), _LIBRARY))  # what entries hold as markers

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
        try:
            with (self.folder / (name + _SUFFIX)).open("rb") as file:
                entry = pickle.load(file)
        except FileNotFoundError:
            return None
        except Exception as err:  # damaged, truncated, from another version: a miss
            logger.debug("content cache entry %s unreadable (%s): a miss", name, err)
            return None
        if not isinstance(entry, Entry):
            return None
        entry = relocated(entry, [(marker, place) for place, marker in self._places])
        if not _unchanged(entry, fingerprint):
            return None
        self.used.add(name)
        return entry

    def put(self, path: Path, entry: Entry) -> str | None:
        """Keep *entry* for *path* (atomically; an entry that cannot be written is no error): its name."""
        name = self.name(path)
        try:
            data = pickle.dumps(relocated(entry, self._places), protocol=pickle.HIGHEST_PROTOCOL)
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=_SUFFIX)
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(data)
                os.replace(temporary, self.folder / (name + _SUFFIX))
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except Exception as err:  # a value that cannot be pickled, a full disk: rendered again next time
            logger.debug("content cache entry for %s not written: %s", path, err)
            return None
        self.used.add(name)
        return name

    def prune(self) -> int:
        """Delete the entries this build did not use (and temporary files left by a stopped build)."""
        if not self.folder.is_dir():
            return 0
        removed = 0
        for file in self.folder.iterdir():
            if file.is_file() and file.name.removesuffix(_SUFFIX) not in self.used:
                file.unlink(missing_ok=True)
                removed += 1
        return removed


def _unchanged(entry: Entry, fingerprint: Callable[[], str]) -> bool:
    if any(file_digest(path) != digest for path, digest in entry.files.items()):
        return False
    return entry.site is None or entry.site == fingerprint()


_SITE, _LIBRARY = "\0site\0", "\0library\0"
PACKAGE = Path(__file__).resolve().parents[1]


def relocated(entry: Entry, places: Iterable[tuple[str, str]]) -> Entry:
    """*entry* with each ``(old, new)`` of *places* replaced in its paths, messages and metadata (the
    metadata walked only when it held one of them when written: it seldom does)."""
    swap = _Swap(tuple(places))
    records = [logging.makeLogRecord(swap(dict(record.__dict__))) for record in entry.records]
    notes = [dataclasses.replace(note, file=swap(note.file)) for note in entry.notes]
    files = swap(entry.files)
    before = swap.hits
    metadata = swap(entry.document.metadata) if entry.marked is not False else entry.document.metadata
    marked = swap.hits > before
    document = dataclasses.replace(entry.document, source=swap(entry.document.source), metadata=metadata)
    return Entry(document, records, notes, files, entry.site, marked=marked)


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
