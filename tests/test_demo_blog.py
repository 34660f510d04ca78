"""The demo blog builds, deterministically, and each article body is pinned by a snapshot.

Regenerate the snapshots after an intended change with
``pytest tests/test_demo_blog.py --force-regen``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pelican.plugins.palimpsest.canonical import canonical_html
from pelican.plugins.palimpsest.cli import main
from pelican.plugins.palimpsest.document import render_document
from pelican.plugins.palimpsest.jekyll.site import JekyllSite

from .conftest import ROOT

CONTENT = ROOT / "content"
DOCUMENTS = sorted(
    path for folder in ("_posts", "_guides", "_pages") for path in (CONTENT / folder).glob("*.md")
)


def _tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("demo") / "output"
    assert main(["build", str(CONTENT), "-o", str(output), "-s", str(ROOT / "pelicanconf.py")]) == 0
    return output


def test_demo_builds_every_document(built: Path) -> None:
    site = JekyllSite.load(CONTENT)
    for path in DOCUMENTS:
        page = render_document(path, site).metadata
        target = built / page["save_as"]
        assert target.is_file() == page["published"], path
        if page["published"]:
            assert 'class="page__content"' in target.read_text(encoding="utf-8")


def test_build_is_deterministic(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "output"
    assert main(["build", str(CONTENT), "-o", str(again), "-s", str(ROOT / "pelicanconf.py")]) == 0
    assert _tree_digest(again) == _tree_digest(built)


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.stem for p in DOCUMENTS])
def test_demo_article_body_snapshot(path: Path, file_regression) -> None:  # type: ignore[no-untyped-def]
    html = render_document(path, JekyllSite.load(CONTENT)).html
    file_regression.check(canonical_html(html), basename=path.stem, extension=".html")
