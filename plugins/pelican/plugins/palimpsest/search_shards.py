"""Pagefind's index in shards, each indexed again only when its pages changed.

Pagefind cannot update an index: it reads every page it is given and holds them all (about
0.15 MB a page). So the indexed pages are dealt into shards by a hash of their output path,
each shard a Pagefind bundle of its own, which the search page merges (Pagefind's
``mergeIndex``, as it merges languages). Each shard's digest (its pages' bytes, this code, the
Pagefind binary) is kept in ``<output>/.palimpsest-cache/search/``: a shard whose digest and
bundle are what the last build left is not indexed again, so a rebuild runs Pagefind over the
changed shards only (none when nothing changed) and leaves the bundles a cold build writes.

How many shards: one up to ``PALIMPSEST_SEARCH_SHARD_PAGES`` pages (250), so a small site keeps
one bundle, ``pagefind/``, as before; beyond that, the power of two that brings a shard to 125-250
pages. A Pagefind run then holds ~50 MB, and at most ``PALIMPSEST_JOBS`` run at once; the count,
which moves nearly every page to another shard, changes only when the site doubles or halves.
The first shard (with pages) is ``pagefind/``, shard *n* ``pagefind/shards/<n>/`` (without the UI
scripts, which only ``pagefind/`` serves); the first's ``pagefind-entry.json`` lists every shard
with its languages (``palimpsest_shards``), for the search page.

What merging costs: each shard scores a word by its own statistics, and a query word a shard lacks
makes that shard match words it starts with, or the longest word it starts with (Pagefind's
fallback, as for languages merged). So a rare word's pages come first as from one index (60 post
titles searched at 1000 posts: the same first result as one index's for all 60), then other
shards' near matches.

Pages are not read again when unchanged: the cache keeps each page's size, modification time and
digest, trusted only for a page older than the scan that read it (a page rewritten within the
file system's timestamp granularity of being read is read again, as git treats "racily clean" files).
The copies Pagefind reads (``search.prepare_page``) are not written anywhere: a shard indexed again
has all its pages read from the output and given to Pagefind through a pipe, in path order, so that
a bundle does not depend on the order a folder lists its files in.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .build.cache_folder import CACHE_FOLDER
from .common.atomic import replace_atomically

logger = logging.getLogger(__name__)

SHARD_PAGES_SETTING = "PALIMPSEST_SEARCH_SHARD_PAGES"
DEFAULT_SHARD_PAGES = 250
SHARDS_SUBDIR = "shards"
ENTRY = "pagefind-entry.json"
SHARDS_KEY = "palimpsest_shards"
CACHE_SUBDIR = Path(CACHE_FOLDER) / "search"
STATE_FILE = "state.json"
FORMAT = 3
# Beyond any file system's timestamp granularity (ext4 ~4 ms, HFS+/ext3 1 s, FAT 2 s).
RACY_NS = 2_000_000_000
# Loaded from pagefind/ only (the search page's <script> and <link>, or never): left out of shards 1..n.
UI_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)
BODY_MARK = "data-pagefind-body"  # on a page Pagefind indexes
_BODY_MARK = BODY_MARK.encode()

FileStats = dict[str, list[int]]


def shard_pages(settings: Mapping[str, Any]) -> int:
    """``PALIMPSEST_SEARCH_SHARD_PAGES``: the most pages in a shard (a whole number above 0)."""
    value = settings.get(SHARD_PAGES_SETTING, DEFAULT_SHARD_PAGES)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    logger.warning("%s must be a whole number of pages above 0, not %r: using %d", SHARD_PAGES_SETTING, value, DEFAULT_SHARD_PAGES)
    return DEFAULT_SHARD_PAGES


def shard_count(pages: int, most: int) -> int:
    """1 up to *most* pages, else the power of two that brings a shard to between *most*/2 and *most*."""
    count = 1
    while pages > count * most:
        count *= 2
    return count


def shard_of(path: str, count: int) -> int:
    """The shard of the page written at *path* (relative to the output): stable across builds and machines."""
    return int.from_bytes(hashlib.sha256(path.encode("utf-8")).digest()[:8], "big") % count


def bundle_files(folder: Path, primary: bool) -> FileStats:
    """Size and modification time of each file of a shard's bundle but its entry (rewritten by
    :meth:`ShardedIndex.finish`); the primary's folder, ``pagefind/``, holds the others' in ``shards/``."""
    found: FileStats = {}
    for here, subfolders, files in os.walk(folder):
        if primary and Path(here) == folder:
            subfolders[:] = [d for d in subfolders if d != SHARDS_SUBDIR]
        for name in files:
            path = Path(here, name)
            relative = path.relative_to(folder).as_posix()
            if relative != ENTRY:
                info = path.lstat()
                found[relative] = [info.st_size, info.st_mtime_ns]
    return found


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _clear(folder: Path, primary: bool) -> None:
    """Remove a shard's bundle (the primary's: all in ``pagefind/`` but the other shards)."""
    if primary and folder.is_dir() and not folder.is_symlink():
        for child in folder.iterdir():
            if child.name != SHARDS_SUBDIR:
                _remove(child)
    else:
        _remove(folder)


@dataclass(frozen=True)
class Shard:
    """One shard: its pages (paths relative to the output, sorted), the digest of what Pagefind reads
    of them, and its bundle's folder in ``pagefind/``: ``""`` for the primary (the first shard with
    pages, whose bundle also serves the search page's scripts), else ``shards/<number>/``."""

    number: int
    pages: tuple[str, ...]
    digest: str
    folder: str

    @property
    def primary(self) -> bool:
        return self.folder == ""


