"""What the built demo site says about updates: article Updates list, the
"Recently updated" page, the Atom feed's <updated> and the sitemap's <lastmod>."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pelican.plugins.palimpsest.cli import main
from pelican.plugins.palimpsest.document import render_document
from pelican.plugins.palimpsest.jekyll.site import JekyllSite
from pelican.plugins.palimpsest.theme_filters import update_lead

from .conftest import ROOT

CONTENT = ROOT / "content"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def site_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("site") / "output"
    assert main(["build", str(CONTENT), "-o", str(output), "-s", str(ROOT / "publishconf.py")]) == 0
    return output


@pytest.fixture(scope="module")
def living() -> dict:
    site = JekyllSite.load(CONTENT)
    pages = [render_document(p, site).metadata for p in sorted((CONTENT / "_posts").glob("*.md"))]
    return max((p for p in pages if p["published"]), key=lambda p: len(p["updates"]))


def test_article_lists_its_updates_linking_to_callouts(site_output: Path, living: dict) -> None:
    soup = BeautifulSoup((site_output / living["save_as"]).read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in soup.select("nav.page__updates a")]
    assert links == [f"#{u['id']}" for u in reversed(living["updates"])]
    for update in living["updates"]:
        callout = soup.find(id=update["id"])
        assert callout is not None and "update" in callout["class"]
        assert callout.find("time")["datetime"] == update["date"].isoformat()


def test_updated_line_shows_modified(site_output: Path, living: dict) -> None:
    soup = BeautifulSoup((site_output / living["save_as"]).read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one(".page__updated time")["datetime"].startswith(living["modified"].date().isoformat())


def test_recently_updated_page_is_newest_first(site_output: Path) -> None:
    soup = BeautifulSoup((site_output / "updates" / "index.html").read_text(encoding="utf-8"), "html.parser")
    dates = [time["datetime"] for time in soup.select(".recent-updates time")]
    assert dates and dates == sorted(dates, reverse=True)


def test_feed_updated_is_modified(site_output: Path, living: dict) -> None:
    feed = ET.parse(site_output / "feeds" / "all.atom.xml").getroot()
    entries = {e.find(f"{ATOM}link").get("href"): e for e in feed.findall(f"{ATOM}entry")}
    entry = next(e for href, e in entries.items() if href.endswith(living["url"]))
    assert entry.find(f"{ATOM}updated").text.startswith(living["modified"].date().isoformat())
    assert entry.find(f"{ATOM}published").text.startswith(living["date"].date().isoformat())


def test_sitemap_lastmod_is_modified(site_output: Path, living: dict) -> None:
    sitemap = ET.parse(site_output / "sitemap.xml").getroot()
    urls = {u.find(f"{SITEMAP}loc").text: u.find(f"{SITEMAP}lastmod") for u in sitemap.findall(f"{SITEMAP}url")}
    lastmod = next(v for k, v in urls.items() if k.endswith(living["url"]))
    assert lastmod.text.startswith(living["modified"].date().isoformat())


@pytest.mark.parametrize(
    ("text", "lead"),
    [("2022 年 2 月 14 日更新：表格变了。", "表格变了。"), ("Update (2022-02-14): moved.", "moved."), ("No phrase here.", "No phrase here.")],
)
def test_update_lead(text: str, lead: str) -> None:
    assert update_lead(text) == lead


def test_one_feed_per_collection(site_output: Path) -> None:
    feed = ET.parse(site_output / "feeds" / "guides.atom.xml").getroot()
    links = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]
    assert links and all("/guides/" in link for link in links)
