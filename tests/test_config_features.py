"""``palimpsest: {features: …}`` in ``_config.yml``: a CLI build switches features off as ``PALIMPSEST_FEATURES``
does in a ``pelicanconf.py``; a bad value is an error at its line and the rest of the site builds."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from pelican.plugins.palimpsest.cli import main

POST = "---\ntitle: Hello\n---\n\nSome words to find.\n"


def build(tmp_path: Path, config: str) -> tuple[int, str, Path]:
    site, output = tmp_path / "site", tmp_path / "out"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text(config, encoding="utf-8")
    (site / "_posts" / "2024-03-01-hello.md").write_text(POST, encoding="utf-8")
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        status = main(["build", str(site), "-o", str(output), "-j", "1"])
    return status, stderr.getvalue(), output


def test_search_switched_off_in_config(tmp_path: Path) -> None:
    status, _, output = build(tmp_path, "title: T\npalimpsest:\n  features:\n    search: false\n")
    assert status == 0
    assert (output / "2024" / "03" / "01" / "hello.html").is_file()
    assert not (output / "pagefind").exists() and not (output / "search").exists()


def test_search_on_by_default(tmp_path: Path) -> None:
    status, _, output = build(tmp_path, "title: T\n")
    assert status == 0 and (output / "search" / "index.html").is_file()


@pytest.mark.parametrize(
    ("config", "line", "reason"),
    [
        ("title: T\npalimpsest:\n  features:\n    serch: false\n", 4, "palimpsest.features has no 'serch'"),
        ("title: T\npalimpsest:\n  features:\n    search: nope\n", 4, "palimpsest.features.search must be true or false"),
        ("title: T\npalimpsest: 3\n", 2, "palimpsest must be a mapping"),
    ],
)
def test_bad_feature_switch_is_an_error_at_its_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, config: str, line: int, reason: str
) -> None:
    status, _, output = build(tmp_path, config)
    assert status == 1
    errors = [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]
    assert any(f"_config.yml:{line}: {reason}" in message for message in errors), errors
    assert (output / "2024" / "03" / "01" / "hello.html").is_file()  # the rest of the site is built
