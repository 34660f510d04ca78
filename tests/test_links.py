"""Every internal link and resource in the built demo site resolves, anchors included."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from pelican.plugins.palimpsest.cli import main

from .conftest import ROOT

SITE_URL = "https://palimpsest.example.org"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("links") / "output"
    assert main(["build", str(ROOT / "content"), "-o", str(output), "-s", str(ROOT / "publishconf.py")]) == 0
    return output


def _target(output: Path, page: Path, link: str) -> tuple[Path, str] | None:
    """The file a link points to inside *output*, and its fragment; None if external."""
    page_url = f"{SITE_URL}/{page.relative_to(output).as_posix()}"
    absolute = urljoin(page_url, link)
    parsed = urlparse(absolute)
    if f"{parsed.scheme}://{parsed.netloc}" != SITE_URL:
        return None
    path = unquote(parsed.path).lstrip("/")
    target = output / path
    if path == "" or path.endswith("/"):
        target = target / "index.html"
    return target, parsed.fragment


def test_every_internal_link_resolves(published: Path) -> None:
    broken: list[str] = []
    ids: dict[Path, set[str]] = {}
    pages = sorted(published.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        ids[page] = {tag["id"] for tag in soup.find_all(id=True)}
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("iframe", "src")):
            for element in soup.find_all(tag):
                link = element.get(attribute)
                if not link or link.startswith(("mailto:", "javascript:", "data:")):
                    continue
                resolved = _target(published, page, link)
                if resolved is None:
                    continue
                target, fragment = resolved
                if not target.is_file():
                    broken.append(f"{page.relative_to(published)}: {link} (no {target.relative_to(published)})")
                elif fragment and target.suffix == ".html" and fragment not in ids.get(target, set()):
                    broken.append(f"{page.relative_to(published)}: {link} (no id {fragment!r})")
    assert not broken, "\n".join(broken[:50])
