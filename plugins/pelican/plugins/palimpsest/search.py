"""Site search: a static Pagefind index, written into ``OUTPUT_PATH/pagefind/``.

Once Pelican has written every article and page (the pages it indexes), the
Pagefind binary that the ``pagefind[extended]`` package installs indexes them,
in a thread, while the other pages (listings, revision pages) are written: on
another core (:func:`start_indexing`, then :func:`index_site` at the end). Each page goes into the
index of its own ``<html lang>`` (the page's ``lang``, else the site's
``locale``), so French and English pages keep their stemmers; the search page
queries its own language's index and merges the others (theme ``_search_ui.html``).
A large site's index is in shards, and a rebuild runs Pagefind only over the
shards whose pages changed (:mod:`.search_shards`).

Chinese phrases: Pagefind segments a Chinese page into words with jieba, but
the browser segments the query with ``Intl.Segmenter`` (ICU), which cuts
differently (``在线`` is one word for jieba, ``在|线`` for ICU), so a phrase
query names words the index does not have, and a quoted (exact) query never
matches. Both sides are therefore cut the same way, into single Han
characters: Pagefind is given a copy of each indexed page with a zero-width space
between two Han characters (the written pages are untouched), and the search
page puts a space between them in the query, quoted when the query is one run
of Han characters, so that it matches only where those characters stand
together: a substring search of any length. Pagefind cuts at a zero-width
space only where it segments (Chinese); a page in another language (a Chinese
phrase in an English or French post) gets a hair space instead, which every
language's word splitter cuts at, or its Han text would be one unfindable word.

Only article and page bodies are indexed: their ``<section class="page__content">``
carries ``data-pagefind-body``, and Pagefind then leaves out every page without
it (history, revision, diff and listing pages).

Switch: ``PALIMPSEST_FEATURES["search"]``. Without Pagefind installed the
build warns and goes on, without the search page and box.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html as html_lib
import importlib
import json
import logging
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from . import search_shards
from .common.languages import primary_subtag
from .features import is_enabled

logger = logging.getLogger(__name__)

PAGEFIND_SUBDIR = "pagefind"
SEARCH_SAVE_AS = "search/index.html"
INSTALL_HINT = 'pip install "pagefind[extended]"'
TIMEOUT_SECONDS = 600
_NOTES = ("Note: Pagefind doesn't support stemming", "Search will still work")
# Han ideographs (CJK Unified Ideographs, extension A, compatibility, and the supplementary planes).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_BETWEEN_HAN = re.compile(f"(?<=[{HAN}])(?=[{HAN}])")
ZERO_WIDTH_SPACE = "\u200b"
HAIR_SPACE = "\u200a"  # white space to Pagefind's splitter for every language; hardly visible in an excerpt
# Where Pagefind segments the text itself (and a zero-width space is a boundary to it).
SEGMENTED_LANGUAGES = frozenset({"zh"})
_HTML_LANG = re.compile(r'(<html\b[^>]*?\blang=")([^"]*)(")', re.IGNORECASE)
_TITLE = re.compile(r'(<h1\b[^>]*\bclass="page__title")')


def pagefind_executable() -> Path | None:
    """The Pagefind binary: the extended one if installed (it segments Chinese), else any other."""
    try:
        extended = importlib.import_module("pagefind_bin_extended")  # untyped: its one function gives a path
    except ImportError:
        pass
    else:
        try:
            return Path(extended.get_executable())
        except FileNotFoundError:
            pass
    try:
        from pagefind.service import get_executable  # honours PAGEFIND_BINARY_PATH, then pagefind_bin, then PATH
    except ImportError:
        return None
    found = get_executable()
    return Path(found) if found is not None and Path(found).is_file() else None


def search_enabled(settings: dict[str, Any]) -> bool:
    """Search is switched on and Pagefind is there to build the index."""
    return is_enabled(settings, "search") and pagefind_executable() is not None


def split_han(html: str, lang: str = "zh") -> str:
    """A separator between two Han characters, so that Pagefind indexes each as a word: a zero-width
    space in a Chinese page (invisible in the titles and excerpts Pagefind shows), a hair space in a
    page of another language. The query side (``_search_ui.html``) splits the same way."""
    return _BETWEEN_HAN.sub(ZERO_WIDTH_SPACE if lang in SEGMENTED_LANGUAGES else HAIR_SPACE, html)


def _reduced_head(html: str) -> str:
    """The page with its ``<head>`` cut to what Pagefind reads there: the ``<title>`` (a page's title
    when it has no ``<h1>``). Pagefind reads the rest of a head only for ``data-pagefind-*``
    attributes, which keep the head whole. A quarter of a post's bytes, and the Han splitting of them."""
    start = html.find("<head>")
    end = html.find("</head>", start)
    if start < 0 or end < 0 or "data-pagefind" in html[start:end]:
        return html
    title_start = html.find("<title>", start, end)
    title_end = html.find("</title>", title_start, end)
    title = html[title_start : title_end + len("</title>")] if 0 <= title_start < title_end else ""
    return f'{html[: start + len("<head>")]}<meta charset="utf-8">{title}{html[end:]}'


