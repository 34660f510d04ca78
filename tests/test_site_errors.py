"""Site-level bad input explains itself once, at its own file (the hostile cases ``config-*`` and
``data-*`` check each message; these check what a case folder cannot: counts, a git history, bugs)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from pelican.plugins.palimpsest.cli import main
from pelican.plugins.palimpsest.errors import DocumentError

from .gitrepo import commit, init

CONFIG = "title: Errors\nurl: https://example.org\npermalink: /:year/:month/:day/:title/\n"
POSTS = {f"_posts/2024-01-0{day}-post-{day}.md": f"---\ntitle: Post {day}\n---\n\nBody {day}.\n" for day in (1, 2, 3)}


def _site(root: Path, files: dict[str, str]) -> Path:
    for name, text in {"_config.yml": CONFIG, **POSTS, **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def _messages(caplog: pytest.LogCaptureFixture, text: str) -> list[str]:
    return [record.getMessage() for record in caplog.records if text in record.getMessage()]


def test_a_bad_data_file_is_reported_once_not_as_front_matter(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    site = _site(tmp_path / "site", {"_data/people.yml": "alice: Alice\nbob: [Bob\ncarol: Carol\n"})
    with caplog.at_level(logging.WARNING):
        assert main(["build", str(site), "-o", str(tmp_path / "out")]) == 1
    messages = _messages(caplog, "people.yml")
    assert messages == [f"{site / '_data/people.yml'}:3: invalid YAML: expected ',' or ']', but got ':'"]
    assert not _messages(caplog, "front matter")
    assert not _messages(caplog, "Could not process")  # every document still builds
    for day in (1, 2, 3):
        assert (tmp_path / "out" / f"2024/01/0{day}/post-{day}/index.html").is_file()


def test_a_bad_config_value_is_reported_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    site = _site(tmp_path / "site", {"_config.yml": CONFIG + "paginate: lots\ntimezone: Mars/Olympus_Mons\n"})
    with caplog.at_level(logging.WARNING):
        assert main(["build", str(site), "-o", str(tmp_path / "out")]) == 1
    assert len(_messages(caplog, "paginate must be")) == 1
    assert len(_messages(caplog, "unknown time zone")) == 1
    assert _messages(caplog, "paginate must be")[0].startswith(f"{site / '_config.yml'}:4: ")
    assert _messages(caplog, "unknown time zone")[0].startswith(f"{site / '_config.yml'}:5: ")


def test_a_second_build_reports_again(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Each build says what is wrong, even in one process (a site read once per build, not once per process)."""
    site = _site(tmp_path / "site", {"_config.yml": CONFIG + "paginate: lots\n"})
    for _ in range(2):
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            assert main(["build", str(site), "-o", str(tmp_path / "out")]) == 1
        assert len(_messages(caplog, "paginate must be")) == 1


def test_a_damaged_cache_entry_is_discarded_and_rebuilt(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    site = init(tmp_path / "site")
    commit(site, {"_config.yml": CONFIG, "_posts/2024-01-01-post.md": "---\ntitle: Post\n---\n\nFirst.\n"}, "First", "2024-01-01T10:00:00Z")
    commit(site, {"_posts/2024-01-01-post.md": "---\ntitle: Post\n---\n\nSecond.\n"}, "Second", "2024-01-02T10:00:00Z")
    output = tmp_path / "out"
    assert main(["build", str(site), "-o", str(output)]) == 0
    entries = sorted((output / ".palimpsest-cache" / "revisions").glob("*.json"))
    assert entries
    for entry in entries:  # a build killed while writing: every entry cut short
        entry.write_bytes(entry.read_bytes()[:7])
    (output / ".palimpsest-cache" / "stamp.json").unlink()  # else nothing changed: the build would not run
    pages = {path: path.read_bytes() for path in output.rglob("*.html")}

    with caplog.at_level(logging.WARNING):
        assert main(["build", str(site), "-o", str(output)]) == 0
    damaged = _messages(caplog, "damaged revision cache entry")
    assert len(damaged) == len(entries)
    assert all("discarded and rendered again" in message for message in damaged)
    assert "Traceback" not in caplog.text
    assert {path: path.read_bytes() for path in output.rglob("*.html")} == pages  # rebuilt the same

    caplog.clear()
    (output / ".palimpsest-cache" / "stamp.json").unlink()
    with caplog.at_level(logging.WARNING):
        assert main(["build", str(site), "-o", str(output)]) == 0
    assert not _messages(caplog, "damaged")  # rewritten whole: the next build reads it


def test_bad_input_stopping_pelican_has_no_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _site(tmp_path / "site", {})

    def stop(self: object) -> None:
        raise DocumentError(site / "_posts/2024-01-01-post-1.md", 3, "something Pelican could not go on with")

    monkeypatch.setattr("pelican.Pelican.run", stop)
    with caplog.at_level(logging.WARNING):
        assert main(["build", str(site), "-o", str(tmp_path / "out")]) == 1
    said = caplog.text + capsys.readouterr().err
    assert f"{site / '_posts/2024-01-01-post-1.md'}:3: something Pelican could not go on with" in said
    assert "Traceback" not in said


def test_a_bug_is_an_internal_error_with_its_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    site = _site(tmp_path / "site", {})

    def bug(self: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("pelican.Pelican.run", bug)
    with caplog.at_level(logging.WARNING):
        assert main(["build", str(site), "-o", str(tmp_path / "out")]) == 1
    assert "internal error (a bug in palimpsest" in caplog.text
    assert "Traceback" in caplog.text and "ZeroDivisionError" in caplog.text