@dataclass(frozen=True)
class Outcome:
    """What one Pagefind run over a shard gave: its bundle (None when it failed) and what Pagefind said."""

    shard: Shard
    built: Path | None
    lines: tuple[str, ...]


def html_files(output: Path, skip: Iterable[Path]) -> Iterator[tuple[str, str, os.stat_result]]:
    """Every ``.html`` file under *output* (not under *skip*, no links): its path relative to *output*,
    its path as found, and its status."""
    skipped = {os.fspath(path) for path in skip}
    root = os.fspath(output)
    folders = [root]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.path not in skipped:
                        folders.append(entry.path)
                    continue
                if entry.name.endswith(".html") and entry.is_file(follow_symlinks=False):
                    yield os.path.relpath(entry.path, root).replace(os.sep, "/"), entry.path, entry.stat(follow_symlinks=False)


def scan_pages(
    output: Path, skip: Iterable[Path], known: Mapping[str, list[Any]], started_ns: int, stats: dict[str, tuple[int, int]] | None = None
) -> dict[str, list[Any]]:
    """Every ``.html`` file under *output* (:func:`html_files`): ``[size, mtime_ns, digest]``, the
    digest of its bytes when Pagefind indexes it (``data-pagefind-body``), else None. A file
    whose size and time are *known* is not read; one written less than :data:`RACY_NS` before
    *started_ns* is kept with size -1, so that the next scan reads it again. *stats*, when given,
    gets every file's size and time as found."""
    pages: dict[str, list[Any]] = {}
    for relative, path, info in html_files(output, skip):
        if stats is not None:
            stats[relative] = (info.st_size, info.st_mtime_ns)
        old = known.get(relative)
        if old is not None and old[0] == info.st_size and old[1] == info.st_mtime_ns:
            digest = old[2]
        else:
            with open(path, "rb") as file:
                data = file.read()
            digest = hashlib.sha256(data).hexdigest() if _BODY_MARK in data else None
        pages[relative] = _scanned(info, digest, started_ns)
    return pages


def _scanned(info: os.stat_result, digest: str | None, started_ns: int) -> list[Any]:
    """A page's entry in the scan: ``[size, mtime_ns, digest]``, size and time -1 when it was written
    less than :data:`RACY_NS` before the scan began (:func:`scan_pages`)."""
    racy = info.st_mtime_ns >= started_ns - RACY_NS
    return [-1, -1, digest] if racy else [info.st_size, info.st_mtime_ns, digest]


