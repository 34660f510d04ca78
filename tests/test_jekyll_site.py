"""Our build of a whole Jekyll site, measured against real Jekyll's build of it (issue 11).

The fixture (tests/fixtures/jekyll-site/, our own text in Chinese, French and English)
uses every item of the issue: posts over four years with tags and categories, a
collection with an undated half, ``paginate`` with ``paginate_path``, a root
``index.html`` with ``paginator``, pages with ``permalink:`` in ``_pages/`` and
elsewhere, ``_data/navigation.yml``, Minimal Mistakes' layouts, ``post_url``,
``link``, ``include_relative``, ``gist``, ``$$`` math, jemoji shortcodes, ``CNAME``,
``favicon.ico``, ``assets/``, ``exclude:``, a 404 page, jekyll-feed (with a
collection's feed), jekyll-sitemap.  Its ``_layouts/`` are Jekyll's side only: they
print the lists the index pages hold (``class="fixture-list"``); our build uses our
own theme.

What real Jekyll wrote is in tests/fixtures/jekyll-site.expected/ (written by
``tools/jekyll_site_fixture.py``, never by our code): ``files.txt``, every file, and
``lists.json``, for each index page the URLs of each list it holds.

KNOWN_MISSING lists the checks that do not pass yet, each with its reason: they are
strict xfails, so one that starts passing fails until it is taken off the list.  The
list is the measure of what is left of the issue.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote, urljoin, urlparse

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag

from .conftest import ROOT

Test = TypeVar("Test", bound=Callable[..., None])

SITE = ROOT / "tests" / "fixtures" / "jekyll-site"
EXPECTED = ROOT / "tests" / "fixtures" / "jekyll-site.expected"
SITE_URL = "https://carnet.example.org"  # the fixture's _config.yml url
JEKYLL_FILES = (EXPECTED / "files.txt").read_text(encoding="utf-8").split()
JEKYLL_LISTS: dict[str, dict[str, list[str]]] = json.loads((EXPECTED / "lists.json").read_text(encoding="utf-8"))
#: Every page shows the masthead navigation; these few stand for all of them.
NAVIGATION_PAGES = ("index.html", "about/index.html", "journal/hello/index.html", "tds/td3-series/index.html", "404.html")
#: Paths Jekyll does not write, that our build must not write either: what exclude:
#: leaves out, a draft, Jekyll's own folders, and pages only Pelican makes.
NOT_JEKYLL = (
    "README.md",
    "brouillons/*",
    "un-brouillon/*",
    "_drafts/*",
    "_layouts/*",
    "_includes/*",
    "_data/*",
    "_config.yml",
    "authors.html",
    "author/*",
    "archives.html",
    "categories.html",
    "category/*",
    "tags.html",
    "tag/*",
    "feeds/*",
    "index2.html",
)
#: Shortcodes the fixture writes outside code (jemoji is in its plugins:).
EMOJI_SHORTCODES = (":smile:", ":tada:", ":sparkles:")
#: Elements whose text is code or not shown as page text.
NOT_TEXT = ("code", "pre", "script", "style", "textarea", "annotation", "annotation-xml")
#: What the site's _includes/head/custom.html and footer/custom.html print, as Jekyll renders them.
EXTENSIONS = {
    "head/custom.html": ('meta[name="fixture-head"]', "content", "Carnet de route / 路上笔记"),
    "footer/custom.html": ("p.fixture-footer", None, "Zhou Min"),
}
EXTENSION_PAGES = ("index.html", "journal/rentree/index.html")
#: Pages whose Markdown has $$ math (kramdown writes \( \) and \[ \] for it).
MATH_PAGES = (
    "notes/notes-on-averages/index.html",
    "notes/hello/index.html",
    "tds/td1-introduction/index.html",
    "tds/td2-suites/index.html",
    "tds/td3-series/index.html",
)
#: The emoji jemoji writes for the fixture's shortcodes (GitHub's gemoji names).
EMOJI_PAGES = {
    "journal/hello/index.html": "\N{SMILING FACE WITH OPEN MOUTH AND SMILING EYES}",
    "journal/rentree/index.html": "\N{PARTY POPPER}",
    "about/index.html": "\N{SPARKLES}",
}
GIST_URL = "https://gist.github.com/zhoumin/5b1d3c0ffee"
LEFTOVERS = {
    "liquid": re.compile(r"\{%|\{\{"),
    "ial": re.compile(r"\{:\s*[.#][^}]*\}"),
    "tex": re.compile(r"\\\(|\\\[|\$\$"),
    "emoji": re.compile("|".join(re.escape(code) for code in EMOJI_SHORTCODES)),
}

# Why a check fails (the items).
TAGS_FAIL = (
    "item 3 (Jekyll's Liquid): post_url and link are unknown tags; item 2: _pages/search.md and _pages/tds.md"
    " collide with our search page and the collection's index (errors, exit 1)"
)
STATIC = "item 2 (Jekyll's file inventory): top-level static files are not copied"
PAGES_ELSEWHERE = "item 2 (Jekyll's file inventory): a page with front matter outside _pages/ is not built at Jekyll's URL"
FEED = "item 2 (Jekyll's file inventory): jekyll-feed's feeds are not written"
POST_URL = "item 3 (Jekyll's Liquid): post_url and link are unknown tags (the document fails)"
INCLUDE_RELATIVE = "item 2 (Jekyll's file inventory): a page outside _pages/ is not built (it uses include_relative, item 3)"
PAGINATE = "item 2 (Jekyll's file inventory): paginate_path /page:num/ is ignored"
ROBOTS = "item 2 (Jekyll's file inventory): jekyll-sitemap's robots.txt is not written"
PELICAN_ONLY = "item 2 (Jekyll's file inventory): a page Pelican makes and Jekyll does not"
NAVIGATION = "item 4 (Minimal Mistakes' layouts): the masthead does not follow _data/navigation.yml"
POSTS_LAYOUT = "item 4 (Minimal Mistakes' layouts): layout posts lists no post"
CATEGORIES_LAYOUT = "item 4 (Minimal Mistakes' layouts): layout categories lists no post"
HOME = "items 2 and 4: the paginated home (paginate_path /page:num/, layout home) does not list Jekyll's posts"
PAGE_LIQUID = "item 3 (Jekyll's Liquid): a page's Liquid over site.posts (group_by_exp) gives nothing"
SITEMAP = "item 2 (Jekyll's file inventory): jekyll-sitemap's sitemap does not list Jekyll's URLs"
TAGS_LAYOUT = "item 4 (Minimal Mistakes' layouts): layout tags lists no post"
COLLECTION_LAYOUT = "item 4 (Minimal Mistakes' layouts): layout collection lists none of its documents"
EXTENSION = "item 4 (Minimal Mistakes' layouts): _includes/head/custom.html and footer/custom.html are not inserted"
GIST = "item 3 (Jekyll's Liquid): gist and post_url are unknown tags (the post fails)"
#: Checks that do not pass yet, by id, each with its reason.  Take an entry off when its check passes.
KNOWN_MISSING: list[tuple[str, str]] = []
KNOWN = dict(KNOWN_MISSING)


def check(check_id: str, *values: object) -> object:
    """A pytest.param named *check_id*, a strict xfail while it is in KNOWN_MISSING."""
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN[check_id])] if check_id in KNOWN else []
    return pytest.param(*values, id=check_id, marks=marks)


def known(check_id: str) -> Callable[[Test], Test]:
    """A single test's decorator: a strict xfail while *check_id* is in KNOWN_MISSING."""
    if check_id in KNOWN:
        return pytest.mark.xfail(strict=True, reason=KNOWN[check_id])
    return lambda test: test


