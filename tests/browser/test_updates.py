"""An article's Updates list links to its update callouts, and following a link brings the callout into view."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

from .conftest import WIDTHS, Site, visit

pytestmark = pytest.mark.browser

# Where the callout is, and whether it is the topmost thing at its own top edge
# (not hidden under a sticky header, say).
TARGET_JS = """
(id) => {
  const el = document.getElementById(id);
  if (!el) return null;
  const r = el.getBoundingClientRect();
  const y = Math.min(Math.max(r.top, 0) + 4, window.innerHeight - 1);
  const hit = document.elementFromPoint(r.left + Math.min(r.width / 2, 40), y);
  return {
    top: r.top, bottom: r.bottom, height: r.height, innerHeight: window.innerHeight,
    scrollY: window.scrollY, hash: location.hash, classes: [...el.classList],
    onTop: !!hit && (hit === el || el.contains(hit)),
    covering: hit && !(hit === el || el.contains(hit)) ? hit.outerHTML.slice(0, 120) : null,
  };
}
"""
IN_VIEW_JS = """
(id) => {
  const r = document.getElementById(id).getBoundingClientRect();
  return r.top >= -1 && r.top < window.innerHeight - 20;
}
"""


@pytest.mark.parametrize("width", WIDTHS, ids=[f"{w}px" for w in WIDTHS])
@pytest.mark.parametrize("name", ["article-notices-updates", "article-gallery"])
def test_updates_links_scroll_to_callouts(open_page: Any, site: Site, name: str, width: int) -> None:
    path = site.path(name)
    page, watch = open_page(width)
    visit(page, site.url(path))
    links = page.locator("nav.page__updates a[href^='#']")
    count = links.count()
    assert count > 0, f"{path}: no Updates links (nav.page__updates a)"
    for index in range(count):
        link = links.nth(index)
        href = link.get_attribute("href")
        target = href[1:]
        page.evaluate("window.scrollTo(0, 0)")
        before = page.evaluate(TARGET_JS, target)
        assert before is not None, f"{path}: {href} points at no element"
        assert "update" in before["classes"], f"{path}: {href} points at {before['classes']}, not an update callout"
        link.click()
        with contextlib.suppress(Exception):
            page.wait_for_function(IN_VIEW_JS, arg=target, timeout=3_000)
        after = page.evaluate(TARGET_JS, target)
        assert after["hash"] == href, f"{path} at {width}px: clicking {href} left the URL at {after['hash']!r}"
        if before["top"] >= before["innerHeight"]:
            assert after["scrollY"] > 0, f"{path} at {width}px: clicking {href} did not scroll"
        assert -1 <= after["top"] < after["innerHeight"] - 20, (
            f"{path} at {width}px: after clicking {href} the callout's top is at y={after['top']:.0f}, "
            f"outside the {after['innerHeight']}px viewport"
        )
        assert after["onTop"], f"{path} at {width}px: the callout {href} is covered by {after['covering']}"
    assert not watch.problems(), watch.problems()
