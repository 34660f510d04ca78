"""Worker processes (build/workers.py): results, errors and log records in input order, as a serial run."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
from pathlib import Path

import pytest

from pelican.plugins.palimpsest.build.workers import JOBS_SETTING, default_jobs, jobs_from, map_ordered, map_outcomes
from pelican.plugins.palimpsest.errors import DocumentError

PARENT = os.getpid()


def _square_and_say(number: int) -> tuple[int, int]:
    logging.getLogger("palimpsest.test").warning("item %d", number)
    return number * number, os.getpid()


def _fail_on_odd(number: int) -> int:
    if number % 2:
        raise DocumentError(Path(f"/site/_posts/{number}.md"), number, "odd")  # not picklable as it is
    if number == 10:
        raise ValueError("ten")
    return number


def _die_in_worker(number: int) -> int:
    if number == 5 and os.getpid() != PARENT:
        os._exit(3)  # a worker killed mid-work
    return number + 1


def test_results_and_records_in_input_order(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    results = map_ordered(_square_and_say, list(range(40)), 2, min_items=2)
    assert [value for value, _pid in results] == [n * n for n in range(40)]
    assert len({pid for _value, pid in results} - {PARENT}) >= 1  # really in other processes
    assert [record.getMessage() for record in caplog.records] == [f"item {n}" for n in range(40)]


_LOADED: list[str] = []  # what an item "loaded on first use": a worker forked after it inherits it


def _load_once(number: int) -> tuple[int, int, int]:
    if not _LOADED:
        _LOADED.append(f"loaded by {os.getpid()}")
        loads = 1
    else:
        loads = 0
    return number, os.getpid(), loads


def test_the_first_item_runs_here_and_the_workers_inherit_what_it_loaded() -> None:
    _LOADED.clear()
    results = map_ordered(_load_once, list(range(40)), 2, min_items=2)
    assert results[0] == (0, PARENT, 1)
    assert all(pid != PARENT for _n, pid, _loads in results[1:])
    assert sum(loads for _n, _pid, loads in results) == 1  # no worker loaded it again


def test_lexers_named_by_the_sources_are_loaded_before_the_workers_start() -> None:
    from pelican.plugins.palimpsest.kramdown import code

    code.find_lexer.cache_clear()
    text = "Intro\n\n```python\nprint(1)\n```\n\n  ~~~ Ruby\nputs 1\n~~~\n\n{% highlight yaml linenos %}\na: 1\n{% endhighlight %}\n"
    code.preload_lexers([text, "```text\nplain\n```\n", "``` nosuchlanguage\nx\n```\n"])
    assert code.find_lexer.cache_info().currsize == 4  # python, ruby, yaml, and the unknown one (None)
    hits = code.find_lexer.cache_info().hits
    assert code.find_lexer("python") is not None and code.find_lexer("ruby") is not None and code.find_lexer("nosuchlanguage") is None
    assert code.find_lexer.cache_info().hits == hits + 3


def test_serial_when_one_job_or_few_items() -> None:
    assert {pid for _value, pid in map_ordered(_square_and_say, list(range(40)), 1)} == {PARENT}
    assert {pid for _value, pid in map_ordered(_square_and_say, list(range(3)), 2, min_items=4)} == {PARENT}


def test_errors_come_back_per_item() -> None:
    outcomes = map_outcomes(_fail_on_odd, list(range(12)), 2, min_items=2)
    assert [o.value for o in outcomes if o.error is None] == [0, 2, 4, 6, 8]
    errors = [o.error for o in outcomes]
    assert isinstance(errors[3], DocumentError) and str(errors[3]) == "/site/_posts/3.md:3: odd"
    assert isinstance(errors[10], ValueError) and str(errors[10]) == "ten"
    with pytest.raises(DocumentError, match=r"1\.md:1: odd"):  # the first in input order
        map_ordered(_fail_on_odd, list(range(12)), 2, min_items=2)


def test_a_dead_worker_loses_nothing(caplog: pytest.LogCaptureFixture) -> None:
    assert map_ordered(_die_in_worker, list(range(30)), 2, min_items=2) == [n + 1 for n in range(30)]
    assert any("worker process stopped" in record.getMessage() for record in caplog.records)


def test_jobs_setting() -> None:
    assert jobs_from({JOBS_SETTING: 3}) == 3
    assert jobs_from({JOBS_SETTING: 1}) == 1
    assert jobs_from({}) == default_jobs() == jobs_from({JOBS_SETTING: 0})
    assert jobs_from({JOBS_SETTING: "many"}) == default_jobs()


# A site of 81 documents (written here, so that every count below is known by hand):
# posts 1-76, of which every 4th includes note.html and every 5th box.html, post 10 prints page.next;
# post 77 has tags: 5 (a warning), post 78 an unknown Liquid tag (an error, and the migration report);
# pages: archive.md lists site.posts, now.md prints site.time, about.md is plain.
POSTS = 76
BOX_USERS = [n for n in range(1, POSTS + 1) if n % 5 == 0]
DOCUMENTS = POSTS + 2 + 3


def post_name(number: int) -> str:
    return f"2024-{1 + number // 28:02d}-{1 + number % 28:02d}-post-{number:02d}.md"


def make_site(root: Path) -> Path:
    """The site described above, in *root*/site."""
    site = root / "site"
    for folder in ("_posts", "_includes", "_data"):
        (site / folder).mkdir(parents=True)
    (site / "_config.yml").write_text("title: Many\nurl: https://example.org\npermalink: /:year/:month/:day/:title/\n", encoding="utf-8")
    (site / "_data" / "info.yml").write_text("owner: Someone\n", encoding="utf-8")
    (site / "_includes" / "note.html").write_text('<p class="note">Note {{ include.text }}</p>\n', encoding="utf-8")
    (site / "_includes" / "box.html").write_text('<div class="box">A box</div>\n', encoding="utf-8")
    for number in range(1, POSTS + 1):
        body = f"Paragraph {number}, *emphasis*.\n\n"
        if number % 4 == 0:
            body += f'{{% include note.html text="{number}" %}}\n\n'
        if number % 5 == 0:
            body += "{% include box.html %}\n\n"
        if number == 10:
            body += "Next: {{ page.next.title }}\n"
        (site / "_posts" / post_name(number)).write_text(f"---\ntitle: Post {number:02d}\n---\n\n{body}", encoding="utf-8")
    (site / "_posts" / "2024-06-01-warned.md").write_text("---\ntitle: Warned\ntags: 5\n---\n\nText.\n", encoding="utf-8")
    (site / "_posts" / "2024-06-02-broken.md").write_text("---\ntitle: Broken\n---\n\nText.\n\n{% youtube abc %}\n", encoding="utf-8")
    (site / "archive.md").write_text(
        "---\ntitle: Archive\n---\n\n{% for post in site.posts %}* {{ post.title }}\n{% endfor %}\n", encoding="utf-8"
    )
    (site / "now.md").write_text('---\ntitle: Now\n---\n\nBuilt in {{ site.time | date: "%Y" }}.\n', encoding="utf-8")
    (site / "about.md").write_text("---\ntitle: About\n---\n\nAbout {{ site.data.info.owner }}.\n", encoding="utf-8")
    return site


def tree(folder: Path) -> dict[str, bytes]:
    """Every output file's bytes, the cache folder aside."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and ".palimpsest-cache" not in p.parts)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}


