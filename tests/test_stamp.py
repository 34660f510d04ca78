"""The build stamp (build/stamp.py): ``palimpsest build`` runs nothing when nothing it reads changed since
its last successful build, and every input it reads, when changed, makes it build.

``stamped`` does what the command does with the stamp (cli.py): take it before building, skip the build
when it says nothing changed, else build and keep it when the build had no error.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

import pytest

from pelican.plugins.palimpsest import report
from pelican.plugins.palimpsest.build import stamp as stamp_module
from pelican.plugins.palimpsest.build.cache_folder import CACHE_FOLDER
from pelican.plugins.palimpsest.build.stamp import FILES_FILE, STAMP_FILE, BuildStamp
from pelican.plugins.palimpsest.cli import build_parser

from .gitrepo import commit, init
from .test_writer import build, build_writer, make_site, post_path, times, written_files

__all__ = ["build_writer"]  # the fixture, used by name


def stamped(site: Path, output: Path, caplog: pytest.LogCaptureFixture, *options: str) -> str:
    """``skipped`` when the stamp says nothing changed (its messages said again), else ``built`` (stamp
    kept) or ``failed`` (none kept)."""
    args = vars(build_parser().parse_args(["build", str(site), "-o", str(output), "-j", "1", *options]))
    stamp = BuildStamp.before_build(site, output, args)
    if stamp.unchanged():
        from pelican.log import LimitFilter

        LimitFilter._raised_messages.clear()  # a new process, for Pelican's once-per-process messages
        caplog.clear()
        report.reset()
        stamp.replay()
        return "skipped"
    with stamp.recording():
        status, _ = build(site, output, caplog, *options)
    if status != 0:
        return "failed"
    assert stamp.save()
    return "built"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


def test_nothing_changed_builds_nothing(site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, build_writer: None) -> None:
    output = tmp_path / "out"
    assert stamped(site, output, caplog) == "built"
    before, files = times(output), written_files(output)
    assert stamped(site, output, caplog) == "skipped"
    assert times(output) == before and written_files(output) == files
    os.utime(post_path(site, 3))  # a newer time, the same bytes
    assert stamped(site, output, caplog) == "skipped"


@pytest.mark.parametrize(
    "change",
    ["post", "new file", "removed file", "config", "data", "include", "static file"],
)
def test_a_changed_input_builds(site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, build_writer: None, change: str) -> None:
    (site / "_data").mkdir()
    (site / "_data" / "info.yml").write_text("owner: Someone\n", encoding="utf-8")
    (site / "assets").mkdir()
    (site / "assets" / "picture.png").write_bytes(b"\x89PNG not really")
    output = tmp_path / "out"
    assert stamped(site, output, caplog) == "built"
    if change == "post":
        post = post_path(site, 3)
        post.write_text(post.read_text(encoding="utf-8").replace("Second paragraph.", "Second paragraph!"), encoding="utf-8")
    elif change == "new file":
        (site / "notes.txt").write_text("notes\n", encoding="utf-8")
    elif change == "removed file":
        post_path(site, 3).unlink()
    elif change == "config":
        (site / "_config.yml").write_text((site / "_config.yml").read_text(encoding="utf-8") + "description: New\n", encoding="utf-8")
    elif change == "data":
        (site / "_data" / "info.yml").write_text("owner: Someone else\n", encoding="utf-8")
    elif change == "include":
        (site / "_includes").mkdir()
        (site / "_includes" / "note.html").write_text("<p>note</p>\n", encoding="utf-8")
    else:
        (site / "assets" / "picture.png").write_bytes(b"\x89PNG still not")
    assert stamped(site, output, caplog) == "built"
    assert stamped(site, output, caplog) == "skipped"


def test_what_the_build_does_not_read_changes_nothing(
    site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, build_writer: None
) -> None:
    """``exclude:``, Jekyll's default exclusions (``node_modules``), dot folders: never read, not stamped."""
    config = site / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "exclude: [private]\n", encoding="utf-8")
    for folder in ("private", "node_modules", ".cache"):
        (site / folder).mkdir()
        (site / folder / "a.md").write_text("---\ntitle: A\n---\n\nA.\n", encoding="utf-8")
    output = tmp_path / "out"
    assert stamped(site, output, caplog) == "built"
    for folder in ("private", "node_modules", ".cache"):
        (site / folder / "a.md").write_text("---\ntitle: B\n---\n\nB.\n", encoding="utf-8")
        assert stamped(site, output, caplog) == "skipped", folder


@pytest.mark.parametrize("change", ["removed", "edited", "touched"])
def test_an_output_file_changed_builds(
    site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, build_writer: None, change: str
) -> None:
    output = tmp_path / "out"
    assert stamped(site, output, caplog) == "built"
    files = written_files(output)
    page = output / "page2" / "index.html"
    if change == "removed":
        page.unlink()
    elif change == "edited":
        page.write_text("edited", encoding="utf-8")
    else:
        os.utime(page, ns=(0, 0))
    assert stamped(site, output, caplog) == "built"
    assert written_files(output) == files


