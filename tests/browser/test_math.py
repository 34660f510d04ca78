"""The demo's article with math, drawn by Chromium's MathML Core: no JavaScript, fractions stacked,
the TeX annotation hidden, a display formula that fits a phone or scrolls by itself."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import WIDTHS, Site, layout, screenshot, visit

pytestmark = pytest.mark.browser

MATH_SLUG = "calculer-la-date-de-renouvellement"

FORMULAS_JS = """
() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, width: r.width, height: r.height}; };
  const block = document.querySelector('math[display="block"]');
  const fraction = block && block.querySelector('mfrac');
  const annotation = block && block.querySelector('annotation');
  return {
    inline: document.querySelectorAll('math[display="inline"]').length,
    blocks: document.querySelectorAll('math[display="block"]').length,
    block: block && box(block),
    numerator: fraction && box(fraction.children[0]),
    denominator: fraction && box(fraction.children[1]),
    annotation: annotation && box(annotation),
    scripts: document.querySelectorAll('script').length,
  };
}
"""


def _math_page(site: Site) -> str:
    hits = sorted(site.output.glob(f"[0-9][0-9][0-9][0-9]/*/*/{MATH_SLUG}/index.html"))
    if not hits:
        pytest.fail(f"the demo build has no article {MATH_SLUG!r}", pytrace=False)
    return "/" + hits[0].parent.relative_to(site.output).as_posix() + "/"


@pytest.mark.parametrize("width", WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def test_math_is_drawn_as_mathml(open_page: Any, site: Site, width: int) -> None:
    page, watch = open_page(width)
    visit(page, site.url(_math_page(site)))
    screenshot(page, "article-math", width)
    found = page.evaluate(FORMULAS_JS)
    assert found["inline"] >= 5 and found["blocks"] == 1, found
    assert found["block"]["height"] > 0 and found["block"]["width"] > 0, found
    # MathML layout stacks a fraction: the numerator ends above the denominator's top.
    assert found["numerator"]["bottom"] <= found["denominator"]["top"] + 1, found
    assert found["annotation"]["width"] == 0 and found["annotation"]["height"] == 0, found
    assert layout(page)["offenders"] == [], f"{width}px: something sticks out sideways"
    assert watch.problems() == {}, watch.problems()
