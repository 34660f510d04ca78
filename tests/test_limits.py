"""Limits are Pelican settings: defaults, values read from the settings, bad values refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from pelican.plugins.palimpsest.document import render_document
from pelican.plugins.palimpsest.errors import DocumentError
from pelican.plugins.palimpsest.jekyll.site import JekyllSite
from pelican.plugins.palimpsest.limits import Limits


def test_defaults_when_no_setting() -> None:
    assert Limits.from_settings({}) == Limits()


def test_settings_are_read() -> None:
    limits = Limits.from_settings({"PALIMPSEST_LIQUID_LOOP_LIMIT": 10, "PALIMPSEST_TABLE_ROW_LIMIT": 3})
    assert (limits.liquid_loop, limits.table_rows, limits.liquid_output) == (10, 3, 10_000_000)


@pytest.mark.parametrize("value", [0, -1, "10", 1.5, True])
def test_a_limit_must_be_a_positive_integer(value: object) -> None:
    with pytest.raises(ValueError, match="PALIMPSEST_MARKDOWN_SIZE_LIMIT must be a positive integer"):
        Limits.from_settings({"PALIMPSEST_MARKDOWN_SIZE_LIMIT": value})


def test_a_site_limit_applies_to_its_documents(tmp_path: Path) -> None:
    post = tmp_path / "_posts" / "2024-01-01-loop.md"
    post.parent.mkdir()
    post.write_text("---\ntitle: Loop\n---\n\n{% for i in (1..5) %}{{ i }}{% endfor %}\n", encoding="utf-8")
    site = JekyllSite.load(tmp_path)
    assert "12345" in render_document(post, site).html
    site.limits = Limits(liquid_loop=4)
    with pytest.raises(DocumentError, match=r"2024-01-01-loop.md:5: Liquid error: loops would run more than 4 times"):
        render_document(post, site)
