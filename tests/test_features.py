"""Each feature can be switched off in pelicanconf.py (PALIMPSEST_FEATURES)."""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace

import pytest

from pelican.plugins.palimpsest import _add_reader
from pelican.plugins.palimpsest.cli import main
from pelican.plugins.palimpsest.features import enabled_features

POST = (
    "---\ntitle: Living\ntables:\n  t:\n    key: a\n    columns: [{id: a, label: A}]\n    rows: [{a: x}]\n---\n\n"
    '2022 年 2 月 14 日更新：表格变了。\n{: .notice--info}\n\n{% include table id="t" %}\n'
)


def build(tmp_path: Path, features: dict[str, bool], status: int = 0) -> Path:
    """Build the one-post site with *features*; the exit status must be *status*."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (site / "_posts" / "2022-01-01-living.md").write_text(POST, encoding="utf-8")
    settings = tmp_path / "conf.py"
    settings.write_text(
        "from pelican.plugins.palimpsest.settings import settings_from_jekyll\n"
        "from pelican.plugins.palimpsest.jekyll.site import JekyllSite\n"
        "from pelican.plugins.palimpsest.resources import THEME_PATH\n"
        f"globals().update(settings_from_jekyll(JekyllSite.load({str(site)!r}), None))\n"
        "THEME = str(THEME_PATH)\nPLUGINS = ['pelican.plugins.palimpsest']\n"
        f"PALIMPSEST_FEATURES = {features!r}\n",
        encoding="utf-8",
    )
    output = tmp_path / "out"
    assert main(["build", str(site), "-o", str(output), "-s", str(settings)]) == status
    return output / "2022" / "01" / "01" / "living.html"


def test_defaults_are_all_on() -> None:
    assert enabled_features({}) >= {"jekyll", "notices", "updates", "tables", "revisions", "search"}


@pytest.mark.parametrize(
    ("feature", "present"),
    [("notices", 'role="note"'), ("updates", 'class="notice--info update"')],
)
def test_switching_a_feature_off(tmp_path: Path, feature: str, present: str) -> None:
    on = build(tmp_path / "on", {"search": False, "revisions": False}).read_text(encoding="utf-8")
    off = build(tmp_path / "off", {"search": False, "revisions": False, feature: False}).read_text(encoding="utf-8")
    assert present in on
    assert present not in off


def test_switching_tables_off_makes_the_include_unknown(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    on = build(tmp_path / "on", {"search": False, "revisions": False})
    assert 'class="palimpsest-table' in on.read_text(encoding="utf-8")
    assert "include file not found" not in caplog.text
    # The build fails (exit status 1) on that one document, naming its include's line.
    off = build(tmp_path / "off", {"search": False, "revisions": False, "tables": False}, status=1)
    post = tmp_path / "off" / "site" / "_posts" / "2022-01-01-living.md"
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert [e for e in errors if "include file not found: 'table'" in e and f"{post}:13:" in e], errors
    assert not off.exists()


def test_switching_jekyll_reading_off_leaves_markdown_to_pelican() -> None:
    registered: dict[str, object] = {}
    readers = SimpleNamespace(settings={"PALIMPSEST_FEATURES": {"jekyll": False}}, reader_classes=registered)
    _add_reader(readers)
    assert registered == {}
    readers.settings = {}
    _add_reader(readers)
    assert registered["md"].__name__ == "JekyllReader"
