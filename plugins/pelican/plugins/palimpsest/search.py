"""Site search: a static Pagefind index, written into ``OUTPUT_PATH/pagefind/``.

After Pelican has written the site, the Pagefind binary that the
``pagefind[extended]`` package installs indexes the output folder. The
extended binary segments Chinese into words (the plain one misses them), and
``--force-language`` with the site's ``DEFAULT_LANG`` gives one index across
the site's languages, so one query finds zh, fr and en articles alike.

Only article and page bodies are indexed: their ``<section class="page__content">``
carries ``data-pagefind-body``, and Pagefind then leaves out every page without
it (history, revision, diff and listing pages).

Switch: ``PALIMPSEST_FEATURES["search"]``. Without Pagefind installed the
build warns and goes on, without the search page and box.
"""

from __future__ import annotations

import importlib
import json
import logging
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


def index_language(settings: dict[str, Any]) -> str:
    """The one language the index is built for: ``DEFAULT_LANG``'s primary subtag (``zh-CN`` → ``zh``)."""
    return primary_subtag(settings.get("DEFAULT_LANG"))


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
    if (bundle / "pagefind-entry.json").is_file():
        # Pagefind leaves the last build's hashed files beside the new ones: start afresh, so that
        # the bundle is byte for byte what a clean build gives.
        shutil.rmtree(bundle)
    command = [
        str(executable),
        "--site",
        str(output),
        "--output-subdir",
        PAGEFIND_SUBDIR,
        "--force-language",
        index_language(settings),
        "--quiet",
    ]
    started = time.perf_counter()
    try:
        result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.SubprocessError) as err:
        logger.error("Search: Pagefind could not run (%s): %s", " ".join(command), err)
        return
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
        languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
    except (OSError, ValueError, KeyError) as err:
        logger.error("Search: Pagefind wrote no readable %s: %s", entry, err)
        return
    pages = sum(int(language.get("page_count", 0)) for language in languages.values())
    if not pages:
        logger.warning("Search: Pagefind indexed no pages (no data-pagefind-body in the theme's article and page templates?)")
    logger.info("Search: %d pages indexed (%s) in %.2f s", pages, ", ".join(sorted(languages)), time.perf_counter() - started)