def prepare_page(html: str, default_lang: str) -> str:
    """The copy of a written page that Pagefind reads.

    Han split (:func:`split_han`); the page's title indexed with its body (its ``<h1 class="page__title">``,
    outside the theme's ``data-pagefind-body`` section), so that a full title finds its page; the
    ``<html lang>`` reduced to the primary subtag that names the page's index (``zh-CN`` → ``zh``), the
    site's language when it is no language code (Pagefind panics on some); the head reduced
    (:func:`_reduced_head`): the index is the same, made a tenth faster."""
    html = _reduced_head(html)
    match = _HTML_LANG.search(html)
    lang = default_lang
    if match:
        lang = primary_subtag(html_lib.unescape(match.group(2)), "")
        if not re.fullmatch("[a-z]{2,3}", lang):
            lang = default_lang
        html = html[: match.start(2)] + lang + html[match.end(2) :]
    return split_han(_TITLE.sub(r"\1 data-pagefind-body", html, count=1), lang)


def read_page(output: Path, relative: str, default_lang: str) -> str:
    """The copy Pagefind reads (:func:`prepare_page`) of the page written at *relative* in *output*."""
    with open(os.path.join(output, relative), encoding="utf-8", errors="replace") as source:
        return prepare_page(source.read(), default_lang)


def _message(number: int, payload: dict[str, Any]) -> bytes:
    """One request to ``pagefind --service``: base64 of its JSON, then a comma."""
    return base64.b64encode(json.dumps({"message_id": number, "payload": payload}, ensure_ascii=False).encode("utf-8")) + b","


def _replies(stream: IO[bytes]) -> Iterator[dict[str, Any] | None]:
    """The service's replies as they come (None for one unreadable), until it closes its output."""
    pending: list[bytes] = []  # a reply of the bundle's files is megabytes: joined once, when whole
    while chunk := os.read(stream.fileno(), 1 << 20):
        if b"," not in chunk:
            pending.append(chunk)
            continue
        *replies, rest = b"".join([*pending, chunk]).split(b",")
        pending = [rest]
        for reply in replies:
            try:
                message = json.loads(base64.b64decode(reply))
            except ValueError:
                yield None
            else:
                yield message if isinstance(message, dict) else None


