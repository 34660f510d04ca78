"""Site search (Pagefind) finds a Chinese post by a Chinese word, and by phrases of 4 and 8 Han characters,
with its index in one bundle or in shards."""

from __future__ import annotations

import functools
import gzip
import json
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from pelican.plugins.palimpsest.cli import main

from ..conftest import CONTENT, HOST, DemoSite, _QuietHandler
from .conftest import WIDTHS, Site, poor_contrast, screenshot, visit

pytestmark = pytest.mark.browser

# Only 2024-02-18-titre-de-sejour-en-ligne.md says 居留卡 ("residence card").
QUERY = "居留卡"
EXPECTED = "article-notices-updates"
RESULT_LINKS = ".pagefind-ui__result-link"


def _results(page: Any) -> list[str]:
    page.wait_for_selector(RESULT_LINKS, timeout=10_000)
    hrefs = page.eval_on_selector_all(RESULT_LINKS, "links => links.map(a => a.href)")
    return [urlsplit(href).path for href in hrefs]


SEARCH_TEXT = {
    "query box": ".pagefind-ui__search-input",
    "result count": ".pagefind-ui__message",
    "result title": ".pagefind-ui__result-link",
    "result excerpt": ".pagefind-ui__result-excerpt",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def test_chinese_query_typed_finds_the_article(open_page: Any, site: Site, width: int, scheme: str) -> None:
    path = site.path("search")
    page, watch = open_page(width, scheme)
    visit(page, site.url(path))
    page.locator(".pagefind-ui__search-input").fill(QUERY)
    results = _results(page)
    screenshot(page, "search-results", width, scheme)
    assert results and results[0] == site.path(EXPECTED), f"searching {QUERY!r} gave {results}"
    assert not watch.problems(), watch.problems()
    _, poor = poor_contrast(page, scheme, SEARCH_TEXT)
    assert not poor, f"{path} ({scheme}) at {width}px: search text below 4.5:1 contrast:\n  " + "\n  ".join(poor)


# Only in the same post; jieba and the browser's Intl.Segmenter cut them differently (在线|提交 / 在|线|提交).
@pytest.mark.parametrize("query", [QUERY, "在线提交", "官方建议在居留卡"])
def test_chinese_query_in_the_url_finds_the_article(open_page: Any, site: Site, query: str) -> None:
    """The masthead's search box submits to /search/?q=…, which runs the query."""
    path = site.path("search")
    page, watch = open_page(1280)
    visit(page, site.url(f"{path}?q={quote(query)}"))
    results = _results(page)
    assert set(results) == {site.path(EXPECTED)}, f"/search/?q={query} gave {results}"  # the post and its sections
    assert not watch.problems(), watch.problems()


# --- an index in shards ---------------------------------------------------------------------------
# The demo in shards of at most 5 pages: two shards for its 10 pages.
SHARD_PAGES = 5


@pytest.fixture(scope="module")
def sharded_site(demo: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo built with its search index in shards, served."""
    folder = tmp_path_factory.mktemp("sharded-site")
    output = folder / "output"
    output.mkdir()
    server = ThreadingHTTPServer((HOST, 0), functools.partial(_QuietHandler, directory=str(output)))
    base_url = f"http://{HOST}:{server.server_address[1]}"
    settings = folder / "shardedconf.py"  # not pelicanconf.py: Pelican imports it as a module of its name
    settings.write_text(
        f"import runpy\nglobals().update({{k: v for k, v in runpy.run_path({str(demo.settings)!r}).items() if k.isupper()}})\n"
        f"SITEURL = {base_url!r}\nPALIMPSEST_SEARCH_SHARD_PAGES = {SHARD_PAGES}\n",
        encoding="utf-8",
    )
    assert main(["build", str(CONTENT), "-o", str(output), "-s", str(settings)]) == 0
    thread = threading.Thread(target=server.serve_forever, name="sharded-site", daemon=True)
    thread.start()
    try:
        yield Site(output=output, base_url=base_url, paths={"search": "/search/"})
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _shard_of(output: Path, url_path: str) -> str | None:
    """The folder in pagefind/ of the shard whose fragments hold the page at *url_path* ("" the first)."""
    entry = json.loads((output / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    for folder, _ in entry.get("palimpsest_shards", [["", []]]):
        for fragment in (output / "pagefind" / folder / "fragment").glob("*.pf_fragment"):
            if json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd") :])["url"] == url_path:
                return str(folder)
    return None


@pytest.mark.parametrize("query", [QUERY, "在线提交"])
def test_a_query_finds_a_post_in_a_second_shard(open_page: Any, site: Site, sharded_site: Site, query: str) -> None:
    """The search page merges every shard's indexes: a word only in a page of the second shard finds it."""
    expected = site.path(EXPECTED)
    shard = _shard_of(sharded_site.output, expected)
    assert shard not in (None, ""), f"{expected} is in shard {shard!r}, not a second one: pick another SHARD_PAGES"
    page, watch = open_page(1280)
    visit(page, sharded_site.url(f"/search/?q={quote(query)}"))
    results = _results(page)
    assert set(results) == {expected}, f"/search/?q={query} over the shards gave {results}"
    assert not watch.problems(), watch.problems()