def test_the_command_line_is_stamped(site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, build_writer: None) -> None:
    output = tmp_path / "out"
    assert stamped(site, output, caplog) == "built"
    assert stamped(site, output, caplog, "--baseurl", "/blog") == "built"
    assert stamped(site, output, caplog, "--baseurl", "/blog") == "skipped"
    assert stamped(site, output, caplog, "--baseurl", "/blog", "-j", "2") == "skipped"  # the same output
    assert stamped(site, output, caplog) == "built"


def test_a_settings_file_is_stamped(site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, build_writer: None) -> None:
    settings = tmp_path / "conf.py"
    settings.write_text(
        "PLUGINS = ['pelican.plugins.palimpsest']\nARTICLE_PATHS = ['_posts']\nPAGE_PATHS = []\nDIRECT_TEMPLATES = []\n"
        "SITEURL = 'https://example.org'\nTIMEZONE = 'UTC'\nPALIMPSEST_FEATURES = {'search': False}\n",
        encoding="utf-8",
    )
    output = tmp_path / "out"
    assert stamped(site, output, caplog, "-s", str(settings)) == "built"
    assert stamped(site, output, caplog, "-s", str(settings)) == "skipped"
    settings.write_text(settings.read_text(encoding="utf-8") + "SITESUBTITLE = 'Another'\n", encoding="utf-8")
    assert stamped(site, output, caplog, "-s", str(settings)) == "built"
    assert stamped(site, output, caplog) == "built"  # without it


def test_a_new_commit_builds(site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, build_writer: None) -> None:
    """Revisions come from history: another commit (HEAD moves, the files as they were) is a change."""
    init(site)
    commit(site, {}, "first", "2024-02-01T10:00:00+00:00")
    output = tmp_path / "out"
    assert stamped(site, output, caplog) == "built"
    assert stamped(site, output, caplog) == "skipped"
    commit(site, {"notes.txt": "notes\n"}, "second", "2024-02-02T10:00:00+00:00")
    (site / "notes.txt").unlink()  # the working tree as it was: only HEAD differs
    assert stamped(site, output, caplog) == "built"


def later_post(site: Path, published: bool) -> None:
    """A post dated 2999-01-02, published (``future: true``) or not (Jekyll's default)."""
    if published:
        config = site / "_config.yml"
        config.write_text(config.read_text(encoding="utf-8") + "future: true\n", encoding="utf-8")
    (site / "_posts" / "2999-01-02-later.md").write_text("---\ntitle: Later\n---\n\nNot yet.\n", encoding="utf-8")


@pytest.mark.parametrize(
    "published",
    [True, False],
)
def test_a_post_dated_later_builds_when_its_date_comes(
    site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, build_writer: None, monkeypatch: pytest.MonkeyPatch, published: bool
) -> None:
    """Not published yet, it is when its date comes: the stamp holds until then (a published one too)."""
    later_post(site, published)
    output = tmp_path / "out"
    assert stamped(site, output, caplog) == "built"
    assert (output / "2999" / "01" / "02" / "later" / "index.html").exists() == published
    assert stamped(site, output, caplog) == "skipped"
    then = dt.datetime(2999, 1, 2, tzinfo=dt.timezone.utc).timestamp()
    monkeypatch.setattr(stamp_module.time, "time", lambda: then)
    assert stamped(site, output, caplog) == "built"


def test_warnings_and_migration_notes_are_said_again(
    site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, build_writer: None
) -> None:
    config = site / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("jekyll-sitemap", "jekyll-sitemap, jekyll-archives"), encoding="utf-8")
    post_path(site, 4).write_text("---\ntitle: Four\ntags: 5\n---\n\nFour.\n", encoding="utf-8")
    output = tmp_path / "out"
    assert stamped(site, output, caplog) == "built"
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("tags: 5 is neither text nor a list" in message for message in warned)
    notes = report.collected()
    assert [(note.kind, note.name) for note in notes] == [("plugin", "jekyll-archives")]
    assert stamped(site, output, caplog) == "skipped"
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == warned
    assert report.collected() == notes
    assert str(tmp_path) not in (output / CACHE_FOLDER / STAMP_FILE).read_text(encoding="utf-8")
    assert str(tmp_path) not in (output / CACHE_FOLDER / FILES_FILE).read_text(encoding="utf-8")


def test_a_build_with_errors_keeps_no_stamp(site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, build_writer: None) -> None:
    output = tmp_path / "out"
    assert stamped(site, output, caplog) == "built"
    post_path(site, 4).write_text("---\ntitle: Four\n---\n\n{% youtube abc %}\n", encoding="utf-8")
    assert stamped(site, output, caplog) == "failed"
    assert not (output / CACHE_FOLDER / STAMP_FILE).exists()
    assert stamped(site, output, caplog) == "failed"  # the error, said again


def test_the_clock_keeps_no_stamp(site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, build_writer: None) -> None:
    """A page that printed ``site.time`` cannot be built again the same: no stamp."""
    (site / "_includes" / "footer").mkdir(parents=True)
    (site / "_includes" / "footer" / "custom.html").write_text('<p>{{ site.time | date: "%Y" }}</p>\n', encoding="utf-8")
    output = tmp_path / "out"
    args = vars(build_parser().parse_args(["build", str(site), "-o", str(output)]))
    stamp = BuildStamp.before_build(site, output, args)
    with stamp.recording():
        assert build(site, output, caplog)[0] == 0
    assert not stamp.save()
    assert not BuildStamp.before_build(site, output, args).unchanged()