_TIMING = re.compile(r"\d+\.\d+ ?s\b")


def build(site: Path, output: Path, caplog: pytest.LogCaptureFixture, *args: str) -> tuple[int, list[tuple[str, str, str]]]:
    """``palimpsest build`` in this process: its exit status and what it said (its log records, timings
    aside, then its lines on stderr: the migration report, the error count).  These builds test the
    documents' cache, so each one runs: the whole-build stamp (tested in test_stamp.py) is removed, and
    the writer's count of pages written and kept (test_writer.py) is left out of what is compared."""
    from pelican.log import LimitFilter

    from pelican.plugins.palimpsest.cli import main

    LimitFilter._raised_messages.clear()  # Pelican says a message once per process: once per build here
    LimitFilter._group_count.clear()
    caplog.clear()
    (output / ".palimpsest-cache" / "stamp.json").unlink(missing_ok=True)
    stderr = io.StringIO()
    with caplog.at_level(logging.DEBUG, logger="pelican.plugins.palimpsest.build.documents"), contextlib.redirect_stderr(stderr):
        status = main(["build", str(site), "-o", str(output), *args])
    said = [
        (r.name, r.levelname, r.getMessage())
        for r in caplog.records
        if not _TIMING.search(r.getMessage()) and r.name != "pelican.plugins.palimpsest.build.writer"
    ]
    return status, said + [("stderr", "", line) for line in stderr.getvalue().splitlines()]


def test_parallel_build_is_the_serial_build(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    site = make_site(tmp_path)
    serial_status, serial_said = build(site, tmp_path / "serial", caplog, "-j", "1")
    parallel_status, parallel_said = build(site, tmp_path / "parallel", caplog, "-j", "2")
    assert serial_status == parallel_status == 1  # the broken post
    plan = ("pelican.plugins.palimpsest.build.documents", "DEBUG", f"{DOCUMENTS} documents to render in 2 worker processes")
    assert plan in parallel_said and plan not in serial_said  # really in workers
    parallel_said.remove(plan)
    assert parallel_said == serial_said
    broken = site / "_posts" / "2024-06-02-broken.md"
    assert any(level == "ERROR" and message.startswith(f"{broken}:7: Liquid error") for _, level, message in serial_said)
    assert any(level == "WARNING" and "tags: 5 is neither text nor a list" in message for _, level, message in serial_said)
    assert ("stderr", "", "  Liquid tag 'youtube': _posts/2024-06-02-broken.md:7") in serial_said  # the migration report
    assert ("pelican.plugins.palimpsest.build.documents", "INFO", f"Documents: {DOCUMENTS} rendered, 0 from cache") in serial_said
    serial, parallel = tree(tmp_path / "serial"), tree(tmp_path / "parallel")
    assert b"Next: Post 11" in serial["2024/01/11/post-10/index.html"]
    assert b"Post 76" in serial["archive/index.html"] and b"Post 01" in serial["archive/index.html"]
    assert b'<p class="note">Note 4</p>' in serial["2024/01/05/post-04/index.html"]
    assert serial == parallel
    pack = Path(".palimpsest-cache", "documents", "pack.pickle")  # and the content cache, byte for byte
    assert (tmp_path / "serial" / pack).read_bytes() == (tmp_path / "parallel" / pack).read_bytes()
