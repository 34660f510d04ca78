"""Site search: a static Pagefind index, written into ``OUTPUT_PATH/pagefind/``.

After Pelican has written the site, the Pagefind binary that the
``pagefind[extended]`` package installs indexes it. Each page goes into the
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
characters: Pagefind reads a copy of each indexed page with a zero-width space
between two Han characters (the written pages are untouched), and the search
page puts a space between them in the query, quoted when the query is one run
of Han characters, so that it matches only where those characters stand
together: a substring search of any length.

Only article and page bodies are indexed: their ``<section class="page__content">``
carries ``data-pagefind-body``, and Pagefind then leaves out every page without
it (history, revision, diff and listing pages).

Switch: ``PALIMPSEST_FEATURES["search"]``. Without Pagefind installed the
build warns and goes on, without the search page and box.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import importlib
import logging
import os
import re
import subprocess
import time
from pathlib import Path
from typing import Any

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


def split_han(html: str) -> str:
    """A zero-width space between two Han characters, so that Pagefind indexes each as a word.

    Invisible in the result titles and excerpts Pagefind shows; the query side (``_search_ui.html``)
    splits the same way."""
    return _BETWEEN_HAN.sub(ZERO_WIDTH_SPACE, html)


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
    if match:
        lang = primary_subtag(html_lib.unescape(match.group(2)), "")
        if not re.fullmatch("[a-z]{2,3}", lang):
            lang = default_lang
        html = html[: match.start(2)] + lang + html[match.end(2) :]
    return split_han(_TITLE.sub(r"\1 data-pagefind-body", html, count=1))


def stage_page(output: Path, relative: str, target: Path, default_lang: str) -> None:
    """Write at *target* the copy Pagefind reads of the page at *relative* in *output* (:func:`prepare_page`).
    Staged under its own path, so Pagefind gives the results the URLs of the written pages."""
    with open(os.path.join(output, relative), encoding="utf-8", errors="replace") as source:
        html = source.read()
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8") as copy:
        copy.write(prepare_page(html, default_lang))


def run_pagefind(executable: Path, site: Path, bundle: Path) -> tuple[bool, list[str]]:
    """Pagefind over the pages in *site*, its bundle written to *bundle*: whether it succeeded, and
    what it said (errors logged here)."""
    command = [str(executable), "--site", str(site), "--output-path", str(bundle), "--quiet"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.SubprocessError) as err:
        logger.error("Search: Pagefind could not run (%s): %s", " ".join(command), err)
        return False, []
    lines = list(dict.fromkeys(line.strip() for part in (result.stdout, result.stderr) for line in part.splitlines() if line.strip()))
    if result.returncode != 0:
        logger.error("Search: Pagefind failed (exit %d) indexing %s:\n%s", result.returncode, site, "\n".join(lines))
        return False, []
    return True, lines


def fingerprint(executable: Path, default_lang: str) -> str:
    """What an index depends on besides its pages: this code (how pages are staged), the Pagefind
    binary (its path, size and time: a new version writes other bundles) and the site's language."""
    digest = hashlib.sha256()
    for module in (Path(__file__), Path(search_shards.__file__)):
        digest.update(module.read_bytes())
    info = executable.stat()
    digest.update(f"\0{executable}\0{info.st_size}\0{info.st_mtime_ns}\0{default_lang}".encode())
    return digest.hexdigest()


def index_site(pelican: Any) -> None:
    """``finalized``: index the written site with Pagefind, the shards whose pages changed."""
    settings = pelican.settings
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
    from .build.workers import jobs_from

    started = time.perf_counter()
    output = Path(pelican.output_path)
    default_lang = primary_subtag(settings.get("DEFAULT_LANG"))
    default_lang = default_lang if re.fullmatch("[a-z]{2,3}", default_lang) else "en"
    index = search_shards.ShardedIndex(
        output, output / PAGEFIND_SUBDIR, fingerprint(executable, default_lang), search_shards.shard_pages(settings)
    )
    shards = index.plan()
    stale = [shard for shard in shards if not index.is_current(shard)]

    outcomes = index.build(
        stale,
        jobs_from(settings),
        lambda relative, target: stage_page(output, relative, target, default_lang),
        lambda staged, bundle: run_pagefind(executable, staged, bundle),
    )
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
        len(stale),
        time.perf_counter() - started,
    )
