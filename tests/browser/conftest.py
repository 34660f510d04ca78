"""The built demo site in a real browser: Debian's Chromium, driven by Playwright.

The session's demo build (``demo`` in ``tests/conftest.py``) has ``SITEURL``
pointing at a local ``http.server`` on 127.0.0.1, which serves it from a
background thread. Each test opens pages in a fresh browser context whose
``Watch`` records console errors, uncaught exceptions, failed requests, HTTP
errors and every request that tries to leave 127.0.0.1.

Without Playwright or Chromium these tests skip, saying what is missing; with
``PALIMPSEST_REQUIRE_BROWSER=1`` (as ``.ci/run`` sets) they fail instead.
Chromium is looked up as ``$PALIMPSEST_CHROMIUM``, then ``chromium`` or
``chromium-browser`` on ``PATH``. ``playwright install`` is never needed.

With ``PALIMPSEST_SCREENSHOTS=1``, full-page screenshots of every page at every width go to ``SCREENSHOTS``
(``tests/browser/screenshots/``, git-ignored); the path is printed at the end
of the session.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from ..conftest import HOST, DemoSite

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
WIDTHS = (375, 1280)
HEIGHT = {375: 812, 1280: 800}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REQUIRED = os.environ.get("PALIMPSEST_REQUIRE_BROWSER") == "1"

# The pages the browser tests visit, by name. Articles are found by their slug
# in the built output, revisions by what the history folder holds.
ARTICLE_SLUGS = {
    "article-notices-updates": "titre-de-sejour-en-ligne",
    "article-comparison-table": "anef-rollout-schedule",
    "article-gallery": "a-weekend-in-lyon",
    "article-math": "calculer-la-date-de-renouvellement",
}
# Pages of Minimal Mistakes' layouts in the demo, at their permalinks.
LAYOUT_PAGES = {
    "archive": "/posts/",  # layout: posts
    "tags": "/tags/",  # layout: tags
    "collection-hub": "/guides/",  # layout: collection
    "splash": "/welcome/",  # layout: splash
}
PAGES = [
    "home",
    *ARTICLE_SLUGS,
    *LAYOUT_PAGES,
    "history",
    "revision",
    "diff",
    "compare",
    "search",
]


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"{reason} (PALIMPSEST_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


def chromium_executable() -> str | None:
    explicit = os.environ.get("PALIMPSEST_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


# --- the site -------------------------------------------------------------------


@dataclass
class Site:
    output: Path
    base_url: str
    paths: dict[str, str | None]

    def path(self, name: str) -> str:
        """The URL path of the page called *name*; skips when search is not built, fails otherwise."""
        path = self.paths.get(name)
        if path is None:
            if name == "search":
                pytest.skip("search page not built (no search/index.html with a pagefind/ index in the output)")
            pytest.fail(f"the demo build has no {name!r} page; found: {self.paths}", pytrace=False)
        return path

    def url(self, path: str) -> str:
        return self.base_url + path


def _url_path(output: Path, index: Path) -> str:
    folder = index.parent.relative_to(output).as_posix()
    return "/" if folder == "." else f"/{folder}/"


def _discover(output: Path) -> dict[str, str | None]:
    paths: dict[str, str | None] = {"home": "/" if (output / "index.html").is_file() else None}
    folders: dict[str, Path | None] = {}
    for name, slug in ARTICLE_SLUGS.items():
        hits = sorted(output.glob(f"[0-9][0-9][0-9][0-9]/*/*/{slug}/index.html"))
        folders[name] = hits[0].parent if hits else None
        paths[name] = _url_path(output, hits[0]) if hits else None
    living = folders["article-notices-updates"]
    history = living / "history" if living else None
    has_history = history is not None and (history / "index.html").is_file()
    paths["history"] = _url_path(output, history / "index.html") if has_history else None
    # The newest revision that has a diff against its predecessor.
    diffs = sorted(history.glob("*/diff/index.html")) if history else []
    paths["revision"] = _url_path(output, diffs[-1].parent.parent / "index.html") if diffs else None
    paths["diff"] = _url_path(output, diffs[-1]) if diffs else None
    tables = folders["article-comparison-table"]
    compares = sorted(tables.glob("history/*/compare/index.html")) if tables else []
    paths["compare"] = _url_path(output, compares[-1]) if compares else None
    for name, url in LAYOUT_PAGES.items():
        paths[name] = url if (output / url.strip("/") / "index.html").is_file() else None
    search = output / "search" / "index.html"
    paths["search"] = "/search/" if search.is_file() and (output / "pagefind").is_dir() else None
    return paths


@pytest.fixture(scope="session")
def site(demo: DemoSite) -> Iterator[Site]:
    """The session's demo build (absolute URLs at the local server's address), served."""
    thread = threading.Thread(target=demo.server.serve_forever, name="browser-site", daemon=True)
    thread.start()
    try:
        yield Site(output=demo.output, base_url=demo.base_url, paths=_discover(demo.output))
    finally:
        demo.server.shutdown()
        thread.join(timeout=5)


# --- the browser ----------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -r requirements.lock)")
    executable = chromium_executable()
    if executable is None:
        _unavailable(
            "Chromium is not installed (Debian: apt-get install chromium fonts-noto-cjk; or set PALIMPSEST_CHROMIUM to a Chromium binary)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watch:
    """Everything on a page that should not happen."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    http_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    embeds: list[str] = field(default_factory=list)  # author's iframes (e.g. a video), answered with a stub

    def problems(self) -> dict[str, list[str]]:
        found = {
            "console errors": self.console_errors,
            "uncaught exceptions": self.page_errors,
            "failed requests": self.failed_requests,
            "HTTP errors": self.http_errors,
            "requests leaving 127.0.0.1": self.external_requests,
        }
        return {kind: items for kind, items in found.items() if items}


