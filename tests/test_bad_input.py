"""Bad input: a clear error naming file and line, the rest of the site still
built, a non-zero exit status, nothing written outside the output folder and
no content file modified."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pytest

from pelican.plugins.palimpsest.cli import main

GOOD_POST = "---\ntitle: Good\n---\n\nThis one builds.\n"
CONFIG = "title: Test\nurl: https://example.org\npermalink: /:year/:month/:day/:title/\n"

BAD_INPUTS = {
    "malformed YAML": ("---\ntitle: Bad\ntags: [a, b\n---\n\nBody.\n", 3, "invalid YAML"),
    "Liquid syntax error": ("---\ntitle: Bad\n---\n\nLine one.\n\n{% if %}x{% endif %}\n", 7, "Liquid error"),
    "unknown include": ("---\ntitle: Bad\n---\n\ntext\n\n{% include nosuchfile.html %}\n", 7, "include file not found"),
    "include leaving the includes folder": ("---\ntitle: Bad\n---\n\n{% include ../_config.yml %}\n", 5, "invalid include name"),
    "permalink outside the output folder": ("---\ntitle: Bad\npermalink: /../../escaped/\n---\n\nBody.\n", 3, "outside the output folder"),
}


def make_site(root: Path, bad_name: str, bad: bytes) -> Path:
    site = root / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (site / "_posts" / "2024-01-01-good.md").write_text(GOOD_POST, encoding="utf-8")
    (site / "_posts" / bad_name).write_bytes(bad)
    return site


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def build_and_check(tmp_path: Path, caplog: pytest.LogCaptureFixture, bad: bytes, line: int, words: str) -> None:
    site = make_site(tmp_path / "work", "2024-01-02-bad.md", bad)
    before = snapshot(site)
    output = tmp_path / "work" / "out"
    with caplog.at_level(logging.ERROR):
        status = main(["build", str(site), "-o", str(output)])
    assert status == 1
    bad_path = site / "_posts" / "2024-01-02-bad.md"
    assert f"{bad_path}:{line}:" in caplog.text
    assert words in caplog.text
    assert (output / "2024" / "01" / "01" / "good" / "index.html").is_file()
    assert snapshot(site) == before, "a content file was modified"
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == ["out", "site"]
    assert not (tmp_path / "escaped").exists() and not (tmp_path / "work" / "escaped").exists()


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_document_is_reported_and_the_rest_builds(tmp_path: Path, caplog: pytest.LogCaptureFixture, case: str) -> None:
    text, line, words = BAD_INPUTS[case]
    build_and_check(tmp_path, caplog, text.encode("utf-8"), line, words)


def test_undecodable_bytes(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    bad = "---\ntitle: Bad\n---\n\nfirst line\nsecond \u00e9 line\n".encode("utf-8").replace(b"\xc3\xa9", b"\xe9")
    build_and_check(tmp_path, caplog, bad, 6, "not valid UTF-8")


def test_render_reports_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    post = tmp_path / "2024-01-02-bad.md"
    post.write_text("---\ntitle: Bad\n---\n\n{% include nosuchfile.html %}\n", encoding="utf-8")
    assert main(["render", str(post)]) == 1
    assert f"{post}:5:" in capsys.readouterr().err


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    assert main(["render"]) == 2
    assert main(["render", str(tmp_path / "missing.md")]) == 2
    assert main(["frobnicate"]) == 2