LIST_CHECKS = [
    (page, name)
    for page, lists in sorted(JEKYLL_LISTS.items())
    for name in sorted(lists)
    if name != "navigation" or page in NAVIGATION_PAGES
]
ALL_CHECKS = {
    *(f"file:{name}" for name in JEKYLL_FILES),
    *(f"list:{page}:{name}" for page, name in LIST_CHECKS),
    *(f"posts-only:{page}" for page in JEKYLL_LISTS if "paginator.posts" in JEKYLL_LISTS[page]),
    *(f"absent:{pattern}" for pattern in NOT_JEKYLL),
    *(f"text:{kind}" for kind in LEFTOVERS),
    *(f"extension:{include}:{page}" for include in EXTENSIONS for page in EXTENSION_PAGES),
    *(f"mathml:{page}" for page in MATH_PAGES),
    *(f"emoji:{page}" for page in EMOJI_PAGES),
    "gist",
    "robots",
    "exit-status",
    "no-errors",
    "links",
}


@dataclass(frozen=True)
class Build:
    """Our build of the fixture: its output folder, exit status, errors and stderr."""

    output: Path
    status: int
    errors: int
    log: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """``palimpsest build`` of the fixture, once (in a child process: its own logging and Pelican state)."""
    output = tmp_path_factory.mktemp("jekyll-site") / "_site"
    code = "import sys; from pelican.plugins.palimpsest.cli import main; sys.exit(main(sys.argv[1:]))"
    run = subprocess.run(
        [sys.executable, "-c", code, "build", str(SITE), "-o", str(output)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "250"},
        cwd=ROOT,
    )
    found = re.search(r"palimpsest: (\d+) error\(s\)", run.stderr)
    return Build(output, run.returncode, int(found.group(1)) if found else 0, run.stderr)


