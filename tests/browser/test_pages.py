"""Every demo page loads cleanly, stays on 127.0.0.1 and fits 375 px and 1280 px wide screens."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import PAGES, WIDTHS, layout, luminance, poor_contrast

pytestmark = pytest.mark.browser

widths = pytest.mark.parametrize("width", WIDTHS, ids=[f"{w}px" for w in WIDTHS])
pages = pytest.mark.parametrize("name", PAGES)


def _report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{kind}:\n  " + "\n  ".join(items) for kind, items in problems.items())


@widths
@pages
def test_page_loads_without_errors(loaded: Any, name: str, width: int) -> None:
    shown = loaded(name, width)
    assert not shown.watch.problems(), f"{shown.path} at {width}px:\n{_report(shown.watch.problems())}"
    # Iframes answered with a stub must be ones the page's own content embeds.
    frames = shown.page.eval_on_selector_all("iframe[src]", "frames => frames.map(f => f.src)")
    assert set(shown.watch.embeds) <= set(frames), f"{shown.path}: unexpected frame loads {shown.watch.embeds}"


@widths
@pages
def test_layout_holds(loaded: Any, name: str, width: int) -> None:
    shown = loaded(name, width)
    found = layout(shown.page)
    offenders = "\n  ".join(f"{o['element']}: x {o['left']}..{o['right']} (width {o['width']}), {o['inside']}" for o in found["offenders"])
    assert found["offenders"] == [], f"{shown.path} at {width}px: wider than the {found['clientWidth']}px viewport:\n  {offenders}"
    assert found["scrollWidth"] <= found["innerWidth"] + 1, (
        f"{shown.path} at {width}px: the page scrolls sideways (scrollWidth {found['scrollWidth']} > innerWidth {found['innerWidth']})"
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@widths
@pages
def test_colour_scheme(loaded: Any, name: str, width: int, scheme: str) -> None:
    """In either scheme the text is readable (WCAG AA, 4.5:1); with prefers-color-scheme: dark the page is dark."""
    shown = loaded(name, width, scheme)
    assert not shown.watch.problems(), f"{shown.path} ({scheme}) at {width}px:\n{_report(shown.watch.problems())}"
    page_background, poor = poor_contrast(shown.page, scheme)
    if scheme == "dark":
        assert luminance(page_background) < 0.2, f"{shown.path}: the page stays light in dark mode ({page_background})"
    assert not poor, f"{shown.path} ({scheme}) at {width}px: text below 4.5:1 contrast:\n  " + "\n  ".join(poor)
