"""Minimal Mistakes' layouts and conventions in the theme, on a small site of our own
(tests/fixtures/theme-layouts/): every expected value below is written by hand from the fixture."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pelican.plugins.palimpsest.cli import main
from pelican.plugins.palimpsest.i18n import site_ui_text
from pelican.plugins.palimpsest.theme_layouts import layout_template

FIXTURE = Path(__file__).parent / "fixtures" / "theme-layouts"
SITE = "https://layouts.example.org"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    work = tmp_path_factory.mktemp("layouts")
    site = work / "site"
    shutil.copytree(FIXTURE, site)
    output = work / "out"
    status = main(["build", str(site), "-o", str(output)])
    return output, status


def soup(built: tuple[Path, int], page: str) -> BeautifulSoup:
    return BeautifulSoup((built[0] / page).read_text(encoding="utf-8"), "html.parser")


def main_links(built: tuple[Path, int], page: str, selector: str) -> list[str]:
    return [str(a["href"]) for a in soup(built, page).select(selector)]


def test_the_site_builds(built: tuple[Path, int]) -> None:
    assert built[1] == 0


def test_masthead_navigation_from_navigation_yml(built: tuple[Path, int]) -> None:
    nav = soup(built, "tds/index.html").select(".site-nav a")
    assert [(a.text, a["href"]) for a in nav] == [
        ("Archives", f"{SITE}/archive/"),
        ("Étiquettes", f"{SITE}/tags/"),
        ("TD", f"{SITE}/tds/"),
        ("Accueil du projet", "https://project.example.org/"),
    ]


def test_posts_layout_lists_posts_by_year(built: tuple[Path, int]) -> None:
    page = soup(built, "archive/index.html")
    assert [h.text for h in page.select(".archive--posts h2")] == ["2024", "2023"]
    assert [a.text for a in page.select('[id="2024"] a')] == ["Un billet de Lin", "Second billet"]
    assert [a.text for a in page.select('[id="2023"] a')] == ["Premier billet"]
    assert [a.text.split() for a in page.select(".taxonomy__index a")] == [["2024", "2"], ["2023", "1"]]


def test_tags_layout_groups_posts_with_counts_and_anchors(built: tuple[Path, int]) -> None:
    page = soup(built, "tags/index.html")
    assert [a.text.split() for a in page.select(".taxonomy__index a")] == [["démarches", "2"], ["code", "1"], ["lyon", "1"]]
    assert [a.text for a in page.select("section#démarches a")] == ["Second billet", "Premier billet"]
    # no collection document among them
    assert "TD" not in page.select_one(".archive--tags").text


def test_categories_layout_uses_every_category_of_a_post(built: tuple[Path, int]) -> None:
    page = soup(built, "categories/index.html")
    assert [a.text.split() for a in page.select(".taxonomy__index a")] == [["code", "2"], ["notes", "2"]]
    assert [a.text for a in page.select("section#code a")] == ["Un billet de Lin", "Second billet"]


def test_collection_layout_honours_sort_by_and_sort_order(built: tuple[Path, int]) -> None:
    by_order = main_links(built, "tds/index.html", ".archive--collection a")
    assert by_order == [f"{SITE}/tds/td-b/", f"{SITE}/tds/td-a/", f"{SITE}/tds/td-c/"]
    reverse = main_links(built, "tds-reverse/index.html", ".archive--collection a")
    assert reverse == [f"{SITE}/tds/td-c/", f"{SITE}/tds/td-a/", f"{SITE}/tds/td-b/"]
    assert "Du dernier au premier." in soup(built, "tds-reverse/index.html").select_one(".page__content").text


def test_home_layout_lists_posts_only(built: tuple[Path, int]) -> None:
    page = soup(built, "accueil/index.html")
    assert page.select_one(".archive__subtitle").text == "Derniers billets"  # _data/ui-text.yml over the theme's words
    titles = [a.text for a in page.select(".archive--home .entry__title a")]
    assert titles == ["Un billet de Lin", "Second billet"]  # paginate: 2, newest first, no TD


def test_splash_layout_hero_actions_and_feature_row(built: tuple[Path, int]) -> None:
    page = soup(built, "bienvenue/index.html")
    hero = page.select_one(".page__hero--overlay")
    assert hero["style"] == "background-color: #335;"
    assert hero.select_one("h1").text == "Bienvenue"
    assert str(hero.select_one(".page__lead")) == '<p class="page__lead">Un site <em>de démonstration</em> pour les layouts.</p>'
    assert [(a.text, a["href"]) for a in hero.select(".page__actions a")] == [("Lire les billets", f"{SITE}/archive/")]
    features = page.select(".feature__item")
    assert [f.select_one(".feature__title").text for f in features] == ["Billets", "TD"]
    assert str(features[0].select_one(".feature__excerpt p")) == "<p>Les billets <strong>par année</strong>.</p>"
    assert [(a.text, a["href"]) for a in page.select(".feature__item .btn")] == [("Voir", "/archive/"), ("Learn more", "/tds/")]


def test_single_toc_caption_author_and_related(built: tuple[Path, int]) -> None:
    page = soup(built, "2024/01/10/second-billet/index.html")
    toc = page.select_one("nav.page__toc")
    assert "page__toc--sticky" in toc["class"]
    assert toc.select_one("h2").text == "Au sommaire"  # ui-text.yml's toc_label
    caption = page.select_one(".page__hero figcaption")
    assert str(caption) == '<figcaption>Photo : <a href="https://camille.example.org"><strong>Camille</strong></a></figcaption>'
    profile = page.select_one(".author__profile")
    assert profile.select_one(".author__name").text == "Camille Martin"
    assert str(profile.select_one(".author__bio")) == '<p class="author__bio">Écrit sur les <em>démarches</em> et le code.</p>'
    assert profile.select_one("img")["src"] == f"{SITE}/assets/camille.svg"
    related = page.select_one(".page__related")
    assert related.select_one("h2").text == "À lire ensuite"
    assert [a.text for a in related.select("a")] == ["Premier billet"]  # the one post sharing a tag
    assert [a["href"] for a in page.select(".page__taxonomy a")] == [f"{SITE}/tags/#démarches"]


def test_page_author_show_date_and_read_time(built: tuple[Path, int]) -> None:
    page = soup(built, "2024/03/02/billet-de-lin/index.html")
    assert page.select_one(".author__name").text == "Lin Wei"  # _data/authors.yml
    assert page.select_one(".author__location").text == "上海"
    meta = page.select_one(".page__meta")
    assert meta.select("time") == [] and meta.select(".page__reading-time") == []
    # related: no post shares its tag 'code': the latest posts
    assert [a.text for a in page.select(".page__related a")] == ["Second billet", "Premier billet"]


def test_front_matter_excerpt_is_markdown_in_lists(built: tuple[Path, int]) -> None:
    page = soup(built, "accueil/index.html")
    assert str(page.select(".entry__excerpt")[0]) == '<div class="entry__excerpt">Un résumé en <em>Markdown</em>.</div>'


def test_custom_head_and_footer_includes(built: tuple[Path, int]) -> None:
    page = soup(built, "tds/index.html")
    head = page.head.find_all(True)
    assert head[-1].name == "meta" and head[-1]["content"] == "Carnet de layouts"  # at the end of <head>
    assert page.select_one("footer.page__footer > :last-child").text == "Pied de page de Camille Martin"
    follow = page.select(".page__footer-follow a")
    assert [(a.text, a["href"]) for a in follow] == [("Mastodon", "https://social.example.org/@camille"), ("Flux", f"{SITE}/feed.xml")]


def test_unknown_layout_builds_with_single(built: tuple[Path, int]) -> None:
    page = soup(built, "inconnu/index.html")
    assert page.select_one("h1.page__title").text == "Un layout inconnu"


def test_unknown_layout_is_a_warning_naming_the_file(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    source = tmp_path / "x.md"
    source.write_text("---\ntitle: X\nlayout: wide-gallery\n---\n\nBody.\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert layout_template("wide-gallery", source) is None
        assert layout_template(["a", "list"], source) is None
    assert f"{source}:3: layout 'wide-gallery' is not a layout this theme knows" in caplog.text
    assert layout_template("posts", source) == "layouts/posts"
    assert layout_template("single", source) is None
    assert layout_template(None, source) is None


def test_site_ui_text_over_the_theme_words() -> None:
    site = {"fr-FR": {"toc_label": "Au sommaire"}, "en": {"related_label": "More"}}
    assert site_ui_text(site, "on_this_page", "fr-FR") == "Au sommaire"
    assert site_ui_text(site, "on_this_page", "fr") == "Au sommaire"  # a locale of that language
    assert site_ui_text(site, "related_label", "en-US") == "More"
    assert site_ui_text(site, "related_label", "zh") == "猜您还喜欢"  # the theme's own
    assert site_ui_text(None, "tags", "fr") == "Étiquettes"
