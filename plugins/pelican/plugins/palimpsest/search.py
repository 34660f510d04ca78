"""Site search: a static Pagefind index, written into ``OUTPUT_PATH/pagefind/``.

After Pelican has written the site, the Pagefind binary that the
``pagefind[extended]`` package installs indexes it. Each page goes into the
index of its own ``<html lang>`` (the page's ``lang``, else the site's
``locale``), so French and English pages keep their stemmers; the search page
queries its own language's index and merges the others (theme ``search.html``).

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

import html as html_lib
import importlib
import json
import logging
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from .common.languages import primary_subtag
from .features import is_enabled

logger = logging.getLogger(__name__)

PAGEFIND_SUBDIR = "pagefind"
SEARCH_SAVE_AS = "search/index.html"
INSTALL_HINT = 'pip install "pagefind[extended]"'
TIMEOUT_SECONDS = 600
_NOTES = ("Note: Pagefind doesn't support stemming", "Search will still work")
# Where the pages Pagefind reads are staged: inside the bundle folder, which is claimed as a whole.
STAGING_SUBDIR = ".pages"
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

    Invisible in the result titles and excerpts Pagefind shows; the query side (``search.html``)
    splits the same way."""
    return _BETWEEN_HAN.sub(ZERO_WIDTH_SPACE, html)


def prepare_page(html: str, default_lang: str) -> str:
    """The copy of a written page that Pagefind reads.

    Han split (:func:`split_han`); the page's title indexed with its body (its ``<h1 class="page__title">``,
    outside the theme's ``data-pagefind-body`` section), so that a full title finds its page; and the
    ``<html lang>`` reduced to the primary subtag that names the page's index (``zh-CN`` → ``zh``), the
    site's language when it is no language code (Pagefind panics on some)."""
    match = _HTML_LANG.search(html)
    if match:
        lang = primary_subtag(html_lib.unescape(match.group(2)), "")
        if not re.fullmatch("[a-z]{2,3}", lang):
            lang = default_lang
        html = html[: match.start(2)] + lang + html[match.end(2) :]
    return split_han(_TITLE.sub(r"\1 data-pagefind-body", html, count=1))


def stage_pages(output: Path, staging: Path, default_lang: str) -> int:
    """Copy the pages Pagefind indexes (those with ``data-pagefind-body``) under *staging*, Han split.

    Only the output folder is read, without following links; the copy keeps each page's path,
    so Pagefind gives the results the URLs of the written pages."""
    count = 0
    for folder, subfolders, files in os.walk(output):
        here = Path(folder)
        subfolders[:] = sorted(d for d in subfolders if here / d != staging.parent)
        for name in sorted(files):
            path = here / name
            if not name.endswith(".html") or path.is_symlink():
                continue
            html = path.read_text(encoding="utf-8", errors="replace")
            if "data-pagefind-body" not in html:
                continue
            target = staging / path.relative_to(output)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(prepare_page(html, default_lang), encoding="utf-8")
            count += 1
    return count


def index_site(pelican: Any) -> None:
    """``finalized``: index the written site with Pagefind."""
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
    output = Path(pelican.output_path)
    bundle = output / PAGEFIND_SUBDIR
    staging = bundle / STAGING_SUBDIR
    if (bundle / "pagefind-entry.json").is_file() or staging.is_dir():
        # Pagefind leaves the last build's hashed files beside the new ones: start afresh, so that
        # the bundle is byte for byte what a clean build gives.
        shutil.rmtree(bundle)
    started = time.perf_counter()
    default_lang = primary_subtag(settings.get("DEFAULT_LANG"))
    stage_pages(output, staging, default_lang if re.fullmatch("[a-z]{2,3}", default_lang) else "en")
    command = [str(executable), "--site", str(staging), "--output-path", str(bundle), "--quiet"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.SubprocessError) as err:
        logger.error("Search: Pagefind could not run (%s): %s", " ".join(command), err)
        return
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    lines = list(dict.fromkeys(line.strip() for part in (result.stdout, result.stderr) for line in part.splitlines() if line.strip()))
    if result.returncode != 0:
        logger.error("Search: Pagefind failed (exit %d) indexing %s:\n%s", result.returncode, output, "\n".join(lines))
        return
    if lines:
        # --quiet leaves warnings and notes; "no stemming for zh" is a note, said once per index.
        notes_only = all(line.startswith(_NOTES) for line in lines)
        logger.log(logging.INFO if notes_only else logging.WARNING, "Search: Pagefind says: %s", " ".join(lines))
    entry = bundle / "pagefind-entry.json"
    try:
        manifest = json.loads(entry.read_text(encoding="utf-8"))
        languages = manifest["languages"]
        # Pagefind lists the languages in no fixed order: sorted, the bundle is the same on every build.
        manifest["languages"] = dict(sorted(languages.items()))
        entry.write_text(json.dumps(manifest, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    except (OSError, ValueError, KeyError, AttributeError) as err:
        logger.error("Search: Pagefind wrote no readable %s: %s", entry, err)
        return
    pages = sum(int(language.get("page_count", 0)) for language in languages.values())
    if not pages:
        logger.warning("Search: Pagefind indexed no pages (no data-pagefind-body in the theme's article and page templates?)")
    logger.info("Search: %d pages indexed (%s) in %.2f s", pages, ", ".join(sorted(languages)), time.perf_counter() - started)
