"""Site search (Pagefind) finds a Chinese post by a Chinese word, and by phrases of 4 and 8 Han characters."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

import pytest

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
