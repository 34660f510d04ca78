"""Notices and dated update callouts: fixtures for every form and near miss,
metadata, localisation, bad input, and the living-article corpus."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from pelican.plugins.palimpsest.cli import main
from pelican.plugins.palimpsest.document import render_document
from pelican.plugins.palimpsest.errors import DocumentError
from pelican.plugins.palimpsest.features import DOCUMENT_FEATURES, markdown_plugins
from pelican.plugins.palimpsest.jekyll.site import JekyllSite
from pelican.plugins.palimpsest.kramdown import render_markdown
from pelican.plugins.palimpsest.testing.canonical import canonical_html

from .conftest import CORPUS, needs_corpus

FIXTURES = Path(__file__).parent / "fixtures"
OPENING_UPDATE = re.compile(r"^[>\s*]*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]\s*更新")
CASES = [
    pytest.param(markdown, expected, id=f"{path.parent.name}/{path.stem}:{line}:{title}")
    for folder in ("notices", "updates")
    for path in sorted((FIXTURES / folder).glob("*.md"))
    for line, title, markdown, expected in read_fixture_file(path)
]


@pytest.mark.parametrize(("markdown", "expected"), CASES)
def test_fixture(markdown: str, expected: str) -> None:
    html = render_markdown(markdown, env={"lang": "en"}, extensions=markdown_plugins(DOCUMENT_FEATURES))
    assert canonical_html(html) == canonical_html(expected)


def test_near_misses_are_not_updates() -> None:
    cases = read_fixture_file(FIXTURES / "updates" / "near-misses.md")
    assert len(cases) >= 10
    for _, title, markdown, _ in cases:
        env: dict[str, object] = {"lang": "zh"}
        render_markdown(markdown, env=env, extensions=markdown_plugins(DOCUMENT_FEATURES))
        assert not env.get("updates"), title


@pytest.mark.parametrize(("lang", "label"), [("zh-CN", "信息"), ("fr", "Information"), ("en", "Information")])
def test_notice_label_in_page_language(lang: str, label: str) -> None:
    html = render_markdown("x\n{: .notice--info}\n", env={"lang": lang}, extensions=markdown_plugins(DOCUMENT_FEATURES))
    assert f'aria-label="{label}"' in html


@pytest.mark.parametrize(("lang", "shown"), [("zh", "2022 年 2 月 14 日"), ("fr", "14 février 2022"), ("en", "February 14, 2022")])
def test_explicit_update_date_is_shown_in_page_language(lang: str, shown: str) -> None:
    html = render_markdown('x\n{: .update date="2022-02-14"}\n', env={"lang": lang}, extensions=markdown_plugins(DOCUMENT_FEATURES))
    assert f'<time class="update__date" datetime="2022-02-14">{shown}</time>' in html


def write_post(tmp_path: Path, body: str, front: str = "title: Living\n") -> Path:
    (tmp_path / "_config.yml").write_text("title: t\n", encoding="utf-8")
    post = tmp_path / "2022-01-01-living.md"
    post.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    return post


def test_updates_metadata_and_modified(tmp_path: Path) -> None:
    post = write_post(
        tmp_path,
        "Intro.\n\n2022 年 2 月 14 日更新：第一次。\n{: .notice--info}\n\n> 2023 年 1 月 22 日更新：第二次。\n",
        "title: Living\nlast_modified_at: 2022-06-01\n",
    )
    page = render_document(post, JekyllSite.for_file(post)).metadata
    assert [(u["date"], u["id"]) for u in page["updates"]] == [
        (dt.date(2022, 2, 14), "update-2022-02-14"),
        (dt.date(2023, 1, 22), "update-2023-01-22"),
    ]
    assert page["updates"][0]["text"] == "2022 年 2 月 14 日更新：第一次。"
    assert page["modified"].date() == dt.date(2023, 1, 22)  # newer than last_modified_at


def test_last_modified_at_wins_when_newer(tmp_path: Path) -> None:
    post = write_post(tmp_path, "Update (2022-02-14): x.\n", "title: Living\nlast_modified_at: 2024-01-01\n")
    assert render_document(post, JekyllSite.for_file(post)).metadata["modified"].date() == dt.date(2024, 1, 1)


def test_plain_rendering_has_no_enhancement(tmp_path: Path) -> None:
    post = write_post(tmp_path, "> [!NOTE]\n> x\n\n2022 年 2 月 14 日更新：y\n{: .notice--info}\n")
    document = render_document(post, JekyllSite.for_file(post), plain=True)
    assert "role=" not in document.html and "<time" not in document.html and "[!NOTE]" in document.html
    assert "updates" not in document.metadata


def test_json_lists_updates_with_iso_dates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    post = write_post(tmp_path, "Mise à jour du 14 février 2022 : nouveau tableau.\n")
    assert main(["render", str(post), "--format", "json"]) == 0
    updates = json.loads(capsys.readouterr().out)["metadata"]["updates"]
    assert updates == [{"date": "2022-02-14", "id": "update-2022-02-14", "text": "Mise à jour du 14 février 2022 : nouveau tableau."}]


def test_invalid_explicit_date_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    post = write_post(tmp_path, 'Intro.\n\nChanged.\n{: .update date="2022-13-45"}\n')
    with pytest.raises(DocumentError, match=rf"{post.name}:6: update date '2022-13-45'"):
        render_document(post, JekyllSite.for_file(post))


def test_impossible_phrase_date_is_a_warning_naming_file_and_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    post = write_post(tmp_path, "Intro.\n\n2022 年 2 月 30 日更新：这一天不存在。\n")
    with caplog.at_level(logging.WARNING):
        document = render_document(post, JekyllSite.for_file(post))
    assert f"{post}:6:" in caplog.text and "impossible date" in caplog.text
    assert "<time" not in document.html and not document.metadata["updates"]


@needs_corpus
def test_living_article_revisions_have_exactly_their_updates() -> None:
    folder = CORPUS / "anef-revisions"
    revisions = json.loads((folder / "revisions.json").read_text(encoding="utf-8"))["revisions"]
    site = JekyllSite.for_file(folder / "_config.yml", folder / "_config.yml")
    counts = []
    for revision in revisions:
        source = folder / revision["file"]
        updates = render_document(source, site).metadata["updates"]
        # Independent count: lines that open with a date directly followed by 更新.
        expected = [line for line in source.read_text(encoding="utf-8").splitlines() if OPENING_UPDATE.match(line)]
        assert len(updates) == len(expected), revision["file"]
        counts.append(len(updates))
    assert counts == [0] * 8 + [1, 2, 2, 2, 3] + [0] * 5


@needs_corpus
def test_minimal_mistakes_posts_have_no_updates() -> None:
    folder = CORPUS / "minimal-mistakes-docs"
    site = JekyllSite.for_file(folder / "_config.yml", folder / "_config.yml")
    assert sum(len(render_document(p, site).metadata["updates"]) for p in sorted(folder.glob("*.md")) if p.name != "README.md") == 0