def run_pagefind(executable: Path, pages: Iterable[tuple[str, str]], bundle: Path) -> tuple[bool, list[str]]:
    """Pagefind over *pages* (path relative to the output, the copy it reads), its bundle written to
    *bundle*: whether it succeeded, and what it said (errors logged here).

    The pages go to ``pagefind --service`` through a pipe, in the order given, instead of being
    staged as files for ``pagefind --site``: a file and its folders created per page cost more system
    time than Pagefind's indexing of it, and the order of the pages (their numbers in the bundle) is
    the one given, not the order a folder lists its files in. Each page's URL is Pagefind's for a file
    at its path, as with ``--site``. (The ``pagefind`` package's asyncio client of the same service
    waits 0.1 s between two replies: half a minute for 250 pages.)"""
    command = [str(executable), "--service"]
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as err:
        logger.error("Search: Pagefind could not run (%s): %s", " ".join(command), err)
        return False, []
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    stdin, stdout, stderr = process.stdin, process.stdout, process.stderr
    paths: dict[int, str] = {}
    last = [0]
    said: list[bytes] = []
    failed: list[BaseException] = []

    def send() -> None:
        """Ask for an index, give it every page, ask for the bundle's files; a pipe Pagefind closed ends
        it. A page that cannot be read ends Pagefind's input, so that it stops, and is raised again below."""
        number = 1
        try:
            stdin.write(_message(number, {"type": "NewIndex", "config": None}))
            for relative, html in pages:
                number += 1
                paths[number] = relative
                stdin.write(_message(number, {"type": "AddFile", "index_id": 0, "file_path": relative, "file_contents": html}))
            number += 1
            last[0] = number
            stdin.write(_message(number, {"type": "GetFiles", "index_id": 0}))
            stdin.flush()
        except BrokenPipeError:
            pass  # Pagefind stopped: what it said tells why
        except BaseException as err:  # raised again in the calling thread
            failed.append(err)
            with contextlib.suppress(OSError):
                stdin.close()

    threads = [threading.Thread(target=send, daemon=True), threading.Thread(target=lambda: said.append(stderr.read()), daemon=True)]
    for thread in threads:
        thread.start()
    timer = threading.Timer(TIMEOUT_SECONDS, process.kill)
    timer.start()
    lines: list[str] = []
    files: list[Any] | None = None
    try:
        for message in _replies(stdout):
            payload = message.get("payload") if message is not None else None
            if not isinstance(payload, dict):
                lines.append("an unreadable reply from Pagefind")
                continue
            number = message.get("message_id") if message is not None else None
            if payload.get("type") == "Error":
                where = paths.get(number, "") if isinstance(number, int) else ""
                lines.append(f"{where}: {payload.get('message')}" if where else str(payload.get("message")))
            if number == last[0]:
                found = payload.get("files") if payload.get("type") == "GetFiles" else None
                files = found if isinstance(found, list) else None
                break
    finally:
        timer.cancel()
        threads[0].join()
        with contextlib.suppress(OSError):
            stdin.close()  # the service stops at the end of its input
        try:
            process.wait(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        threads[1].join()
        stdout.close()
        stderr.close()
    if failed:
        raise failed[0]
    text = b"".join(said).decode("utf-8", errors="replace")
    lines = list(dict.fromkeys([*lines, *(line.strip() for line in text.splitlines() if line.strip())]))
    if files is None:
        status = "timed out" if process.returncode == -signal.SIGKILL else f"exit {process.returncode}"
        logger.error("Search: Pagefind failed (%s) indexing for %s:\n%s", status, bundle, "\n".join(lines))
        return False, []
    try:
        _write_bundle(files, bundle)
    except (OSError, ValueError, TypeError, KeyError) as err:
        logger.error("Search: could not write Pagefind's bundle in %s: %s", bundle, err)
        return False, []
    return True, lines


def _write_bundle(files: list[Any], bundle: Path) -> None:
    """Write the files Pagefind gave (path relative to the bundle, base64 of the bytes) under *bundle*.
    Not left to the service: it stops at the end of its input without waiting for files it writes."""
    for file in files:
        relative = Path(file["path"])
        if relative.is_absolute() or ".." in relative.parts:
            raise ValueError(f"a file outside the bundle: {file['path']}")
        target = bundle / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(file["content"], validate=True))


def fingerprint(executable: Path, default_lang: str) -> str:
    """What an index depends on besides its pages: this code (how pages are prepared), the Pagefind
    binary (its path, size and time: a new version writes other bundles) and the site's language."""
    digest = hashlib.sha256()
    for module in (Path(__file__), Path(search_shards.__file__)):
        digest.update(module.read_bytes())
    info = executable.stat()
    digest.update(f"\0{executable}\0{info.st_size}\0{info.st_mtime_ns}\0{default_lang}".encode())
    return digest.hexdigest()


def _default_lang(settings: dict[str, Any]) -> str:
    lang = primary_subtag(settings.get("DEFAULT_LANG"))
    return lang if re.fullmatch("[a-z]{2,3}", lang) else "en"


@dataclass
class _Indexing:
    """One build's index: planned, then its stale shards given to Pagefind (:meth:`run`)."""

    index: search_shards.ShardedIndex
    default_lang: str
    shards: list[search_shards.Shard]
    stale: list[search_shards.Shard]
    started: float
    outcomes: list[search_shards.Outcome] = field(default_factory=list)
    failed: list[BaseException] = field(default_factory=list)
    closed: dict[str, bool] = field(default_factory=dict)  # pages the writer closed since: indexed?
    thread: threading.Thread | None = None

    @classmethod
    def plan(cls, output: Path, settings: dict[str, Any], executable: Path) -> _Indexing:
        default_lang = _default_lang(settings)
        started = time.perf_counter()
        index = search_shards.ShardedIndex(
            output, output / PAGEFIND_SUBDIR, fingerprint(executable, default_lang), search_shards.shard_pages(settings)
        )
        shards = index.plan()
        return cls(index, default_lang, shards, [shard for shard in shards if not index.is_current(shard)], started)

    def run(self, executable: Path, jobs: int) -> None:
        output, default_lang = self.index.output, self.default_lang
        try:
            self.outcomes = self.index.build(
                self.stale,
                jobs,
                lambda relative: read_page(output, relative, default_lang),
                lambda pages, bundle: run_pagefind(executable, pages, bundle),
            )
        except BaseException as err:  # raised again in the build's thread
            self.failed.append(err)

    def closing(self, path: str, text: str) -> None:
        """The writer closed *path*: whether Pagefind indexes it (see :meth:`ShardedIndex.indexed_page_written_since_plan`)."""
        self.closed[os.path.abspath(path)] = search_shards.BODY_MARK in text


