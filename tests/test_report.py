"""The migration report: unknown plugins, layouts and Liquid tags, each with the file that asked,
summarised once at the end of ``palimpsest build``; ``--strict`` makes them errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pelican.plugins.palimpsest import report
from pelican.plugins.palimpsest.cli import main


@pytest.fixture(autouse=True)
def _fresh_report() -> Iterator[None]:
    report.reset()
    yield
    report.reset()


def _site(root: Path, config: str, files: dict[str, str]) -> Path:
    root.mkdir(parents=True)
    (root / "_config.yml").write_text(config, encoding="utf-8")
    (root / "index.md").write_text("---\ntitle: Home\n---\nHome.\n", encoding="utf-8")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_plugins_not_implemented_are_noted_at_their_line(tmp_path: Path) -> None:
    config = tmp_path / "_config.yml"
    config.write_text("title: T\nplugins:\n  - jekyll-feed\n  - jekyll-seo-tag\ngems: [jekyll-redirect-from]\n", encoding="utf-8")
    report.note_plugins({"plugins": ["jekyll-feed", "jekyll-seo-tag"], "gems": ["jekyll-redirect-from"]}, config)
    assert report.collected() == [
        report.Unknown("plugin", "jekyll-seo-tag", config, 4),
        report.Unknown("plugin", "jekyll-redirect-from", config, 5),
    ]


def test_implemented_plugins_are_not_reported() -> None:
    report.note_plugins({"plugins": ["jekyll-feed", "jekyll-sitemap", "jekyll-paginate", "jemoji", "jekyll-gist"]}, None)
    assert report.collected() == []


def test_only_unknown_tags_are_noted_not_misplaced_ones(tmp_path: Path) -> None:
    post = tmp_path / "a.md"
    report.note_unknown_tag("unexpected tag 'seo'", post, 5)
    report.note_unknown_tag("unexpected tag 'endif'", post, 6)
    report.note_unknown_tag("unexpected tag 'else'", post, 7)
    report.note_unknown_tag("expected tag endfor, found 'eof'", post, 8)
    assert report.collected() == [report.Unknown("Liquid tag", "seo", post, 5)]


def test_summary_groups_by_name_and_shortens_long_lists(tmp_path: Path) -> None:
    for n in range(5):
        report.note_unknown("layout", "wide", tmp_path / "_posts" / f"p{n}.md", 3)
    report.note_unknown("layout", "wide", tmp_path / "_posts" / "p0.md", 3)  # noted once
    report.note_unknown("Liquid tag", "seo", tmp_path / "about.md")
    assert report.summary(report.collected(), tmp_path) == [
        "  layout 'wide': _posts/p0.md:3, _posts/p1.md:3, _posts/p2.md:3 and 2 more",
        "  Liquid tag 'seo': about.md",
    ]


def test_build_ends_with_the_report_and_strict_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(
        tmp_path / "site",
        "title: T\nplugins:\n  - jekyll-seo-tag\n  - jekyll-feed\n",
        {"_plugins/my_tag.rb": "# Ruby\n"},
    )
    assert main(["build", str(site), "-o", str(tmp_path / "out")]) == 0  # warnings only
    err = capsys.readouterr().err
    assert "palimpsest: warning: this site asks for what palimpsest does not understand:\n" in err
    assert "  plugin 'jekyll-seo-tag': _config.yml:3\n" in err
    assert "  Ruby plugin 'my_tag': _plugins/my_tag.rb\n" in err
    assert "jekyll-feed'" not in err

    assert main(["build", str(site), "-o", str(tmp_path / "out"), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "palimpsest: error: this site asks for what palimpsest does not understand:\n" in err
    assert "palimpsest: 2 error(s)" in err


def test_unknown_liquid_tag_is_an_error_and_in_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(
        tmp_path / "site",
        "title: T\n",
        {
            "_posts/2024-01-01-a.md": "---\ntitle: A\n---\nText.\n\n{% seo %}\n",
            "_posts/2024-01-02-b.md": "---\ntitle: B\n---\n{% include x.html %}\n",
            "_includes/x.html": "one\n{% jekyll_analytics %}\n",
        },
    )
    assert main(["build", str(site), "-o", str(tmp_path / "out")]) == 1  # Jekyll stops on an unknown tag too
    err = capsys.readouterr().err
    assert "  Liquid tag 'seo': _posts/2024-01-01-a.md:6\n" in err
    assert "  Liquid tag 'jekyll_analytics': _includes/x.html:2\n" in err


def test_a_clean_site_has_no_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(tmp_path / "site", "title: T\nplugins: [jekyll-feed]\n", {})
    assert main(["build", str(site), "-o", str(tmp_path / "out"), "--strict"]) == 0
    assert "does not understand" not in capsys.readouterr().err


def test_unknown_layout_is_in_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(tmp_path / "site", "title: T\n", {"_posts/2024-01-01-a.md": "---\ntitle: A\nlayout: wide\n---\nText.\n"})
    assert main(["build", str(site), "-o", str(tmp_path / "out")]) == 0  # a warning: built with 'single'
    assert "  layout 'wide': _posts/2024-01-01-a.md:3\n" in capsys.readouterr().err
    assert main(["build", str(site), "-o", str(tmp_path / "out"), "--strict"]) == 1