def url_path(url: str, base: str = SITE_URL + "/") -> str | None:
    """The path of *url* (relative to *base*) inside the site, ``index.html`` dropped; None if external."""
    parsed = urlparse(urljoin(base, url))
    if f"{parsed.scheme}://{parsed.netloc}" != SITE_URL:
        return None
    path = unquote(parsed.path) or "/"
    return path[: -len("index.html")] if path.endswith("/index.html") else path


def page_url(output: Path, page: Path) -> str:
    return f"{SITE_URL}/{page.relative_to(output).as_posix()}"


def html_links(output: Path, page: Path) -> set[str]:
    """The site paths a built HTML page links to."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    base = page_url(output, page)
    return {path for a in soup.find_all("a", href=True) if (path := url_path(str(a["href"]), base)) is not None}


def local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


def feed_links(feed: Path) -> set[str]:
    """The site paths of a feed's entries (Atom ``<link href>``, or RSS ``<link>``)."""
    found: set[str] = set()
    for entry in ET.parse(feed).iter():
        if local_name(entry.tag) not in ("entry", "item"):
            continue
        for link in entry:
            if local_name(link.tag) == "link":
                path = url_path(link.get("href") or link.text or "")
                if path is not None:
                    found.add(path)
    return found


def sitemap_links(sitemap: Path) -> set[str]:
    return {path for loc in ET.parse(sitemap).iter() if local_name(loc.tag) == "loc" and (path := url_path(loc.text or "")) is not None}


def linked_paths(output: Path, page: str) -> set[str]:
    path = output / page
    if page == "sitemap.xml":
        return sitemap_links(path)
    if page.endswith(".xml"):
        return feed_links(path)
    return html_links(output, path)


def page_text(soup: BeautifulSoup) -> Iterator[str]:
    """The page's text nodes, code and scripts left out."""
    for node in soup.find_all(string=True):
        if not isinstance(node, NavigableString) or type(node) is not NavigableString:
            continue  # comments, doctypes, CDATA
        if any(isinstance(parent, Tag) and parent.name in NOT_TEXT for parent in node.parents):
            continue
        yield str(node)


def built_pages(build: Build) -> list[Path]:
    return sorted(p for p in build.output.rglob("*.html") if ".palimpsest-cache" not in p.relative_to(build.output).parts)


# --- the build ---------------------------------------------------------------


@known("exit-status")
def test_exit_status_is_0(built: Build) -> None:
    assert built.status == 0, built.log[-5000:]


@known("no-errors")
def test_no_errors(built: Build) -> None:
    assert built.errors == 0, built.log[-5000:]
    assert " ERROR " not in built.log, built.log[-5000:]


# --- the inventory -----------------------------------------------------------


@pytest.mark.parametrize("name", [check(f"file:{name}", name) for name in JEKYLL_FILES])
def test_every_file_jekyll_writes_is_written(built: Build, name: str) -> None:
    assert (built.output / name).is_file(), f"Jekyll writes {name}; we do not"


@pytest.mark.parametrize("pattern", [check(f"absent:{pattern}", pattern) for pattern in NOT_JEKYLL])
def test_no_file_jekyll_would_not_write(built: Build, pattern: str) -> None:
    found = sorted(p.relative_to(built.output).as_posix() for p in built.output.glob(pattern) if p.is_file())
    assert not found, f"Jekyll writes none of {found}"


def test_static_files_are_copied_as_they_are(built: Build) -> None:
    """CNAME, the favicon and assets/ are Jekyll's static files: copied byte for byte."""
    for name in ("CNAME", "favicon.ico", "assets/css/site.css", "assets/images/gare.png"):
        if (built.output / name).is_file():
            assert (built.output / name).read_bytes() == (SITE / name).read_bytes(), name


# --- the index pages ---------------------------------------------------------


@pytest.mark.parametrize(("page", "name"), [check(f"list:{page}:{name}", page, name) for page, name in LIST_CHECKS])
def test_index_page_lists_every_member_jekyll_lists(built: Build, page: str, name: str) -> None:
    expected = JEKYLL_LISTS[page][name]
    assert (built.output / page).is_file(), f"no {page}"
    missing = [url for url in expected if url not in linked_paths(built.output, page)]
    assert not missing, f"{page} ({name}) does not link {missing}"


@pytest.mark.parametrize(
    "page", [check(f"posts-only:{page}", page) for page in sorted(JEKYLL_LISTS) if "paginator.posts" in JEKYLL_LISTS[page]]
)
def test_home_pages_list_posts_only(built: Build, page: str) -> None:
    """The paginated home lists posts, never a collection's documents."""
    documents = set(JEKYLL_LISTS["tds/index.html"]["site.tds"])
    assert (built.output / page).is_file(), f"no {page}"
    assert not documents & html_links(built.output, built.output / page)


# --- Jekyll's tags and plugins, MM's extension points ------------------------


