"""The feature registry: one list of features; switching one off removes all it contributes."""

from __future__ import annotations

from pathlib import Path

import pytest

from pelican.plugins.palimpsest import _add_generators
from pelican.plugins.palimpsest.document import render_document
from pelican.plugins.palimpsest.features import (
    DOCUMENT_FEATURES,
    FEATURES,
    enabled_features,
    markdown_plugins,
    site_parts,
)
from pelican.plugins.palimpsest.jekyll.site import JekyllSite
from pelican.plugins.palimpsest.resources import THEME_PATH

POST = """---
title: Test
tables:
  t:
    key: a
    columns: [{id: a, label: A}]
    rows: [{a: x}]
---

Note this.
{: .notice--info}

Update (2024-03-01): something changed.

{% include table id="t" %}
"""


@pytest.fixture
def post(tmp_path: Path) -> tuple[Path, JekyllSite]:
    (tmp_path / "_config.yml").write_text("title: T\n", encoding="utf-8")
    (tmp_path / "_posts").mkdir()
    path = tmp_path / "_posts" / "2024-02-01-test.md"
    path.write_text(POST, encoding="utf-8")
    return path, JekyllSite.load(tmp_path)


def test_every_feature_is_listed_once_and_on_by_default() -> None:
    names = [feature.name for feature in FEATURES]
    assert names == ["jekyll", "notices", "updates", "tables", "math", "emoji", "revisions", "search"]
    assert enabled_features({}) == frozenset(names)
    assert {"notices", "updates", "tables", "math", "emoji"} == DOCUMENT_FEATURES


def test_palimpsest_features_switches_features_off() -> None:
    assert enabled_features({"PALIMPSEST_FEATURES": {"search": False, "revisions": False}}) == {
        "jekyll",
        "notices",
        "updates",
        "tables",
        "math",
        "emoji",
    }


def test_every_template_a_feature_names_is_in_the_theme() -> None:
    for parts in site_parts(frozenset(feature.name for feature in FEATURES)):
        for template in parts.templates:
            name = template if "." in template else f"{template}.html"
            assert (THEME_PATH / "templates" / name).is_file(), name


def test_generators_come_from_the_enabled_features() -> None:
    class Settings:
        def __init__(self, features: dict[str, bool]) -> None:
            self.settings = {"PALIMPSEST_FEATURES": features}

    every = {generator.__name__ for generator in _add_generators(Settings({}))}
    assert every == {"SiteOutputsGenerator", "RecentUpdatesGenerator", "RevisionsGenerator", "SearchPageGenerator"}
    off = {"revisions": False, "updates": False, "search": False}
    assert {generator.__name__ for generator in _add_generators(Settings(off))} == {"SiteOutputsGenerator"}


def test_all_document_features_on(post: tuple[Path, JekyllSite]) -> None:
    document = render_document(*post)
    assert 'class="notice--info"' in document.html and 'role="note"' in document.html
    assert '<time datetime="2024-03-01">' in document.html
    assert "<table" in document.html and '<th scope="row">x</th>' in document.html
    assert document.metadata["notices"] == ["notice--info"]
    assert [update["id"] for update in document.metadata["updates"]] == ["update-2024-03-01"]


@pytest.mark.parametrize("off", sorted(DOCUMENT_FEATURES))
def test_a_document_feature_switched_off_leaves_no_trace(off: str, post: tuple[Path, JekyllSite]) -> None:
    path, site = post
    features = DOCUMENT_FEATURES - {off}
    if off == "tables":  # without the feature, nothing serves {% include table %}: the include is unknown
        path.write_text(POST.replace('{% include table id="t" %}\n', ""), encoding="utf-8")
    document = render_document(path, site, features=features)
    assert ('role="note"' in document.html) == (off != "notices")
    assert ("notices" in document.metadata) == (off != "notices")
    assert ("<time" in document.html) == (off != "updates")
    assert ("updates" in document.metadata) == (off != "updates")
    # The feature checks the front matter's tables and keeps them as data (each with its versions).
    assert ("versions" in document.metadata["tables"]["t"]) == (off != "tables")


def test_unknown_feature_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown feature"):
        markdown_plugins(frozenset({"nosuchfeature"}))
