"""pytest plugin: pin the rendered HTML of every revision of every article.

In a blog's ``pytest.ini`` (or ``[tool.pytest.ini_options]``)::

    palimpsest_site = .                 # the Jekyll site folder
    palimpsest_snapshots = tests/revisions

and ``pytest`` collects one test per (article, revision) from the site's
``_config.yml``; ``pytest --force-regen`` regenerates the snapshots.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

# This module is the ``pytest11`` entry point: pytest imports it in every run of any
# environment where pelican-palimpsest is installed.  It imports only pytest; the
# pinning tests (and with them the render stack) load when a site is collected.
if TYPE_CHECKING:
    from pathlib import Path
    from types import ModuleType
    from typing import Any


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("palimpsest_site", "Jekyll site folder whose revisions are pinned (empty: none)", default="")
    parser.addini("palimpsest_snapshots", "folder holding the revision snapshots", default="tests/revisions")


class RevisionSnapshots(pytest.Module):
    """The site's ``_config.yml`` stands for the library's pinning test module."""

    def _getobj(self) -> ModuleType:
        from . import pinning

        return pinning


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> Any:
    site = parent.config.getini("palimpsest_site")
    if not site or file_path.name != "_config.yml":
        return None
    if file_path.resolve() != (parent.config.rootpath / site / "_config.yml").resolve():
        return None
    return RevisionSnapshots.from_parent(parent, path=file_path)