class ShardedIndex:
    """The shards of one build's index: which are current, running Pagefind over the others, and
    the bundles and cache the build leaves."""

    def __init__(self, output: Path, bundle: Path, fingerprint: str, most_pages: int):
        self.output = output
        self.bundle = bundle
        self.cache = output / CACHE_SUBDIR
        self.fingerprint = fingerprint
        self.most_pages = most_pages
        self.state = self._load_state()
        self.pages: dict[str, list[Any]] = {}
        self.stats: dict[str, tuple[int, int]] = {}  # every .html file's size and time when planned
        self.shards: list[Shard] = []

    def _load_state(self) -> dict[str, Any]:
        try:
            state = json.loads((self.cache / STATE_FILE).read_text(encoding="utf-8"))
            if isinstance(state, dict) and state.get("format") == FORMAT:
                return state
        except (OSError, ValueError):
            pass
        return {"format": FORMAT, "pages": {}, "shards": {}}

    def plan(self) -> list[Shard]:
        """Scan the written pages and deal the indexed ones into shards; one with no pages is left
        out (Pagefind makes no bundle of nothing), but for a site with none (Pagefind says why)."""
        self.stats = {}
        self.pages = scan_pages(self.output, self._skipped(), self.state["pages"], time.time_ns(), self.stats)
        indexed = sorted(path for path, (_, _, digest) in self.pages.items() if digest is not None)
        count = shard_count(len(indexed), self.most_pages)
        members: list[list[str]] = [[] for _ in range(count)]
        for path in indexed:
            members[shard_of(path, count)].append(path)
        self.shards = []
        for number, paths in enumerate(members):
            if paths or (number == 0 and not indexed):
                inputs = [self.fingerprint, [[path, self.pages[path][2]] for path in paths]]
                digest = hashlib.sha256(json.dumps(inputs, ensure_ascii=False).encode("utf-8")).hexdigest()
                folder = f"{SHARDS_SUBDIR}/{number}/" if self.shards else ""
                self.shards.append(Shard(number, tuple(paths), digest, folder))
        return self.shards

    def _skipped(self) -> tuple[Path, Path]:
        """The folders of the bundles and caches: no pages there."""
        return (self.bundle, self.output / CACHE_SUBDIR.parts[0])

    def indexed_page_written_since_plan(self, closed: Mapping[str, bool]) -> bool:
        """Whether a page that Pagefind indexes was written, changed or removed since :meth:`plan`: then
        the plan is out of date. *closed* says, of the pages the build's writer closed since (absolute
        paths), whether each is indexed; another file that changed is read. The pages written since
        that Pagefind does not index are noted as scanned, so that the next build does not read them."""
        started_ns = time.time_ns()
        found: set[str] = set()
        for relative, path, info in html_files(self.output, self._skipped()):
            found.add(relative)
            stat = (info.st_size, info.st_mtime_ns)
            if self.stats.get(relative) == stat:
                continue
            indexed = closed.get(os.path.abspath(path))
            if indexed is None:
                with open(path, "rb") as file:
                    indexed = _BODY_MARK in file.read()
            if indexed:
                return True
            self.pages[relative] = _scanned(info, None, started_ns)
        return any(self.pages[relative][2] is not None for relative in self.stats.keys() - found)

    def is_current(self, shard: Shard) -> bool:
        """The shard's digest is the last build's, and its bundle is what that build left."""
        record = self.state["shards"].get(str(shard.number))
        if not isinstance(record, dict) or record.get("digest") != shard.digest or record.get("folder") != shard.folder:
            return False
        folder = self.bundle / shard.folder
        return (folder / ENTRY).is_file() and bundle_files(folder, shard.primary) == record.get("files")

    def build(
        self,
        shards: list[Shard],
        jobs: int,
        prepare: Callable[[str], str],
        run: Callable[[Iterable[tuple[str, str]], Path], tuple[bool, list[str]]],
    ) -> list[Outcome]:
        """Index *shards*, at most *jobs* at a time: ``run(pages, bundle)`` runs Pagefind over a
        shard's pages, each ``(path, prepare(path))`` in path order (read as Pagefind takes them, so
        that a shard's copies are never all held or written), saying whether it succeeded and what
        Pagefind said."""
        work = self.cache / "work"
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(self.cache / "staged", ignore_errors=True)  # the copies builds before FORMAT 3 kept

        def index(shard: Shard) -> Outcome:
            built = work / str(shard.number)
            built.parent.mkdir(parents=True, exist_ok=True)
            try:
                ok, lines = run(((path, prepare(path)) for path in shard.pages), built)
            except OSError as err:
                logger.error("Search: could not read the pages of shard %d for Pagefind in %s: %s", shard.number, self.output, err)
                return Outcome(shard, None, ())
            return Outcome(shard, built if ok else None, tuple(lines))

        if not shards:
            return []
        with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(shards))), thread_name_prefix="pagefind") as pool:
            return list(pool.map(index, shards))

    def finish(self, outcomes: list[Outcome]) -> dict[str, Any]:
        """Put the new bundles in place, remove those of shards no more, write every shard's entry
        (languages sorted: Pagefind lists them in no fixed order) and the cache. The languages of
        the index, with their page counts summed over the shards."""
        records: dict[str, Any] = self.state["shards"]
        for outcome in outcomes:
            shard = outcome.shard
            records.pop(str(shard.number), None)
            folder = self.bundle / shard.folder
            entry = None if outcome.built is None else self._install(outcome.built, folder, shard.primary)
            if entry is None:  # no stale bundle left to be served: the error said why there is none
                _clear(folder, shard.primary)
            else:
                records[str(shard.number)] = {
                    "digest": shard.digest,
                    "folder": shard.folder,
                    "entry": entry,
                    "files": bundle_files(folder, shard.primary),
                }
        numbers = {str(shard.number) for shard in self.shards}
        for key in [key for key in records if key not in numbers]:
            del records[key]
        self._remove_stale_shards({shard.folder for shard in self.shards})
        listed = [shard for shard in self.shards if str(shard.number) in records]
        for shard in listed:
            entry = dict(records[str(shard.number)]["entry"])
            if shard.primary and len(self.shards) > 1:
                entry[SHARDS_KEY] = [[other.folder, sorted(records[str(other.number)]["entry"]["languages"])] for other in listed]
            text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
            path = self.bundle / shard.folder / ENTRY
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
        shutil.rmtree(self.cache / "work", ignore_errors=True)
        self._save_state()
        languages: dict[str, Any] = {}
        for shard in listed:
            for lang, index in records[str(shard.number)]["entry"]["languages"].items():
                languages[lang] = languages.get(lang, 0) + int(index.get("page_count", 0))
        return dict(sorted(languages.items()))

    def _install(self, built: Path, folder: Path, primary: bool) -> dict[str, Any] | None:
        """Move a new bundle to *folder*, replacing the old one: its entry, languages sorted, or None unreadable."""
        try:
            entry = json.loads((built / ENTRY).read_text(encoding="utf-8"))
            entry["languages"] = dict(sorted(entry["languages"].items()))
        except (OSError, ValueError, KeyError, AttributeError, TypeError) as err:
            logger.error("Search: Pagefind wrote no readable %s: %s", folder / ENTRY, err)
            return None
        _clear(folder, primary)
        folder.mkdir(parents=True, exist_ok=True)
        for child in built.iterdir():
            if primary or child.name not in UI_FILES:
                child.rename(folder / child.name)
        return dict(entry)

    def _remove_stale_shards(self, folders: set[str]) -> None:
        """Remove from ``pagefind/shards/`` every folder that is no shard's now."""
        shards = self.bundle / SHARDS_SUBDIR
        if shards.is_symlink() or shards.is_file():
            shards.unlink()
        if not shards.is_dir():
            return
        for child in shards.iterdir():
            if f"{SHARDS_SUBDIR}/{child.name}/" not in folders:
                _remove(child)
        if not any(shards.iterdir()):
            shards.rmdir()

    def _save_state(self) -> None:
        self.state["pages"] = self.pages
        replace_atomically(self.cache / STATE_FILE, json.dumps(self.state, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
