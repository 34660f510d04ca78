"""The test module the pytest plugin collects for a blog: one test per
(document, revision), comparing the revision's canonical body HTML, as
today's pipeline renders it, with a stored snapshot (pytest-regressions).

Regenerate after an intended change: ``pytest --force-regen``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from ..document import render_document
from ..jekyll.site import JekyllSite
from ..revisions.history import Revision, read_blobs, read_history, repository_root
from .canonical import canonical_html

DOCUMENT_FOLDERS = ("_posts", "_pages")


@dataclass(frozen=True)
class PinnedRevision:
    document: Path
    revision: Revision
    snapshot: str  # "<document stem>/<YYYY-MM-DD-sha7>"


def site_documents(site: JekyllSite) -> list[Path]:
    folders = [site.root / name for name in DOCUMENT_FOLDERS]
    folders += [collection.directory for collection in site.collections.values()]
    return sorted({path for folder in folders if folder.is_dir() for path in folder.rglob("*.md")})


@lru_cache(maxsize=8)
def pinned_revisions(site_root: Path) -> tuple[JekyllSite, list[PinnedRevision], dict[str, bytes]]:
    site = JekyllSite.load(site_root)
    documents = site_documents(site)
    root = repository_root(site_root)
    history = read_history(root, documents, scope=site_root)
    cases = [
        PinnedRevision(document, revision, f"{document.stem}/{revision.slug}")
        for document in documents
        for revision in history.get(document, [])
    ]
    return site, cases, read_blobs(root, [case.revision.blob for case in cases])


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "pinned" not in metafunc.fixturenames:
        return
    site_root = Path(metafunc.config.getini("palimpsest_site") or ".")
    site_root = (metafunc.config.rootpath / site_root).resolve()
    _, cases, _ = pinned_revisions(site_root)
    metafunc.parametrize("pinned", cases, ids=[case.snapshot for case in cases])


@pytest.fixture()
def original_datadir(request: pytest.FixtureRequest) -> Path:
    """Snapshots live in the blog's ``palimpsest_snapshots`` folder, not beside this module."""
    return (request.config.rootpath / (request.config.getini("palimpsest_snapshots") or "tests/revisions")).resolve()


def test_revision_renders_as_pinned(pinned: PinnedRevision, file_regression: Any, request: pytest.FixtureRequest) -> None:
    site_root = (request.config.rootpath / (request.config.getini("palimpsest_site") or ".")).resolve()
    site, _, blobs = pinned_revisions(site_root)
    text = blobs[pinned.revision.blob].decode("utf-8")
    html = render_document(pinned.document, site, text=text).html
    file_regression.check(canonical_html(html), basename=pinned.snapshot, extension=".html")