EMBED_STUB = "<!doctype html><meta charset=utf-8><title>embed</title><body style='margin:0;background:#888'></body>"


def _watch(context: Any, page: Any) -> Watch:
    watch = Watch()
    blocked: set[str] = set()

    def route(route: Any) -> None:
        request = route.request
        if urlsplit(request.url).hostname == HOST:
            route.continue_()
            return
        frame = None
        with contextlib.suppress(Exception):
            frame = request.frame
        if request.resource_type == "document" and frame is not None and frame.parent_frame is not None:
            # An iframe the author embedded in a post (a video): the page itself must not
            # need it, so answer locally rather than let the test depend on the network.
            watch.embeds.append(request.url)
            route.fulfill(status=200, content_type="text/html", body=EMBED_STUB)
            return
        watch.external_requests.append(f"{request.resource_type} {request.url}")
        blocked.add(request.url)
        route.abort("blockedbyclient")

    def console(message: Any) -> None:
        if message.type == "error":
            where = message.location or {}
            watch.console_errors.append(f"{message.text} ({where.get('url', '?')}:{where.get('lineNumber', '?')})")

    def failed(request: Any) -> None:
        if request.url not in blocked:
            watch.failed_requests.append(f"{request.resource_type} {request.url}: {request.failure}")

    def response(response: Any) -> None:
        if response.status >= 400:
            watch.http_errors.append(f"{response.status} {response.url}")

    context.route("**/*", route)
    page.on("console", console)
    page.on("pageerror", lambda error: watch.page_errors.append(str(error)))
    page.on("requestfailed", failed)
    page.on("response", response)
    return watch


def _new_page(browser: Any, width: int, color_scheme: str, contexts: list[Any]) -> tuple[Any, Watch]:
    context = browser.new_context(
        viewport={"width": width, "height": HEIGHT.get(width, 800)},
        color_scheme=color_scheme,
        locale="zh-CN",
        timezone_id="Europe/Paris",
        service_workers="block",
    )
    contexts.append(context)
    context.set_default_timeout(10_000)
    page = context.new_page()
    return page, _watch(context, page)


