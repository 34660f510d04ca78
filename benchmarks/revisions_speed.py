"""Revisions benchmark: the cost of archived revisions built from git history.

Generates N Jekyll-style posts with ``build_speed``'s deterministic generator,
makes the site a git repository and gives every post K revisions: one commit
with all the posts, then K - 1 commits that each touch every post a little,
in turn: a word swapped and a sentence added in the first paragraph; a dated
update notice such as ``2024 年 5 月 2 日更新：…`` with ``{: .notice--info}``
on top; a paragraph appended.  Authors, committers and dates are fixed, and the
user's and system's git configuration ignored, so commit ids are stable.

Then four builds, each in-process with fresh settings and palimpsest's
caches reset, timed by wall clock:

a. without revisions (``PALIMPSEST_FEATURES = {"revisions": False}``), into a
   fresh output folder: the baseline;
b. with revisions, cold: a fresh output folder, so no revision cache;
c. with revisions, the same output again, nothing changed: cache warm, every
   revision page already holds the right bytes;
d. with revisions, the same output, after one post is edited and committed.

Settings are ``build_speed``'s palimpsest settings (Pelican's ``simple`` theme
by default, no feeds, no sitemap) with the site search off; ``--theme
palimpsest`` uses the library's own theme, as ``palimpsest build`` does, and
``--search`` keeps the Pagefind index on.  ``--repeat R`` reports the best of
R runs per step; each (d) commits one more post, so later runs of (b)-(d)
see a revision or two more than the first.

``--cli`` times what users run instead: ``palimpsest build SITE -o OUT`` as a
subprocess (the library's theme, the site search on, as by default), on the
same generated repository (``--posts 200`` is the issue's git site), round after
round, each round:

a. cold without revisions: ``-s`` a ``pelicanconf.py`` that is
   ``settings_from_jekyll`` of the site with ``PALIMPSEST_FEATURES =
   {"revisions": False}``, into a fresh output folder;
b. cold with revisions: a fresh output folder;
c. warm: the same command again, nothing changed;
d. one post edited and committed, the same output folder (the commit is then
   taken back with ``git reset --hard HEAD~1``, so every round sees the same
   repository; (d)'s output is removed).

CPU is user + system time of the build and every process it waited for
(``os.wait4``: git, Pagefind, worker processes); medians over ``--rounds``.
``--profile cold|warm`` then runs one more such build under cProfile.
``--arg=-j2`` (repeatable) passes an argument to every ``palimpsest build``.

Usage::

    python benchmarks/revisions_speed.py --posts 1000 [--revisions 3] [--repeat 1] [--keep DIR]
        [--theme simple|palimpsest] [--search] [--profile cold|warm|changed]
    python benchmarks/revisions_speed.py --cli --posts 200 [--revisions 3] [--rounds 3] [--keep DIR]
        [--arg=-j2] [--profile cold|warm]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import hashlib
import io
import logging
import os
import platform
import pstats
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_speed import (
    CHINESE_WORDS,
    LATIN_WORDS,
    BuildResult,
    Post,
    _report_problems,
    _revision,
    _version,
    _Writer,
    make_posts,
    palimpsest_settings,
    reset_palimpsest_caches,
    run_build,
    warm_imports,
    work_folder,
    write_jekyll_site,
)

# --------------------------------------------------------------------------
# A git history for the generated site
# --------------------------------------------------------------------------

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Bench Writer",
    "GIT_AUTHOR_EMAIL": "writer@bench.example.org",
    "GIT_COMMITTER_NAME": "Bench Writer",
    "GIT_COMMITTER_EMAIL": "writer@bench.example.org",
}
FIRST_COMMIT = datetime(2024, 1, 1, 10, 0, tzinfo=timezone.utc)
REVISION_SPACING = timedelta(days=61)  # revision 2 on 2024-03-02, revision 3 on 2024-05-02, ...

FRENCH_MONTH_NAMES = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
REVISION_KINDS = ("edit", "update", "append")  # what revisions 2, 3, 4, ... do, in turn


def revision_date(number: int) -> datetime:
    """The author and committer date of revision *number* (1-based)."""
    return FIRST_COMMIT + (number - 1) * REVISION_SPACING


def git(root: Path, *args: str, when: datetime | None = None) -> str:
    env = {
        **os.environ,
        **GIT_IDENTITY,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "LC_ALL": "C",
    }
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when.isoformat()
    return subprocess.run(["git", "-C", str(root), *args], env=env, capture_output=True, text=True, check=True).stdout


def commit_all(root: Path, message: str, when: datetime) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--no-verify", "-m", message, when=when)
    return git(root, "rev-parse", "--short", "HEAD").strip()


def _split(text: str) -> tuple[str, str]:
    """Front matter (with its closing fence) and body of a generated post."""
    head, fence, body = text.partition("\n---\n\n")
    return head + fence, body


def _update_notice(rng: random.Random, when: datetime) -> str:
    writer = _Writer(rng)
    language = rng.choice(("zh", "zh", "fr", "en"))
    if language == "zh":
        phrase = f"{when.year} 年 {when.month} 月 {when.day} 日更新：{writer.chinese_sentence()}"
    elif language == "fr":
        phrase = f"Mise à jour du {when.day} {FRENCH_MONTH_NAMES[when.month - 1]} {when.year} : {writer.latin_sentence()}"
    else:
        phrase = f"Update ({when.date().isoformat()}): {writer.latin_sentence()}"
    return phrase + "\n{: .notice--info}"


_SWAPPABLE = [w for w in CHINESE_WORDS if len(w) >= 2] + [w for w in LATIN_WORDS if len(w) >= 4]


def _swap_word(rng: random.Random, paragraph: str) -> str:
    """Replace one word of *paragraph* by another from the same vocabulary."""
    present = [w for w in _SWAPPABLE if (re.search(rf"\b{re.escape(w)}\b", paragraph) if w.isascii() else w in paragraph)]
    if not present:
        return paragraph
    old = rng.choice(present)
    pool = CHINESE_WORDS if old in CHINESE_WORDS else LATIN_WORDS
    new = rng.choice([w for w in pool if w != old and len(w) >= 2])
    if old.isascii():
        return re.sub(rf"\b{re.escape(old)}\b", new, paragraph, count=1)
    return paragraph.replace(old, new, 1)


def revise(text: str, kind: str, rng: random.Random, when: datetime) -> str:
    """*text* (a whole post) slightly changed, as a writer revising it would."""
    head, body = _split(text)
    if kind == "edit":  # a word swapped and a sentence added in the first paragraph
        first, _, rest = body.partition("\n\n")
        body = _swap_word(rng, first) + " " + _Writer(rng).sentence() + "\n\n" + rest
    elif kind == "append":
        body = body.rstrip("\n") + "\n\n" + _Writer(rng).paragraph() + "\n"
    elif kind == "update":  # a dated notice at the top
        body = _update_notice(rng, when) + "\n\n" + body
    else:
        raise ValueError(kind)
    return head + body


def post_file(site: Path, post: Post) -> Path:
    return site / "_posts" / post.filename


def make_history(site: Path, posts: list[Post], revisions: int, seed: int) -> list[str]:
    """Revision 1 commits every post; each later revision touches every post. The commit ids, oldest first."""
    git(site, "init", "-q", "-b", "main")
    commits = [commit_all(site, "Revision 1: all posts", revision_date(1))]
    for number in range(2, revisions + 1):
        kind = REVISION_KINDS[(number - 2) % len(REVISION_KINDS)]
        when = revision_date(number)
        for post in posts:
            path = post_file(site, post)
            rng = random.Random(f"{seed}:{post.index}:{number}")
            path.write_text(revise(path.read_text(encoding="utf-8"), kind, rng, when), encoding="utf-8")
        commits.append(commit_all(site, f"Revision {number}: {kind} every post", when))
    return commits


def change_one_post(site: Path, post: Post, number: int, seed: int) -> str:
    """Step (d): one post edited in the working tree (an update notice, a paragraph),
    then committed as revision *number*. The new commit id."""
    when = revision_date(number)
    path = post_file(site, post)
    rng = random.Random(f"{seed}:{post.index}:{number}:one")
    text = revise(path.read_text(encoding="utf-8"), "update", rng, when)
    path.write_text(revise(text, "append", rng, when), encoding="utf-8")
    return commit_all(site, f"Revision {number}: update {post.slug}", when)


# --------------------------------------------------------------------------
# Builds, and what the revisions generator logs
# --------------------------------------------------------------------------

REVISIONS_LOGGER = "pelican.plugins.palimpsest.revisions"
_RENDERED = re.compile(r"Revisions: (\d+) rendered for (\d+) documents in ([\d.]+) s \(cache: (\d+) hits, (\d+) misses")
_PAGES = re.compile(r"Revision pages: (\d+) written, (\d+) unchanged")


@dataclass
class RevisionLog:
    """The generator's INFO lines for one build."""

    messages: list[str] = field(default_factory=list)

    def _match(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        return next((m for m in map(pattern.search, self.messages) if m), None)

    @property
    def rendered(self) -> tuple[int, int, float, int, int] | None:
        """(revisions, documents, seconds in generate_context, cache hits, cache misses)"""
        m = self._match(_RENDERED)
        return (int(m[1]), int(m[2]), float(m[3]), int(m[4]), int(m[5])) if m else None

    @property
    def pages(self) -> tuple[int, int] | None:
        """(written, unchanged)"""
        m = self._match(_PAGES)
        return (int(m[1]), int(m[2])) if m else None


class _InfoCollector(logging.Handler):
    def __init__(self, log: RevisionLog) -> None:
        super().__init__(level=logging.INFO)
        self.log = log

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == logging.INFO:
            self.log.messages.append(record.getMessage())


@contextlib.contextmanager
def revision_log() -> Iterator[RevisionLog]:
    """Catch the revisions generator's INFO lines (the root logger drops INFO by default)."""
    logger = logging.getLogger(REVISIONS_LOGGER)
    log = RevisionLog()
    handler = _InfoCollector(log)
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        yield log
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def reset_caches() -> None:
    """Forget what an earlier build cached, as a fresh ``palimpsest build`` process would (build_speed's resets).

    ``revisions.pipeline_fingerprint`` is kept: it hashes the library's files
    on disk (a few ms), and the code this process runs was imported once, so
    recomputing it would only let edits made to the library meanwhile
    invalidate the revision cache for code that is not even running.
    """
    reset_palimpsest_caches()


def package_state() -> str:
    """A hash of the library's files on disk, templates included, to notice edits during a run."""
    from pelican.plugins.palimpsest.revisions.cache import PACKAGE

    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def settings_for(site: Path, output: Path, with_revisions: bool, theme: str, search: bool) -> dict[str, Any]:
    settings = palimpsest_settings(site, output)
    features = {**(settings.get("PALIMPSEST_FEATURES") or {}), "revisions": with_revisions}
    if not search:
        features["search"] = False  # a Pagefind subprocess over the whole output: not what is measured here
    settings["PALIMPSEST_FEATURES"] = features
    if theme == "palimpsest":
        from pelican.plugins.palimpsest.resources import THEME_PATH

        settings["THEME"] = str(THEME_PATH)  # what ``palimpsest build`` uses; a path needs no resolving
    return settings


@dataclass
class Run:
    result: BuildResult
    log: RevisionLog
    html_total: int
    cpu: float  # this process's CPU seconds (git's own are not counted): steadier than wall clock on a busy machine


@dataclass
class Step:
    label: str
    description: str
    runs: list[Run] = field(default_factory=list)

    @property
    def best(self) -> Run:
        return min(self.runs, key=lambda run: run.result.seconds)


def build(site: Path, output: Path, with_revisions: bool, args: argparse.Namespace, profiler: cProfile.Profile | None = None) -> Run:
    reset_caches()
    with revision_log() as log:
        cpu = time.process_time()
        result = run_build(lambda: settings_for(site, output, with_revisions, args.theme, args.search), output, profiler)
        cpu = time.process_time() - cpu
    return Run(result, log, _count_html(output), cpu)


# --------------------------------------------------------------------------
# The CLI, as users run it (--cli)
# --------------------------------------------------------------------------

NO_REVISIONS_CONF = """\
\"\"\"What palimpsest build derives from _config.yml, with the revisions feature off.\"\"\"

from pathlib import Path

from pelican.plugins.palimpsest.jekyll.site import JekyllSite
from pelican.plugins.palimpsest.resources import THEME_PATH
from pelican.plugins.palimpsest.settings import settings_from_jekyll

globals().update(settings_from_jekyll(JekyllSite.load(Path({site!r})), Path({output!r})))
THEME = str(THEME_PATH)
PLUGINS = ["pelican.plugins.palimpsest"]
PALIMPSEST_FEATURES = {{"revisions": False}}
"""
CLI_STEPS = (
    ("a", "cold, no revisions (feature off)"),
    ("b", "cold, revisions"),
    ("c", "warm, nothing changed"),
    ("d", "1 post edited + committed"),
)


@dataclass
class CliRun:
    cpu: float  # user + system of the build and the processes it waited for
    wall: float
    max_rss: int  # kilobytes, the largest single process
    status: int
    log: RevisionLog
    html_total: int


def palimpsest_script() -> str:
    """The ``palimpsest`` command of the Python running this benchmark."""
    script = Path(sys.executable).with_name("palimpsest")
    return str(script) if script.exists() else "palimpsest"


def run_cli(argv: list[str], log_file: Path, output: Path) -> CliRun:
    """Run *argv* to its end (its output in *log_file*) and say what it cost."""
    with log_file.open("wb") as out:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
    text = log_file.read_text(encoding="utf-8", errors="replace")
    # Pelican's console wraps long lines and puts the logger's file:line in them: undo both.
    log = RevisionLog([re.sub(r"\s+", " ", re.sub(r"\s\S+\.py:\d+\s", " ", text))])
    return CliRun(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss, child.returncode, log, _count_html(output))


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _print_cli_table(runs: dict[str, list[CliRun]], n: int, revisions: int, rounds: int) -> None:
    print(f"N = {n} posts x {revisions} revisions; medians of {rounds} round(s); ratios of CPU to (b)")
    print(
        f"{'step':<38}{'CPU s':>8}{'wall s':>8}{'/(b)':>7}{'MB':>6}{'rev s':>7}{'hits':>6}{'miss':>6}"
        f"{'written':>9}{'unchanged':>10}{'HTML':>7}"
    )
    cold = _median([r.cpu for r in runs["b"]])
    for label, description in CLI_STEPS:
        done = runs[label]
        cpu, wall = _median([r.cpu for r in done]), _median([r.wall for r in done])
        last = done[-1]
        rendered, pages = last.log.rendered, last.log.pages
        context = f"{rendered[2]:.2f}" if rendered else "-"
        hits, misses = (str(rendered[3]), str(rendered[4])) if rendered else ("-", "-")
        written, unchanged = (str(pages[0]), str(pages[1])) if pages else ("-", "-")
        failed = " FAILED" if any(r.status for r in done) else ""
        print(
            f"({label}) {description:<34}{cpu:>8.2f}{wall:>8.2f}{cpu / cold:>6.2f}x{max(r.max_rss for r in done) // 1024:>6}"
            f"{context:>7}{hits:>6}{misses:>6}{written:>9}{unchanged:>10}{last.html_total:>7}{failed}"
        )
        if rounds > 1:
            print(f"      CPU per round: {', '.join(f'{r.cpu:.2f}' for r in done)}; wall: {', '.join(f'{r.wall:.2f}' for r in done)}")
    a, c = _median([r.cpu for r in runs["a"]]), _median([r.cpu for r in runs["c"]])
    wall_a, wall_b, wall_c = (_median([r.wall for r in runs[k]]) for k in "abc")
    print(f"cold with revisions / without: CPU {cold / a:.2f}x, wall {wall_b / wall_a:.2f}x (target <= 2)")
    print(f"warm / cold with revisions:    CPU {c / cold:.2f}x, wall {wall_c / wall_b:.2f}x (target <= 0.3)")
    print("CPU: user + system of the build and its git, Pagefind and worker processes; MB: the largest process;")
    print("rev s, hits, miss: the revisions generator's log line; written/unchanged: revision pages; HTML: *.html in the output.")


def cli_main(args: argparse.Namespace) -> int:
    """Time ``palimpsest build`` on a generated git site: cold without and with revisions, warm, one post changed."""
    with contextlib.ExitStack() as stack:
        work = work_folder(stack, args.keep, "palimpsest-revisions-cli-", "revisions_speed")
        if work is None:
            return 2
        site = work / "jekyll-site"
        posts = make_posts(args.posts, args.seed)
        write_jekyll_site(site, posts)
        commits = make_history(site, posts, args.revisions, args.seed)
        print(f"Generated {len(posts)} posts x {args.revisions} revisions under {work} (commits {', '.join(commits)})")
        launcher = args.command.split() if args.command else [palimpsest_script()]
        command = [*launcher, "build", str(site), *args.arg]
        without, with_revisions, logs = work / "out-no-revisions", work / "out-revisions", work / "logs"
        logs.mkdir()
        conf = work / "no-revisions-conf.py"
        conf.write_text(NO_REVISIONS_CONF.format(site=str(site), output=str(without)), encoding="utf-8")
        runs: dict[str, list[CliRun]] = {label: [] for label, _ in CLI_STEPS}
        for round_ in range(1, args.rounds + 1):
            for output in (without, with_revisions):
                shutil.rmtree(output, ignore_errors=True)
            steps = [
                ("a", [*command, "-s", str(conf), "-o", str(without)], without),
                ("b", [*command, "-o", str(with_revisions)], with_revisions),
                ("c", [*command, "-o", str(with_revisions)], with_revisions),
            ]
            if round_ % 2 == 0:  # the build without revisions goes first every other round
                steps[0], steps[1] = steps[1], steps[0]
            for label, argv, output in steps:
                runs[label].append(run_cli(argv, logs / f"{round_}-{label}.log", output))
            change_one_post(site, posts[(len(posts) // 2 + round_) % len(posts)], args.revisions + 1, args.seed)
            runs["d"].append(run_cli([*command, "-o", str(with_revisions)], logs / f"{round_}-d.log", with_revisions))
            git(site, "reset", "-q", "--hard", "HEAD~1")
        print(
            f"Python {platform.python_version()}, git {git(site, 'version').split()[-1]}, palimpsest {_revision()} "
            f"(files {package_state()}); command: {' '.join(command)} -o OUT; logs in {logs}"
        )
        _print_cli_table(runs, len(posts), args.revisions, args.rounds)
        for kind in args.profile:
            if kind == "changed":
                print("--profile changed: not in --cli mode", file=sys.stderr)
                continue
            if kind == "cold":
                shutil.rmtree(with_revisions, ignore_errors=True)
            profile = work / f"{kind}.prof"
            script = launcher[1:] if len(launcher) > 1 else launcher  # "python script.py": the script
            argv = [sys.executable, "-m", "cProfile", "-o", str(profile), *script, *command[len(launcher) :], "-o", str(with_revisions)]
            run = run_cli(argv, logs / f"profile-{kind}.log", with_revisions)
            print()
            limit, order = args.profile_limit, args.profile_sort
            print(f"cProfile of a {kind} build with revisions ({run.cpu:.2f} s CPU with profiling), top {limit} by {order}:")
            stream = io.StringIO()
            pstats.Stats(str(profile), stream=stream).strip_dirs().sort_stats(args.profile_sort).print_stats(args.profile_limit)
            print(stream.getvalue().strip())
    return 0


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000, help="number of posts to generate (default: 1000)")
    parser.add_argument("--revisions", type=int, default=3, help="revisions per post, i.e. commits (default: 3)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per step, the best is reported; (d) edits another post each time (default: 1)"
    )
    parser.add_argument("--seed", type=int, default=20240218, help="random seed for the generated posts and edits")
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR (must be empty or absent) and keep the site and outputs")
    parser.add_argument(
        "--theme",
        choices=("simple", "palimpsest"),
        default="simple",
        help="Pelican's simple theme, as build_speed uses (default), or the library's own",
    )
    parser.add_argument(
        "--search",
        action="store_true",
        help="keep the site search (a Pagefind index of the output, if installed) on in every build; off by default",
    )
    parser.add_argument(
        "--profile",
        choices=("cold", "warm", "changed"),
        action="append",
        default=[],
        help="after the timed builds, cProfile one more build with revisions: cold (fresh output), "
        "warm (nothing changed) or changed (one more post edited); repeatable",
    )
    parser.add_argument(
        "--profile-sort", default="cumulative", choices=("cumulative", "tottime"), help="pstats order (default: cumulative)"
    )
    parser.add_argument("--profile-limit", type=int, default=30, help="functions to print (default: 30)")
    parser.add_argument("--cli", action="store_true", help="time the palimpsest build command instead (see above)")
    parser.add_argument("--rounds", type=int, default=1, help="--cli: rounds of (a)-(d), medians reported (default: 1)")
    parser.add_argument(
        "--arg", action="append", default=[], metavar="ARG", help="--cli: one more argument for palimpsest build (--arg=-j2)"
    )
    parser.add_argument(
        "--command", help="--cli: the palimpsest command to time, e.g. 'python my_launcher.py' (default: the one next to this Python)"
    )
    args = parser.parse_args(argv)
    if args.posts < 1 or args.revisions < 1 or args.repeat < 1 or args.rounds < 1:
        parser.error("--posts, --revisions, --repeat and --rounds must be at least 1")
    return args


def _count_html(output: Path) -> int:
    return sum(1 for _ in output.rglob("*.html")) if output.is_dir() else 0


def _print_profile(title: str, profiler: cProfile.Profile, sort: str, limit: int) -> None:
    print()
    print(f"{title}, top {limit} by {sort}:")
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats(sort).print_stats(limit)
    print(stream.getvalue().strip())


def _print_table(steps: list[Step], n: int) -> None:
    baseline = steps[0].best.result.seconds
    print(
        f"{'step':<52}{'s':>8}{'ms/post':>9}{'ratio':>8}{'cpu s':>7}{'rev s':>7}{'written':>9}{'unchanged':>10}"
        f"{'hits':>7}{'misses':>7}{'HTML':>8}"
    )
    for step in steps:
        best = step.best
        seconds = best.result.seconds
        rendered, pages = best.log.rendered, best.log.pages
        context = f"{rendered[2]:.2f}" if rendered else "-"
        hits, misses = (str(rendered[3]), str(rendered[4])) if rendered else ("-", "-")
        written, unchanged = (str(pages[0]), str(pages[1])) if pages else ("-", "-")
        print(
            f"({step.label}) {step.description:<48}{seconds:>8.2f}{1000 * seconds / n:>9.2f}{seconds / baseline:>7.2f}x"
            f"{best.cpu:>7.2f}{context:>7}{written:>9}{unchanged:>10}{hits:>7}{misses:>7}{best.html_total:>8}"
        )
    print("s: wall clock (best run); cpu s: that run's CPU time in this process (the build's git calls not included);")
    print("rev s: seconds the revisions generator logs for reading history and rendering revisions (generate_context);")
    print("written/unchanged: revision pages; hits/misses: revision cache; HTML: *.html files in the output folder.")
    if len(steps[0].runs) > 1:
        for step in steps:
            print(f"  ({step.label}) all runs: {', '.join(f'{run.result.seconds:.2f}' for run in step.runs)} s")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("git") is None:
        print("revisions_speed: the git command is required", file=sys.stderr)
        return 2
    if args.cli:
        return cli_main(args)
    warm_imports()
    from pelican.plugins.palimpsest.revisions.cache import pipeline_fingerprint  # and htmldiff, history

    t0 = time.perf_counter()
    fingerprint = pipeline_fingerprint()
    fingerprint_ms = 1000 * (time.perf_counter() - t0)

    with contextlib.ExitStack() as stack:
        work = work_folder(stack, args.keep, "palimpsest-revisions-bench-", "revisions_speed")
        if work is None:
            return 2

        site = work / "jekyll-site"
        t0 = time.perf_counter()
        posts = make_posts(args.posts, args.seed)
        write_jekyll_site(site, posts)
        generated = time.perf_counter() - t0
        t0 = time.perf_counter()
        commits = make_history(site, posts, args.revisions, args.seed)
        history_seconds = time.perf_counter() - t0
        print(
            f"Generated {len(posts)} posts in {generated:.2f} s under {work}; "
            f"{args.revisions} revision(s) each in {history_seconds:.2f} s (commits {', '.join(commits)})"
        )

        state = package_state()
        outputs = work / "output"
        steps = [
            Step("a", "no revisions (feature off), fresh output"),
            Step("b", "revisions, cold (fresh output, no cache)"),
            Step("c", "revisions, nothing changed (same output)"),
            Step("d", "revisions, 1 post edited + committed"),
        ]
        number = args.revisions  # the last revision's number; (d) adds one each run
        for repeat in range(1, args.repeat + 1):
            baseline_out, revisions_out = outputs / f"no-revisions-{repeat}", outputs / f"revisions-{repeat}"
            for step, output, with_revisions in zip(
                steps[:3], (baseline_out, revisions_out, revisions_out), (False, True, True), strict=True
            ):
                step.runs.append(build(site, output, with_revisions, args))
                _report_problems(f"({step.label}) run {repeat}", step.runs[-1].result)
            number += 1
            commit = change_one_post(site, posts[(len(posts) // 2 + repeat - 1) % len(posts)], number, args.seed)
            steps[3].runs.append(build(site, revisions_out, True, args))
            _report_problems(f"(d) run {repeat} ({commit})", steps[3].runs[-1].result)
            if not args.keep:
                shutil.rmtree(baseline_out, ignore_errors=True)
                if repeat < args.repeat or not args.profile:
                    shutil.rmtree(revisions_out, ignore_errors=True)

        edited = package_state() != state
        n = len(posts)
        print()
        print(
            f"Python {platform.python_version()} ({platform.python_implementation()}), "
            f"Pelican {_version('pelican')}, markdown-it-py {_version('markdown-it-py')}, git {git(site, 'version').split()[-1]}; "
            f"palimpsest {_revision()} (files {state}, pipeline fingerprint {fingerprint}, {fingerprint_ms:.0f} ms); theme {args.theme}; "
            f"search {'on' if args.search else 'off'}"
        )
        runs = "one run per step" if args.repeat == 1 else f"best of {args.repeat} runs per step"
        print(f"N = {n} posts x {args.revisions} revisions; {runs}; ratios are to (a)")
        _print_table(steps, n)
        a, b, c, d = (step.best.result.seconds for step in steps)
        print(
            f"cold/unchanged: {b / c:.2f}x; revisions add {b - a:.2f} s cold, {c - a:.2f} s unchanged, {d - a:.2f} s with one post changed"
        )
        if any(run.result.failure for step in steps for run in step.runs):
            print("FAILED builds: see the errors above")
        if edited:
            print(
                "WARNING: the library's files changed on disk during the run; the code was imported once, "
                "but templates are read per build: 'written' counts may include template edits",
                file=sys.stderr,
            )

        for kind in args.profile:
            profiler = cProfile.Profile()
            if kind == "cold":
                output = outputs / "profile-cold"
                shutil.rmtree(output, ignore_errors=True)
            else:
                output = revisions_out
                if kind == "changed":
                    number += 1
                    change_one_post(site, posts[len(posts) // 3], number, args.seed)
            run = build(site, output, True, args, profiler)
            pages = run.log.pages
            _print_profile(
                f"cProfile of a {kind} build with revisions ({run.result.seconds:.2f} s with profiling; "
                f"revision pages {pages[0] if pages else '?'} written, {pages[1] if pages else '?'} unchanged)",
                profiler,
                args.profile_sort,
                args.profile_limit,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
