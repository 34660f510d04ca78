"""What the built demo site says about updates: article Updates list, the
"Recently updated" page, the Atom feed's <updated> and the sitemap's <lastmod>.

Every expected value is read off content/ by hand: the dated update phrases in the
posts ("2025年1月20日更新", "Mise à jour (15/09/2024)", "Updated on Jun 3, 2024", ...)
and their ``last_modified_at``, which each post's newest update is newer than."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from pelican.plugins.palimpsest.theme_filters import update_lead

from .conftest import DemoSite

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

LIVING = "/2024/02/18/titre-de-sejour-en-ligne/"
CALCULER = "/2024/03/10/calculer-la-date-de-renouvellement/"
LYON = "/2024/04/06/a-weekend-in-lyon/"
SCHEDULE = "/2024/05/20/anef-rollout-schedule/"

# The living article's four updates, newest first, with a few words of each callout.
# "2024 年 9 月 1 日更新过一次材料说明" in the same post is not one (it is about the préfecture's site).
LIVING_UPDATES = [
    ("2025-01-20", "窗口还要求出示 attestation de dépôt 的打印件"),
    ("2024-11-05", "attestation de dépôt 现在放在“Mes documents”一栏里"),
    ("2024-06-01", "三个月内的网络账单或者房租收据"),
    ("2024-03-02", "提交两周了"),
]
# Every update on the site, newest first: (date, article).
ALL_UPDATES = [
    ("2025-01-20", LIVING),
    ("2024-11-05", LIVING),
    ("2024-09-15", CALCULER),
    ("2024-07-01", LYON),
    ("2024-06-03", LYON),
    ("2024-06-01", LIVING),
    ("2024-05-12", LYON),
    ("2024-04-02", CALCULER),
    ("2024-03-02", LIVING),
]
# (article, published, modified): modified is the newest update, not last_modified_at
# (2024-09-10, 2024-03-14, 2024-04-09); the schedule has no updates and no last_modified_at.
DATES = [
    (LIVING, "2024-02-18", "2025-01-20"),
    (CALCULER, "2024-03-10", "2024-09-15"),
    (LYON, "2024-04-06", "2024-07-01"),
    (SCHEDULE, "2024-05-20", "2024-05-20"),
]
UPDATED = [pytest.param(article, modified, id=article.strip("/").split("/")[-1]) for article, _, modified in DATES]


def page(demo: DemoSite, path: str) -> BeautifulSoup:
    return BeautifulSoup((demo.output / path.strip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_article_lists_its_updates_linking_to_callouts(demo: DemoSite) -> None:
    soup = page(demo, LIVING)
    links = [(a["href"], a.find("time")["datetime"]) for a in soup.select("nav.page__updates a")]
    assert links == [(f"#update-{date}", date) for date, _ in LIVING_UPDATES]
    for date, words in LIVING_UPDATES:
        callout = soup.find(id=f"update-{date}")
        assert callout is not None, date
        assert "update" in callout["class"]
        assert callout.find("time")["datetime"] == date
        assert words in callout.get_text()
    assert soup.find(id="update-2024-09-01") is None
    assert len(soup.select(".page__content .update")) == len(LIVING_UPDATES)


@pytest.mark.parametrize(("article", "modified"), [p for p in UPDATED if p.values[0] != SCHEDULE])
def test_updated_line_shows_modified(demo: DemoSite, article: str, modified: str) -> None:
    assert page(demo, article).select_one(".page__updated time")["datetime"].startswith(modified)


def test_recently_updated_page_is_newest_first(demo: DemoSite) -> None:
    soup = page(demo, "/updates/")
    items = [(item.find("time")["datetime"], item.find("a")["href"]) for item in soup.select(".recent-updates li")]
    assert items == [(date, f"{demo.base_url}{article}#update-{date}") for date, article in ALL_UPDATES]


@pytest.mark.parametrize(("article", "published", "modified"), DATES)
def test_feed_updated_is_modified(demo: DemoSite, article: str, published: str, modified: str) -> None:
    feed = ET.parse(demo.output / "feed.xml").getroot()
    entries = {e.find(f"{ATOM}link").get("href"): e for e in feed.findall(f"{ATOM}entry")}
    entry = entries[demo.base_url + article]
    assert entry.find(f"{ATOM}updated").text.startswith(modified + "T")
    assert entry.find(f"{ATOM}published").text.startswith(published + "T")


@pytest.mark.parametrize(("article", "modified"), UPDATED)
def test_sitemap_lastmod_is_modified(demo: DemoSite, article: str, modified: str) -> None:
    sitemap = ET.parse(demo.output / "sitemap.xml").getroot()
    lastmod = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in sitemap.findall(f"{SITEMAP}url")}
    assert lastmod[demo.base_url + article].startswith(modified + "T")


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        ("2022 年 2 月 14 日更新：表格变了。", "表格变了。"),
        ("Update (2022-02-14): moved.", "moved."),
        ("No phrase here.", "No phrase here."),
    ],
)
def test_update_lead(text: str, lead: str) -> None:
    assert update_lead(text) == lead


def test_one_feed_per_collection(demo: DemoSite) -> None:
    feed = ET.parse(demo.output / "feed" / "guides.xml").getroot()
    links = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]
    assert links == [f"{demo.base_url}/guides/renouvellement/"]