@pytest.fixture
def open_page(browser: Any, site: Site) -> Iterator[Callable[..., tuple[Any, Watch]]]:
    """``open_page(width, color_scheme="light")`` -> a fresh (page, watch) at that viewport width."""
    contexts: list[Any] = []
    yield lambda width, color_scheme="light": _new_page(browser, width, color_scheme, contexts)
    for context in contexts:
        context.close()


@dataclass
class Loaded:
    path: str
    page: Any
    watch: Watch


@pytest.fixture(scope="session")
def loaded(browser: Any, site: Site) -> Iterator[Callable[..., Loaded]]:
    """``loaded(name, width, color_scheme="light")``: that page, loaded once per session and
    screenshotted, for the tests that only look at it (do not click around in it)."""
    contexts: list[Any] = []
    cache: dict[tuple[str, int, str], Loaded] = {}

    def load(name: str, width: int, color_scheme: str = "light") -> Loaded:
        key = (name, width, color_scheme)
        if key not in cache:
            path = site.path(name)
            page, watch = _new_page(browser, width, color_scheme, contexts)
            visit(page, site.url(path))
            screenshot(page, name, width, color_scheme)
            cache[key] = Loaded(path, page, watch)
        return cache[key]

    yield load
    for context in contexts:
        context.close()


def visit(page: Any, url: str) -> None:
    """Load *url* and wait until its images and fonts are in."""
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url}: HTTP {response.status if response else 'no response'}"
    page.evaluate("document.fonts.ready.then(() => true)")


_written: list[Path] = []
_cleared = False


def screenshot(page: Any, name: str, width: int, color_scheme: str = "light") -> Path | None:
    """A full-page PNG of *page* in SCREENSHOTS (emptied of old PNGs by the first one of a session),
    when ``PALIMPSEST_SCREENSHOTS=1``: they are for a person to look at, and cost a tenth of the suite."""
    global _cleared
    if os.environ.get("PALIMPSEST_SCREENSHOTS") != "1":
        return None
    if not _cleared:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for old in SCREENSHOTS.glob("*.png"):
            old.unlink()
        _cleared = True
    path = SCREENSHOTS / f"{name}--{width}px-{color_scheme}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    _written.append(path)
    return path


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _written:
        terminalreporter.write_sep("-", "browser screenshots")
        terminalreporter.write_line(f"{len(_written)} full-page screenshots in {SCREENSHOTS}")


# What sticks out of the viewport sideways. An element may be wider than the
# viewport only inside a horizontally scrollable box that itself fits; inside a
# box with overflow hidden/clip it is cut off, which counts. Only the outermost
# offender of each nest is listed.
LAYOUT_JS = """
() => {
  const vw = document.documentElement.clientWidth;
  const name = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += '#' + el.id;
    for (const c of el.classList) text += '.' + c;
    return text;
  };
  const where = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body; e = e.parentElement) parts.unshift(name(e));
    return parts.slice(-4).join(' > ');
  };
  // The nearest box that keeps el inside the viewport: a scrolling ancestor that fits
  // (fine) or a clipping one that fits (el is cut off); else the nearest non-visible one.
  const outside = (r) => r.right > vw + 1 || r.left < -1;
  const container = (el) => {
    let nearest = [null, false];
    for (let a = el.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox === 'visible') continue;
      const scrolls = ox === 'auto' || ox === 'scroll';
      if (!outside(a.getBoundingClientRect())) return [a, scrolls];
      if (!nearest[0]) nearest = [a, scrolls];
    }
    return nearest;
  };
  const offenders = new Map();
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const r = el.getBoundingClientRect();
    if ((r.width === 0 && r.height === 0) || !outside(r)) continue;
    if (style.position === 'absolute' || style.position === 'fixed') {
      // visually hidden helpers (skip links, screen-reader text) park themselves off-screen
      if (r.width <= 1 || r.height <= 1 || r.right < 0) continue;
    }
    const [box, scrolls] = container(el);
    if (box && scrolls && !outside(box.getBoundingClientRect())) continue;
    offenders.set(el, {
      element: where(el),
      left: Math.round(r.left),
      right: Math.round(r.right),
      width: Math.round(r.width),
      inside: !box ? 'no scrollable container'
        : scrolls ? name(box) + ' (scrolls, but is itself too wide)'
        : name(box) + ' (overflow ' + getComputedStyle(box).overflowX + ': cut off)',
    });
  }
  const outermost = [...offenders].filter(([el]) => {
    for (let a = el.parentElement; a; a = a.parentElement) if (offenders.has(a)) return false;
    return true;
  }).map(([, info]) => info);
  return {
    innerWidth: window.innerWidth,
    clientWidth: vw,
    scrollWidth: document.documentElement.scrollWidth,
    offenders: outermost,
  };
}
"""


