"""Who writes what: the claims table (common/claims.py) and the Writer's last guard (common/files.py)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from jinja2 import Template

from pelican.plugins.palimpsest.common.claims import Claims, describe, normalise
from pelican.plugins.palimpsest.common.files import BuildFiles, ClaimingWriter


def test_a_second_claim_on_a_file_names_the_first_and_claims_nothing() -> None:
    claims = Claims()
    assert claims.claim("index.html", "the home page") is None
    assert claims.claim("index.html", "a post") == "the home page"
    assert claims.files == {"index.html": "the home page"}


def test_a_claimed_folder_holds_every_file_below_it() -> None:
    claims = Claims()
    assert claims.claim("theme/", "the theme") is None
    assert claims.holder("theme/css/palimpsest.css") == "the theme"
    assert claims.holder("theme") == "the theme"  # a file where the folder is
    assert claims.holder("themes/x.css") is None


def test_a_file_and_a_folder_cannot_share_a_name() -> None:
    claims = Claims()
    assert claims.claim("2024/01/01/good/index.html", "the good post") is None
    assert claims.holder("2024/01/01/good") == "the good post"  # a file where a folder is needed
    assert claims.holder("2024/01/01/good/history/") is None
    assert claims.claim("about", "a page written as a file") is None
    assert claims.holder("about/index.html") == "a page written as a file"


def test_output_paths_are_relative_and_slash_separated() -> None:
    assert normalise("/a//b/../c.html") == "a/c.html"
    assert normalise("a/history/") == "a/history/"
    assert describe("the sitemap") == "the sitemap"


def test_a_document_is_named_by_the_line_of_its_permalink(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text("---\ntitle: T\n\npermalink: /x/\n---\nbody\n", encoding="utf-8")

    class Document:
        source_path = str(post)

    assert describe(Document()) == f"{post}:4"
    post.write_text("---\ntitle: T\n---\nbody\n", encoding="utf-8")
    assert describe(Document()) == f"{post}:1"


def test_the_writer_refuses_a_second_writer_names_both_and_skips_unchanged_bytes(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    template = Template("{{ text }}")
    files = BuildFiles.of(ClaimingWriter(str(tmp_path), settings={}))
    assert files.write("a/index.html", template, {}, source="first", relative_urls=False, text="A")
    target = tmp_path / "a" / "index.html"
    assert target.read_text(encoding="utf-8") == "A" and "a/index.html" in files and files.source(target) == "first"
    with caplog.at_level(logging.ERROR):
        assert not files.write("a/index.html", template, {}, source="second", relative_urls=False, text="B")
    assert "a/index.html is written twice in this build: first by first, then by second; the second is not written" in caplog.text
    assert target.read_text(encoding="utf-8") == "A" and files.refused == 1
    stamp = target.stat().st_mtime_ns
    again = BuildFiles.of(ClaimingWriter(str(tmp_path), settings={}))  # the next build
    assert not again.write("a/index.html", template, {}, source="first", relative_urls=False, text="A")
    assert target.stat().st_mtime_ns == stamp and "a/index.html" in again