@pytest.mark.parametrize(
    ("include", "page"),
    [check(f"extension:{include}:{page}", include, page) for include in EXTENSIONS for page in EXTENSION_PAGES],
)
def test_extension_includes_are_rendered(built: Build, include: str, page: str) -> None:
    """The site's _includes/head/custom.html and footer/custom.html, rendered with Liquid, are in the page."""
    selector, attribute, expected = EXTENSIONS[include]
    assert (built.output / page).is_file(), f"no {page}"
    element = BeautifulSoup((built.output / page).read_text(encoding="utf-8"), "html.parser").select_one(selector)
    assert element is not None, f"{page} does not hold {include}"
    assert (element.get(attribute) if attribute else element.get_text(strip=True)) == expected


@pytest.mark.parametrize("page", [check(f"mathml:{page}", page) for page in MATH_PAGES])
def test_math_is_mathml(built: Build, page: str) -> None:
    assert (built.output / page).is_file(), f"no {page}"
    assert BeautifulSoup((built.output / page).read_text(encoding="utf-8"), "html.parser").find("math") is not None


@pytest.mark.parametrize("page", [check(f"emoji:{page}", page) for page in EMOJI_PAGES])
def test_emoji_shortcodes_become_emoji(built: Build, page: str) -> None:
    assert (built.output / page).is_file(), f"no {page}"
    assert EMOJI_PAGES[page] in (built.output / page).read_text(encoding="utf-8")


@known("gist")
def test_gist_is_a_link_or_script(built: Build) -> None:
    """jekyll-gist's tag gives the gist's script (Jekyll) or a link to it: no network at build time."""
    page = built.output / "journal/hello/index.html"
    assert page.is_file()
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    targets = [str(e.get("href") or e.get("src")) for e in soup.find_all(["a", "script"])]
    assert any(target.startswith(GIST_URL) for target in targets), targets


@known("robots")
def test_robots_txt_points_to_the_sitemap(built: Build) -> None:
    """jekyll-sitemap's robots.txt, as Jekyll writes it."""
    assert (built.output / "robots.txt").read_text(encoding="utf-8") == f"Sitemap: {SITE_URL}/sitemap.xml\n"


# --- the whole build ---------------------------------------------------------


@known("links")
def test_every_internal_link_resolves(built: Build) -> None:
    """Links, stylesheets, images and scripts under the site's url point to a built file (and id)."""
    pages = built_pages(built)
    assert pages
    ids = {
        page: {str(tag["id"]) for tag in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all(id=True)} for page in pages
    }
    broken: list[str] = []
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        base = page_url(built.output, page)
        for tag, attribute in (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("iframe", "src"), ("source", "src")):
            for element in soup.find_all(tag):
                link = element.get(attribute)
                if not link or str(link).startswith(("mailto:", "javascript:", "data:")):
                    continue
                path = url_path(str(link), base)
                if path is None:
                    continue
                target = built.output / path.lstrip("/")
                if path.endswith("/"):
                    target = target / "index.html"
                fragment = urlparse(str(link)).fragment
                where = page.relative_to(built.output)
                if not target.is_file():
                    broken.append(f"{where}: {link}")
                elif fragment and target.suffix == ".html" and unquote(fragment) not in ids.get(target, set()):
                    broken.append(f"{where}: {link} (no id)")
    assert not broken, "\n".join(broken[:50])


@pytest.mark.parametrize("kind", [check(f"text:{kind}", kind) for kind in LEFTOVERS])
def test_no_page_text_shows_source_syntax(built: Build, kind: str) -> None:
    """No Liquid, IAL, TeX delimiter or emoji shortcode left in page text outside code."""
    pattern = LEFTOVERS[kind]
    pages = built_pages(built)
    assert pages
    found: list[str] = []
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for text in page_text(soup):
            if match := pattern.search(text):
                found.append(f"{page.relative_to(built.output)}: {text[max(0, match.start() - 30) : match.end() + 30]!r}")
    assert not found, "\n".join(found[:30])


# --- the list itself ---------------------------------------------------------


def test_known_missing_names_existing_checks() -> None:
    """Every KNOWN_MISSING entry is a check of this module, listed once, with a reason."""
    ids = [check_id for check_id, _ in KNOWN_MISSING]
    assert len(ids) == len(set(ids))
    assert set(ids) <= ALL_CHECKS, sorted(set(ids) - ALL_CHECKS)
    assert all(reason.strip() for _, reason in KNOWN_MISSING)


def test_expected_data_is_jekylls() -> None:
    """The expected files come from the tool's Jekyll build: the inventory holds every list's page."""
    assert "index.html" in JEKYLL_FILES and "feed.xml" in JEKYLL_FILES
    assert set(JEKYLL_LISTS) <= set(JEKYLL_FILES)
