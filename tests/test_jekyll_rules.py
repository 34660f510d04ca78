"""Jekyll's rules against real Jekyll: every case of tests/fixtures/jekyll/*.txt, whose expected
values come from Jekyll 4.3 itself (``python tools/jekyll_fixture.py`` rewrites them)."""

from __future__ import annotations

import importlib.util
import locale
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from pelican.plugins.palimpsest.jekyll.frontmatter import load_yaml, split_front_matter
from pelican.plugins.palimpsest.jekyll.page import derive_page
from pelican.plugins.palimpsest.jekyll.site import JekyllSite
from pelican.plugins.palimpsest.jekyll.slugify import slugify
from pelican.plugins.palimpsest.kramdown import KramdownOptions
from pelican.plugins.palimpsest.liquid.environment import LiquidError, jekyll_environment

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("jekyll_fixture", ROOT / "tools" / "jekyll_fixture.py")
assert _spec is not None and _spec.loader is not None
jekyll_fixture = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(jekyll_fixture)
FIXTURES = ROOT / "tests" / "fixtures" / "jekyll"


def cases(name: str) -> list[Any]:
    return [pytest.param(case, id=case["id"]) for case in jekyll_fixture.read_cases(FIXTURES / name)]


@pytest.fixture()
def non_english_time_locale() -> Iterator[str]:
    """LC_TIME set to a language whose month names are not English, as a reader's machine may have."""
    previous = locale.setlocale(locale.LC_TIME)
    for name in ("fr_FR.UTF-8", "fr_FR.utf8", "de_DE.UTF-8", "de_DE.utf8", "es_ES.UTF-8"):
        try:
            locale.setlocale(locale.LC_TIME, name)
        except locale.Error:
            continue
        try:
            yield name
        finally:
            locale.setlocale(locale.LC_TIME, previous)
        return
    pytest.skip("no non-English locale installed (apt-get install locales; locale-gen fr_FR.UTF-8)")


@pytest.mark.parametrize("case", cases("slugify.txt"))
def test_slugify(case: dict[str, str]) -> None:
    mode = None if case["mode"] == "nil" else case["mode"]
    assert slugify(case["input"], mode, cased=case["cased"] == "true") == case["expected"]


def _render(case: dict[str, str], tmp_path: Path) -> str:
    site = JekyllSite.load(_write_site(tmp_path, case["config"], {}))
    page = load_yaml(case["front matter"], tmp_path / "case.html") or {}
    template = jekyll_environment(site.include_dirs).from_string(case["template"])
    return template.render(site=site.variables, page=page, _palimpsest_kramdown=KramdownOptions.from_config(site.kramdown_config))


FILTER_CASES = cases("filters.txt")


@pytest.mark.parametrize("case", [c for c in FILTER_CASES if c.values[0]["id"].startswith("date_to_")])
def test_date_filter(case: dict[str, str], tmp_path: Path) -> None:
    assert _render(case, tmp_path) == case["expected"]


@pytest.mark.parametrize("case", [c for c in FILTER_CASES if c.values[0]["id"].startswith("date_to_")])
def test_date_filter_in_non_english_locale(case: dict[str, str], tmp_path: Path, non_english_time_locale: str) -> None:
    assert _render(case, tmp_path) == case["expected"]


# Where our filters still differ from Jekyll 4.3 (see the fixture for Jekyll's answer): strict, so that a
# case that starts to agree is noticed and taken off this list.
KNOWN_DIFFERENCES = {
    "markdownify-blocks": "kramdown separates blocks with a blank line and indents list items; ours does not (the HTML is the same)",
    "sassify": "no maintained Sass compiler for Python: sassify and scssify are refused with an error saying so",
}


def _filter_param(param: Any) -> Any:
    reason = KNOWN_DIFFERENCES.get(param.id)
    if reason is not None:
        return pytest.param(*param.values, id=param.id, marks=pytest.mark.xfail(reason=reason, strict=True))
    return param


@pytest.mark.parametrize("case", [_filter_param(c) for c in FILTER_CASES if not c.values[0]["id"].startswith("date_to_")])
def test_filter(case: dict[str, str], tmp_path: Path) -> None:
    if case["expected"].startswith("ERROR: "):  # Jekyll fails: so must we (a Liquid error, reported at its line)
        with pytest.raises(LiquidError):
            _render(case, tmp_path)
        return
    assert _render(case, tmp_path) == case["expected"]


def _write_site(root: Path, config: str, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(config + "\n", encoding="utf-8")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("case", cases("permalinks.txt"))
def test_permalink_and_derived_values(case: dict[str, str], tmp_path: Path) -> None:
    text = f"---\n{case['front matter']}\n---\nx\n"
    site = JekyllSite.load(_write_site(tmp_path, case["config"], {case["file"]: text}))
    path = site.root / case["file"]
    front = split_front_matter(text, path)
    place = site.place(path)
    page: dict[str, Any] = dict(site.front_matter_defaults(place))
    page.update(front.data)
    derive_page(page, path, site, place, front)
    assert page["url"] == unquote(case["url"])  # ours is the IRI; Jekyll percent-encodes it
    assert str(page.get("title") or "") == case["title"]
    if place.type != "pages":  # Jekyll gives pages no slug; Pelican needs one
        assert page["slug"] == case["slug"]
        if "date" in page:  # undated documents get the build's time in Jekyll
            assert page["date"].isoformat(timespec="seconds") == case["date"]
    assert " | ".join(page["categories"]) == case["categories"]
    assert " | ".join(page["tags"]) == case["tags"]