def layout(page: Any) -> dict[str, Any]:
    return page.evaluate(LAYOUT_JS)


def luminance(rgb: list[float]) -> float:
    """Relative luminance of an sRGB colour (WCAG 2)."""
    linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb[:3]]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: list[float], b: list[float]) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# Text colour and the background it actually sits on (translucent layers composited
# over the canvas) for a few kinds of text on the page.
COLOURS_JS = """
([scheme, samples]) => {
  const parse = (css) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(css);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => under.map((v, i) => top[i] * top[3] + v * (1 - top[3]));
  const canvas = scheme === 'dark' ? [18, 18, 18] : [255, 255, 255];
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) layers.unshift(getComputedStyle(e).backgroundColor);
    let rgb = canvas;
    for (const layer of layers) {
      const c = parse(layer);
      if (!c) return {unparsed: layer};
      rgb = over(c, rgb);
    }
    return rgb;
  };
  const found = [];
  for (const [what, selector] of Object.entries(samples)) {
    const el = [...document.querySelectorAll(selector)].find((e) => e.getClientRects().length && e.textContent.trim());
    if (!el) continue;
    const under = background(el);
    const colour = parse(getComputedStyle(el).color);
    found.push({what, element: el.tagName.toLowerCase() + (el.className ? '.' + [...el.classList].join('.') : ''),
                text: el.textContent.trim().slice(0, 30),
                colour: colour && !under.unparsed ? over(colour, under) : null,
                css: getComputedStyle(el).color, under});
  }
  const page = background(document.documentElement);
  return {page, found};
}
"""


# What text to check, by CSS selector (the first visible match with text).
TEXT_SAMPLES = {
    "page text": 'main p:not([class*="notice"] p):not(aside p)',
    "notice text": '[class*="notice--"] p, [class*="notice--"]',
    "link": "main .page__content a, main a",
    "meta line": ".page__meta",
    "table cell": "main td",
    "site title": ".site-title",
}


def _rgb(colour: list[float]) -> str:
    return "rgb(" + ", ".join(str(round(v)) for v in colour[:3]) + ")"


def poor_contrast(page: Any, scheme: str, samples: dict[str, str] = TEXT_SAMPLES, minimum: float = 4.5) -> tuple[list[float], list[str]]:
    """The page's background, and which *samples* have text below *minimum*:1 contrast (WCAG AA is 4.5)."""
    colours = page.evaluate(COLOURS_JS, [scheme, samples])
    poor = []
    for sample in colours["found"]:
        if sample["colour"] is None:
            poor.append(f"{sample['what']} ({sample['element']}): cannot read {sample['css']} on {sample['under']}")
            continue
        ratio = contrast(sample["colour"], sample["under"])
        if ratio < minimum:
            poor.append(
                f"{sample['what']} ({sample['element']} {sample['text']!r}): {_rgb(sample['colour'])} on "
                f"{_rgb(sample['under'])} = {ratio:.2f}:1"
            )
    return colours["page"], poor