_BEGUN: dict[str, tuple[_Indexing, Any]] = {}  # indexes begun (start_indexing), by output folder: with their BuildFiles


def start_indexing(generator: Any, writer: Any) -> None:
    """Pelican's ``page_writer_finalized``: every article and page, the pages Pagefind indexes, is
    written. Pagefind starts over them now, in a thread, while the other generators write theirs
    (listings, revision pages, static files), which it does not index; :func:`index_site` takes the
    index up. A page with ``data-pagefind-body`` written after all the same (a theme's listing) makes
    :func:`index_site` index the site again, as it would have alone."""
    settings = generator.settings
    executable = pagefind_executable() if is_enabled(settings, "search") else None
    if executable is None:
        return  # index_site says why there is no index
    from .build.workers import jobs_from
    from .common.files import BuildFiles

    output = Path(generator.output_path)
    left = _BEGUN.pop(os.path.abspath(output), None)  # begun by a build of this process that stopped before its end
    if left is not None and left[0].thread is not None:
        left[0].thread.join()
    indexing = _Indexing.plan(output, settings, executable)
    files = BuildFiles.of(writer)
    files.listeners.append(indexing.closing)
    indexing.thread = threading.Thread(target=indexing.run, args=(executable, jobs_from(settings)), name="pagefind", daemon=True)
    indexing.thread.start()
    _BEGUN[os.path.abspath(output)] = (indexing, files)


def _begun(output: Path) -> _Indexing | None:
    """The index :func:`start_indexing` began, finished; None when there is none, or its plan went out of date."""
    begun = _BEGUN.pop(os.path.abspath(output), None)
    if begun is None:
        return None
    indexing, files = begun
    assert indexing.thread is not None
    indexing.thread.join()
    with contextlib.suppress(ValueError):
        files.listeners.remove(indexing.closing)
    if indexing.failed:
        raise indexing.failed[0]
    if indexing.index.indexed_page_written_since_plan(indexing.closed):
        logger.debug("Search: a page Pagefind indexes was written after the index began: indexed again")
        return None
    return indexing


def index_site(pelican: Any) -> None:
    """``finalized``: index the written site with Pagefind, the shards whose pages changed (begun by
    :func:`start_indexing` once the articles and pages were written)."""
    settings = pelican.settings
    output = Path(pelican.output_path)
    begun = _begun(output)
    if not is_enabled(settings, "search"):
        return
    executable = pagefind_executable()
    if executable is None:
        logger.warning("Search: Pagefind is not installed, so the site has no search index, page or box; fix: %s", INSTALL_HINT)
        return
    if "extended" not in executable.name:
        logger.warning(
            "Search: %s is not Pagefind's extended binary, so Chinese words are not segmented; fix: %s", executable, INSTALL_HINT
        )
    indexing = begun
    if indexing is None:
        from .build.workers import jobs_from

        indexing = _Indexing.plan(output, settings, executable)
        indexing.run(executable, jobs_from(settings))
        if indexing.failed:
            raise indexing.failed[0]
    outcomes, shards, index = indexing.outcomes, indexing.shards, indexing.index
    languages = index.finish(outcomes)
    said = list(dict.fromkeys(line for outcome in outcomes for line in outcome.lines))
    if said:
        # --quiet leaves warnings and notes; "no stemming for zh" is a note, said once per index.
        notes_only = all(line.startswith(_NOTES) for line in said)
        logger.log(logging.INFO if notes_only else logging.WARNING, "Search: Pagefind says: %s", " ".join(said))
    pages = sum(languages.values())
    if not pages and all(outcome.built is not None for outcome in outcomes):
        logger.warning("Search: Pagefind indexed no pages (no data-pagefind-body in the theme's article and page templates?)")
    logger.info(
        "Search: %d pages indexed (%s) in %d shard(s), %d indexed again, in %.2f s",
        pages,
        ", ".join(languages),
        len(shards),
        len(indexing.stale),
        time.perf_counter() - indexing.started,
    )
