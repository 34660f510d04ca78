"""Jekyll's file inventory: a small site built by real Jekyll 4.3.1 (jekyll-feed, jekyll-sitemap,
jekyll-paginate from Debian) and by ``palimpsest build`` writes the same files.

``JEKYLL_FILES`` is what ``jekyll build`` wrote for ``SITE`` (pasted once, 2026-11-29); ``OURS`` are
this project's own pages, which Jekyll does not make and which collide with nothing here."""

from __future__ import annotations

from pathlib import Path

import pytest

from pelican.plugins.palimpsest.cli import main

SITE = {
    "_config.yml": (
        "title: Inventory\n"
        "url: https://example.org\n"
        "permalink: /:categories/:year/:month/:day/:title/\n"
        "paginate: 2\n"
        "paginate_path: /page:num/\n"
        "plugins: [jekyll-feed, jekyll-sitemap, jekyll-paginate]\n"
        "feed:\n  collections: [tds]\n"
        "collections:\n  tds:\n    output: true\n    permalink: /:collection/:path/\n"
        "include: [_pages]\n"
        "exclude: [notes/, README.md]\n"
    ),
    "_layouts/default.html": "<html><body>{{ content }}</body></html>\n",
    "_posts/2024-01-11-first.md": "---\ntitle: First\nlayout: default\n---\nThe first post.\n",
    "_posts/2024-02-12-second.md": "---\ntitle: Second\nlayout: default\n---\nThe second post.\n",
    "_posts/2024-03-13-third.md": "---\ntitle: Third\nlayout: default\ncategories: [travel]\n---\nThe third post.\n",
    "_posts/2024-04-14-fourth.md": "---\ntitle: Fourth\nlayout: default\n---\nThe fourth post.\n",
    "_posts/2024-05-15-fifth.md": "---\ntitle: Fifth\nlayout: default\n---\nThe fifth post.\n",
    "_drafts/unfinished.md": "---\ntitle: Unfinished\n---\nNot yet.\n",
    "_tds/dated.md": "---\ntitle: Dated\ndate: 2024-03-01\nlayout: default\n---\nA dated document.\n",
    "_tds/undated.md": "---\ntitle: Undated\nlayout: default\n---\nA document with no date.\n",
    "_tds/touched.md": "---\ntitle: Touched\nlast_modified_at: 2024-06-01\nlayout: default\n---\nChanged once.\n",
    "_pages/archive.md": "---\ntitle: Archive\npermalink: /archive/\n---\nEvery post.\n",
    "index.html": '---\nlayout: default\n---\n{% for post in paginator.posts %}<a href="{{ post.url }}">{{ post.title }}</a>{% endfor %}\n',
    "about.md": "---\ntitle: About\nlayout: default\n---\nWho writes here.\n",
    "docs/guide.md": "---\ntitle: Guide\n---\nHow to read it.\n",
    "docs/index.md": "---\ntitle: Docs\n---\nThe docs.\n",
    "docs/plain.md": "No front matter: copied as it is.\n",
    "docs/page.html": "---\ntitle: An HTML page\n---\n<p>{{ page.title }}</p>\n",
    "404.md": "---\ntitle: Not found\npermalink: /404.html\n---\nNOTHING-HERE\n",
    "CNAME": "example.org\n",
    "favicon.ico": "ico",
    ".htaccess": "RewriteEngine On\n",
    ".hidden": "not copied\n",
    "assets/css/main.css": "body { margin: 0 }\n",
    "assets/css/#scratch#": "not copied\n",
    "assets/css/_partial.css": "not copied\n",
    "assets/img/dot.txt": "an image\n",
    "assets/img/old.txt~": "not copied\n",
    "notes/todo.md": "---\ntitle: Excluded\n---\nExcluded.\n",
    "README.md": "Excluded.\n",
    "Gemfile": "source 'https://rubygems.org'\n",
}

JEKYLL_FILES = [
    "2024/01/11/first/index.html",
    "2024/02/12/second/index.html",
    "2024/04/14/fourth/index.html",
    "2024/05/15/fifth/index.html",
    "404.html",
    "CNAME",
    "about/index.html",
    "archive/index.html",
    "assets/css/main.css",
    "assets/img/dot.txt",
    "docs/guide/index.html",
    "docs/index.html",
    "docs/page/index.html",
    "docs/plain.md",
    "favicon.ico",
    "feed.xml",
    "feed/tds.xml",
    "index.html",
    "page2/index.html",
    "page3/index.html",
    "robots.txt",
    "sitemap.xml",
    "tds/dated/index.html",
    "tds/touched/index.html",
    "tds/undated/index.html",
    "travel/2024/03/13/third/index.html",
]
OURS = ["search/index.html", "updates/index.html", "tds/index.html"]
OWN_FOLDERS = ("theme/", "pagefind/", ".palimpsest-cache/")  # the theme's static files, the search index, the build's cache


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("inventory")
    site, out = root / "site", root / "out"
    for name, text in SITE.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    assert main(["build", str(site), "-o", str(out)]) == 0
    return out


def test_same_files_as_jekyll(built: Path) -> None:
    written = sorted(p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file())
    assert [p for p in written if not p.startswith(OWN_FOLDERS)] == sorted(JEKYLL_FILES + OURS)


def test_paginated_home_lists_posts_only(built: Path) -> None:
    """paginate: 2 over five posts, newest first: page 2 holds the third and second (as Jekyll's does), no collection document."""
    page2 = (built / "page2" / "index.html").read_text(encoding="utf-8")
    assert "/travel/2024/03/13/third/" in page2 and "/2024/02/12/second/" in page2
    assert "/2024/04/14/fourth/" not in page2 and "/tds/dated/" not in page2


def test_undated_document_is_listed_without_a_date(built: Path) -> None:
    hub = (built / "tds" / "index.html").read_text(encoding="utf-8")
    assert "/tds/undated/" in hub and "1970" not in hub
    assert "1970" not in (built / "tds" / "undated" / "index.html").read_text(encoding="utf-8")


def test_site_own_404_wins(built: Path) -> None:
    assert "NOTHING-HERE" in (built / "404.html").read_text(encoding="utf-8")


def test_feeds_as_jekyll_feed(built: Path) -> None:
    feed = (built / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 5 and "<published>2024-05-15T00:00:00+00:00</published>" in feed and "<summary" in feed
    assert "/tds/" not in feed
    tds = (built / "feed" / "tds.xml").read_text(encoding="utf-8")
    assert "/tds/dated/" in tds and "/tds/touched/" in tds and "/tds/undated/" not in tds  # no date, no entry
    assert (built / "robots.txt").read_text(encoding="utf-8") == "Sitemap: https://example.org/sitemap.xml\n"


def test_html_page_is_liquid_only(built: Path) -> None:
    assert "<p>An HTML page</p>" in (built / "docs" / "page" / "index.html").read_text(encoding="utf-8")


def test_destination_of_the_config_is_the_default_output(tmp_path: Path) -> None:
    """``destination:`` names the output folder when ``-o`` is not given, relative to the site (Jekyll)."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: T\ndestination: ../public\n", encoding="utf-8")
    (site / "_posts" / "2024-01-01-one.md").write_text("---\ntitle: One\n---\n\nText.\n", encoding="utf-8")
    assert main(["build", str(site)]) == 0
    assert (tmp_path / "public" / "2024" / "01" / "01" / "one.html").is_file()  # permalink: date (the default)
    assert (tmp_path / "public" / "index.html").is_file()
    assert not (site / "_site").exists()
