"""The build's Writer (build/writer.py): a page whose bytes did not change is not rewritten (its time is
kept), feeds too; a second writer of a path is still refused and named; the build says what it wrote."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from pelican import Pelican, signals
from pelican.plugins.palimpsest.build.page_memo import MEMO_SETTING
from pelican.plugins.palimpsest.build.writer import BuildWriter, finish, last_build

POSTS = 12
PAGES_LINE = re.compile(r"Pages: (\d+) written, (\d+) unchanged")


@contextlib.contextmanager
def _writer(memo: bool) -> Iterator[None]:
    """Builds write with :class:`BuildWriter` (what the plugin's ``get_writer`` wiring gives) and call
    :func:`finish` when done (its ``finalized`` wiring)."""

    def get_writer(pelican: Pelican) -> BuildWriter:
        pelican.settings[MEMO_SETTING] = memo
        return BuildWriter(pelican.output_path, settings=pelican.settings)

    original = Pelican._get_writer
    Pelican._get_writer = get_writer  # type: ignore[method-assign]
    connected = id(finish) in signals.finalized.receivers
    signals.finalized.connect(finish)
    try:
        yield
    finally:
        Pelican._get_writer = original  # type: ignore[method-assign]
        if not connected:
            signals.finalized.disconnect(finish)


@pytest.fixture
def build_writer() -> Iterator[None]:
    with _writer(memo=False):
        yield


@pytest.fixture
def memo_writer() -> Iterator[None]:
    with _writer(memo=True):
        yield


def make_site(root: Path) -> Path:
    """Twelve posts (tags t0-t2 and common, related posts on, four to a home page), a feed, a sitemap,
    an About page."""
    site = root / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text(
        "title: Memo\nurl: https://example.org\npermalink: /:year/:month/:day/:title/\npaginate: 4\n"
        "plugins: [jekyll-feed, jekyll-paginate, jekyll-sitemap]\n"
        'defaults:\n  - scope: {path: "", type: posts}\n    values: {related: true}\n',
        encoding="utf-8",
    )
    for number in range(1, POSTS + 1):
        post_path(site, number).write_text(
            f"---\ntitle: Post number {number}\ntags: [t{number % 3}, common]\n---\n\n"
            f"First paragraph of post {number}.\n\nSecond paragraph.\n",
            encoding="utf-8",
        )
    (site / "about.md").write_text("---\ntitle: About\n---\n\nAbout this site.\n", encoding="utf-8")
    return site


def post_path(site: Path, number: int) -> Path:
    return site / "_posts" / f"2024-01-{number:02d}-post-{number}.md"


def build(site: Path, output: Path, caplog: pytest.LogCaptureFixture, *options: str, stamp: bool = False) -> tuple[int, list[str]]:
    """``palimpsest build`` in this process: its exit status and its messages (log records, stderr, stdout).
    Without *stamp*, the whole-build stamp (build/stamp.py) is removed first, so the build runs and the
    writer is what keeps unchanged pages."""
    from pelican.log import LimitFilter

    from pelican.plugins.palimpsest.cli import main

    LimitFilter._raised_messages.clear()  # Pelican says a message once per process: once per build here
    LimitFilter._group_count.clear()
    caplog.clear()
    if not stamp:
        (output / ".palimpsest-cache" / "stamp.json").unlink(missing_ok=True)
    stderr, stdout = io.StringIO(), io.StringIO()
    with caplog.at_level(logging.INFO), contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
        status = main(["build", str(site), "-o", str(output), "-j", "1", *options])
    return status, [record.getMessage() for record in caplog.records] + stderr.getvalue().splitlines() + stdout.getvalue().splitlines()


def pages_line(said: list[str]) -> tuple[int, int]:
    """(written, unchanged) as the build says them."""
    found = [match for match in map(PAGES_LINE.match, said) if match]
    assert len(found) == 1, said
    return int(found[0].group(1)), int(found[0].group(2))


def written_files(output: Path) -> dict[str, bytes]:
    """The files the Writer writes: not Pagefind's index, the caches, the theme's static files (copied
    by Pelican when their source is newer)."""
    files = (p for p in output.rglob("*") if p.is_file() and not {".palimpsest-cache", "pagefind", "theme"} & set(p.parts))
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(files)}


def times(output: Path) -> dict[str, int]:
    """Each file's modification time, to see after the next build which were written again (a build
    takes long enough for a rewritten file's time to differ)."""
    return {name: (output / name).stat().st_mtime_ns for name in written_files(output)}


def rewritten(output: Path, before: dict[str, int]) -> set[str]:
    return {name for name, time in times(output).items() if before.get(name) != time}


def test_an_unchanged_page_is_not_rewritten(tmp_path: Path, caplog: pytest.LogCaptureFixture, build_writer: None) -> None:
    site, output = make_site(tmp_path), tmp_path / "out"
    status, said = build(site, output, caplog)
    first = written_files(output)
    assert status == 0 and {"index.html", "page2/index.html", "page3/index.html", "feed.xml", "sitemap.xml"} <= set(first)
    written, unchanged = pages_line(said)
    assert (written, unchanged) == (len(first), 0)
    before = times(output)
    status, said = build(site, output, caplog, stamp=True)  # the stamp finds nothing changed: no build
    assert status == 0 and "palimpsest: nothing changed since the last build: 0 documents rendered" in said
    assert rewritten(output, before) == set() and not [line for line in said if line.startswith("Pages:")]
    status, said = build(site, output, caplog)
    assert status == 0 and written_files(output) == first
    assert rewritten(output, before) == set()  # the feed too (written by write_feed)
    assert pages_line(said) == (0, written)
    assert last_build(output) is not None


def test_a_changed_post_rewrites_only_what_changed(tmp_path: Path, caplog: pytest.LogCaptureFixture, build_writer: None) -> None:
    site, output = make_site(tmp_path), tmp_path / "out"
    build(site, output, caplog)
    before, before_times = written_files(output), times(output)
    post = post_path(site, 5)
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    status, said = build(site, output, caplog)
    after = written_files(output)
    differ = {name for name in after if before.get(name) != after[name]}
    # the post's page and the feed (full content); not the home page (the excerpt is the first paragraph)
    assert differ == {"2024/01/05/post-5/index.html", "feed.xml"}
    assert status == 0 and rewritten(output, before_times) == differ
    assert pages_line(said) == (2, len(after) - 2)
    build(site, tmp_path / "cold", caplog)
    assert written_files(tmp_path / "cold") == after


def test_a_second_writer_of_a_kept_file_is_refused(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    writer = BuildWriter(str(tmp_path), settings={"RELATIVE_URLS": False})
    target = os.path.join(tmp_path, "page.html")
    with writer.files.writing("first.md"), writer._open_w(target, "utf-8") as file:
        file.write("first")
    with writer.files.writing("second.md"), writer.files.keep(target) as file:
        file.write("second")
    assert Path(target).read_text(encoding="utf-8") == "first"
    assert writer.files.refused == 1 and writer.files.kept == 0
    assert any("page.html is written twice in this build: first by first.md, then by second.md" in r.getMessage() for r in caplog.records)
    other = os.path.join(tmp_path, "other.html")
    Path(other).write_text("as it was", encoding="utf-8")
    with writer.files.writing("third.md"), writer.files.keep(other) as file:
        file.write("dropped")
    assert Path(other).read_text(encoding="utf-8") == "as it was"
    assert writer.files.kept == writer.files.unchanged == 1 and writer.files.source(other) == "third.md"
    assert other in writer._written_files


def test_the_memo_keeps_pages_and_says_so(tmp_path: Path, caplog: pytest.LogCaptureFixture, memo_writer: None) -> None:
    site, output = make_site(tmp_path), tmp_path / "out"
    build(site, output, caplog)
    first = written_files(output)
    status, said = build(site, output, caplog)
    assert status == 0 and written_files(output) == first
    pages = len(first)  # all kept but feed.xml (built in Python, not by a template) and robots.txt (a template from a string)
    assert f"Pages: 0 written, {pages} unchanged ({pages - 2} not rendered again)" in said
