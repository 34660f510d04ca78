"""Every internal link and resource in the built demo site resolves, anchors included."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from bs4 import BeautifulSoup

from .conftest import DemoSite


def _target(output: Path, site_url: str, page: Path, link: str) -> tuple[Path, str] | None:
    """The file a link points to inside *output*, and its fragment; None if external."""
    page_url = f"{site_url}/{page.relative_to(output).as_posix()}"
    absolute = urljoin(page_url, link)
    parsed = urlparse(absolute)
    if f"{parsed.scheme}://{parsed.netloc}" != site_url:
        return None
    path = unquote(parsed.path).lstrip("/")
    target = output / path
    if path == "" or path.endswith("/"):
        target = target / "index.html"
    return target, parsed.fragment


def test_every_internal_link_resolves(demo: DemoSite) -> None:
    """Links are absolute (built as published, with RELATIVE_URLS off) under the site's URL."""
    published = demo.output
    broken: list[str] = []
    internal = 0
    ids: dict[Path, set[str]] = {}
    pages = sorted(p for p in published.rglob("*.html") if ".palimpsest-cache" not in p.relative_to(published).parts)
    assert len(pages) > 30  # 38: Jekyll's pages and ours (history, updates, search), no Pelican tag or archive pages
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
                resolved = _target(published, demo.base_url, page, link)
                if resolved is None:
                    continue
                target, fragment = resolved
                internal += 1
                if not target.is_file():
                    broken.append(f"{page.relative_to(published)}: {link} (no {target.relative_to(published)})")
                elif fragment and target.suffix == ".html" and fragment not in ids.get(target, set()):
                    broken.append(f"{page.relative_to(published)}: {link} (no id {fragment!r})")
    assert internal > 500, f"only {internal} internal links found: are links under {demo.base_url}?"
    assert not broken, "\n".join(broken[:50])
