"""Build-speed benchmark: the palimpsest pipeline against stock Pelican.

Generates N Jekyll-style posts (mixed Chinese / French / English, kramdown
notices, GFM tables, code blocks) and builds them twice in one process:

* **palimpsest**: the settings ``palimpsest build`` derives from ``_config.yml``
  (``settings_from_jekyll``) with the ``pelican.plugins.palimpsest`` plugin;
* **stock**: the same posts rewritten with Pelican's own ``Key: value`` header
  lines, read by Pelican's Python-Markdown reader, no plugins.

Both builds use Pelican's built-in ``simple`` theme, no feeds, the same
pagination and the same article URLs, so the difference is the cost of the
Markdown pipeline, not of the theme.  Each run writes into a fresh output
folder; the best wall-clock time of ``--repeat`` runs is reported.

Usage::

    python benchmarks/build_speed.py --posts 1000 [--repeat 3] [--keep DIR] [--profile]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import io
import json
import logging
import platform
import pstats
import random
import shutil
import subprocess
import sys
import tempfile
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

# --------------------------------------------------------------------------
# Vocabulary (written for this benchmark; deliberately small and plain)
# --------------------------------------------------------------------------

CHINESE_WORDS: tuple[str, ...] = (
    "我们",
    "今天",
    "时间",
    "问题",
    "工作",
    "生活",
    "学习",
    "朋友",
    "城市",
    "天气",
    "文件",
    "申请",
    "材料",
    "办法",
    "记录",
    "经验",
    "方法",
    "系统",
    "网站",
    "页面",
    "文章",
    "内容",
    "图片",
    "代码",
    "数据",
    "程序",
    "设置",
    "结果",
    "需要",
    "可以",
    "已经",
    "因为",
    "所以",
    "但是",
    "如果",
    "然后",
    "最后",
    "开始",
    "结束",
    "准备",
    "简单",
    "重要",
    "一般",
    "比较",
    "非常",
    "应该",
    "可能",
    "不过",
    "其实",
    "还是",
    "的",
    "了",
    "在",
    "是",
    "有",
    "和",
    "也",
    "都",
    "就",
    "很",
    "这",
    "那",
    "一个",
    "周末",
    "火车",
    "咖啡",
    "面包",
    "市场",
    "银行",
    "邮局",
    "地址",
    "日期",
    "表格",
    "续签",
    "居留",
    "预约",
    "排队",
    "手续",
    "官方",
    "说明",
    "版本",
    "更新",
    "目录",
)
CHINESE_CLAUSE_END: tuple[str, ...] = ("，", "，", "；", "、")
CHINESE_SENTENCE_END: tuple[str, ...] = ("。", "。", "。", "！", "？")

LATIN_WORDS: tuple[str, ...] = (
    # English
    "the",
    "a",
    "site",
    "build",
    "page",
    "post",
    "we",
    "notes",
    "simple",
    "file",
    "with",
    "without",
    "every",
    "each",
    "before",
    "after",
    "quickly",
    "slowly",
    "render",
    "theme",
    "layout",
    "reader",
    "output",
    "folder",
    "small",
    "large",
    "kept",
    "written",
    "checked",
    "again",
    "still",
    "perhaps",
    "usually",
    "here",
    # French
    "le",
    "la",
    "les",
    "un",
    "une",
    "des",
    "avec",
    "sans",
    "pour",
    "dans",
    "chez",
    "rendez-vous",
    "préfecture",
    "dossier",
    "titre",
    "séjour",
    "gare",
    "marché",
    "boulangerie",
    "semaine",
    "demain",
    "hier",
    "toujours",
    "déjà",
    "très",
    "peu",
    "écrire",
    "lire",
    "attendre",
    "envoyer",
    "vérifier",
    "ça",
    "été",
    "où",
    "là",
)
PROPER_NOUNS: tuple[str, ...] = (
    "Pelican",
    "Jekyll",
    "Python",
    "Lyon",
    "Paris",
    "ANEF",
    "GitHub",
    "Markdown",
    "kramdown",
    "Liquid",
    "Marseille",
    "SNCF",
    "CAF",
    "Ubuntu",
)
TAGS: tuple[str, ...] = (
    "python",
    "jekyll",
    "pelican",
    "voyage",
    "paperasse",
    "cuisine",
    "notes",
    "linux",
    "markdown",
    "生活",
    "工作",
    "读书",
    "法国",
    "编程",
)
SLUG_WORDS: tuple[str, ...] = (
    "notes",
    "on",
    "a",
    "weekend",
    "in",
    "lyon",
    "titre",
    "de",
    "sejour",
    "build",
    "pelican",
    "jekyll",
    "tables",
    "markdown",
    "cafe",
    "train",
    "renouvellement",
    "timbre",
    "fiscal",
    "morning",
    "market",
    "reading",
    "list",
    "small",
    "fixes",
)
CODE_SNIPPETS: tuple[tuple[str, str], ...] = (
    (
        "python",
        'def renew(card: str, days: int = 60) -> bool:\n    """Whether to renew now."""\n'
        "    remaining = expiry(card) - today()\n    return remaining.days <= days\n",
    ),
    ("ruby", 'site.posts.each do |post|\n  puts "#{post.date} #{post.title}"\nend\n'),
    ("yaml", "kramdown:\n  input: GFM\n  auto_ids: true\nurl: https://example.org\n"),
    ("bash", "pip install pelican\npelican content -o output -s pelicanconf.py\nls output | wc -l\n"),
    ("", "plain text block\n    indented line\nlast line\n"),
)
NOTICE_CLASSES: tuple[str, ...] = ("notice", "notice--info", "notice--warning", "notice--success")
INLINE_CODE: tuple[str, ...] = ("pelican build", "_config.yml", "git status", "read()", "--output", "UTF-8")


# --------------------------------------------------------------------------
# Deterministic post generation
# --------------------------------------------------------------------------


@dataclass
class Post:
    """One generated post, independent of either on-disk format."""

    index: int
    day: date
    slug: str
    title: str
    tags: list[str]
    modified: datetime | None
    body: str
    size: int  # Latin words + CJK characters in the body text

    @property
    def filename(self) -> str:
        return f"{self.day.isoformat()}-{self.slug}.md"


@dataclass
class _Writer:
    """Accumulates Markdown blocks and counts the text they hold."""

    rng: random.Random
    blocks: list[str] = field(default_factory=list)
    size: int = 0

    def chinese_sentence(self) -> str:
        clauses = []
        for _ in range(self.rng.randint(1, 3)):
            words = [self.rng.choice(CHINESE_WORDS) for _ in range(self.rng.randint(3, 8))]
            if self.rng.random() < 0.3:  # a Latin word inside Chinese text, spaced as people write it
                words.insert(self.rng.randrange(len(words) + 1), f" {self.rng.choice(PROPER_NOUNS)} ")
                self.size += 1
            clause = "".join(words)
            self.size += sum(1 for char in clause if "\u4e00" <= char <= "\u9fff")
            clauses.append(clause.strip())
        return "".join(c + self.rng.choice(CHINESE_CLAUSE_END) for c in clauses[:-1]) + clauses[-1] + self.rng.choice(CHINESE_SENTENCE_END)

    def latin_sentence(self) -> str:
        words = [self.rng.choice(LATIN_WORDS) for _ in range(self.rng.randint(5, 14))]
        if self.rng.random() < 0.4:
            words.insert(self.rng.randrange(len(words) + 1), self.rng.choice(PROPER_NOUNS))
        if self.rng.random() < 0.2:
            i = self.rng.randrange(len(words))
            words[i] = f"*{words[i]}*" if self.rng.random() < 0.5 else f"**{words[i]}**"
        self.size += len(words)
        return " ".join(words).capitalize() + self.rng.choice((".", ".", ".", "!", " ?" if self.rng.random() < 0.5 else "?"))

    def sentence(self) -> str:
        return self.chinese_sentence() if self.rng.random() < 0.55 else self.latin_sentence()

    def paragraph(self, sentences: tuple[int, int] = (2, 5)) -> str:
        parts = [self.sentence() for _ in range(self.rng.randint(*sentences))]
        if self.rng.random() < 0.35:
            parts.insert(self.rng.randrange(len(parts) + 1), f"Voir `{self.rng.choice(INLINE_CODE)}`.")
            self.size += 2
        if self.rng.random() < 0.35:
            number = self.rng.randint(1, 999)
            parts.insert(self.rng.randrange(len(parts) + 1), f"详见[官方说明](https://example.org/docs/{number}/)。")
            self.size += 6
        text = parts[0]
        for part in parts[1:]:  # Chinese runs on without spaces; a Latin sentence ends with one
            text += ("" if text[-1] in "。！？" and self.rng.random() < 0.7 else " ") + part
        return text

    def heading(self, level: int) -> str:
        text = self.sentence().rstrip("。！？.!? ")
        return "#" * level + " " + text[:40].strip()

    def bullet_list(self) -> str:
        ordered = self.rng.random() < 0.4
        items = [self.sentence() for _ in range(self.rng.randint(2, 6))]
        if self.rng.random() < 0.3:
            items[0] += f" `{self.rng.choice(INLINE_CODE)}`"
        return "\n".join(f"{n}. {item}" if ordered else f"- {item}" for n, item in enumerate(items, start=1))

    def notice(self) -> str:
        return self.paragraph((1, 2)) + "\n{: ." + self.rng.choice(NOTICE_CLASSES) + "}"

    def table(self) -> str:
        columns = self.rng.randint(2, 4)
        header = [self.rng.choice(CHINESE_WORDS + LATIN_WORDS).capitalize() for _ in range(columns)]
        aligns = [self.rng.choice(("---", ":---", ":---:", "---:")) for _ in range(columns)]
        rows = []
        for _ in range(self.rng.randint(2, 5)):
            cells = [
                ""
                if self.rng.random() < 0.15
                else self.rng.choice((self.rng.choice(CHINESE_WORDS), self.rng.choice(LATIN_WORDS), str(self.rng.randint(1, 99))))
                for _ in range(columns)
            ]
            rows.append(cells)
        self.size += columns * (len(rows) + 1)
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join(aligns) + "|"]
        lines += ["| " + " | ".join(cells) + " |" for cells in rows]
        return "\n".join(lines)

    def code_block(self) -> str:
        language, code = self.rng.choice(CODE_SNIPPETS)
        return f"```{language}\n{code}```"


def make_post(index: int, rng: random.Random, start: date) -> Post:
    """One post of about 400-900 words/characters, with every construct in the brief."""
    day = start + timedelta(days=index // 2)  # two posts a day; the index keeps slugs unique
    slug = "-".join(rng.choice(SLUG_WORDS) for _ in range(rng.randint(2, 4))) + f"-{index}"
    writer = _Writer(rng)
    title_sentence = writer.sentence().rstrip("。！？.!? ")
    title = f"{title_sentence[:48].strip()} {index}"
    tags = sorted(set(rng.sample(TAGS, rng.randint(1, 4))))
    modified = None
    if rng.random() < 0.3:
        modified = datetime(day.year, day.month, day.day, 9, 30) + timedelta(days=rng.randint(1, 90), minutes=rng.randint(0, 600))
    target = rng.randint(380, 780)  # blocks overshoot the target a little; lands at ~400-900

    writer.blocks.append(writer.paragraph())
    if rng.random() < 0.4:
        writer.blocks.append(writer.notice())
    extras = ["table"] * (rng.random() < 0.35) + ["code"] * (rng.random() < 0.3)
    while writer.size < target:
        writer.blocks.append(writer.heading(rng.choice((2, 2, 3))))
        for _ in range(rng.randint(1, 3)):
            writer.blocks.append(writer.paragraph())
        kind = extras.pop() if extras and rng.random() < 0.6 else rng.choice(("list", "para", "para", "notice"))
        if kind == "table":
            writer.blocks.append(writer.table())
        elif kind == "code":
            writer.blocks.append(writer.code_block())
        elif kind == "list":
            writer.blocks.append(writer.bullet_list())
        elif kind == "notice":
            writer.blocks.append(writer.notice())
    for kind in extras:  # short posts still get what they drew
        writer.blocks.append(writer.table() if kind == "table" else writer.code_block())
    return Post(index, day, slug, title, tags, modified, "\n\n".join(writer.blocks) + "\n", writer.size)


def make_posts(count: int, seed: int) -> list[Post]:
    rng = random.Random(seed)
    return [make_post(index, rng, date(2015, 1, 1)) for index in range(count)]


# --------------------------------------------------------------------------
# The two on-disk formats
# --------------------------------------------------------------------------

SITE_TITLE = "Build speed benchmark"
SITE_URL = "https://bench.example.org"
SITE_AUTHOR = "Bench Writer"
JEKYLL_CONFIG = f"""\
title: "{SITE_TITLE}"
url: "{SITE_URL}"
author: "{SITE_AUTHOR}"
baseurl: ""
permalink: /:year/:month/:day/:title/
markdown: kramdown
kramdown:
  input: GFM
  hard_wrap: false
  auto_ids: true
"""


def _yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def write_jekyll_site(root: Path, posts: list[Post]) -> None:
    """``_config.yml`` plus ``_posts/`` with YAML front matter."""
    (root / "_posts").mkdir(parents=True)
    (root / "_config.yml").write_text(JEKYLL_CONFIG, encoding="utf-8")
    for post in posts:
        front = [f"title: {_yaml_string(post.title)}", "tags:"] + [f"  - {_yaml_string(tag)}" for tag in post.tags]
        if post.modified is not None:
            front.append(f"last_modified_at: {post.modified:%Y-%m-%d %H:%M:%S} +00:00")
        text = "---\n" + "\n".join(front) + "\n---\n\n" + post.body
        (root / "_posts" / post.filename).write_text(text, encoding="utf-8")


def write_pelican_site(root: Path, posts: list[Post]) -> None:
    """The same posts with Pelican's ``Key: value`` header lines (Python-Markdown's meta extension)."""
    (root / "_posts").mkdir(parents=True)
    for post in posts:
        header = [
            f"Title: {post.title}",
            f"Date: {post.day.isoformat()}",
            f"Slug: {post.slug}",
            f"Tags: {', '.join(post.tags)}",
        ]
        if post.modified is not None:
            header.append(f"Modified: {post.modified:%Y-%m-%d %H:%M:%S}")
        (root / "_posts" / post.filename).write_text("\n".join(header) + "\n\n" + post.body, encoding="utf-8")


# --------------------------------------------------------------------------
# Settings: built fresh for every run, since Pelican mutates them
# --------------------------------------------------------------------------

# Applied to both builds so they produce the same pages with the same theme.
COMMON: dict[str, Any] = {
    "THEME": "simple",
    "SITENAME": SITE_TITLE,
    "SITEURL": SITE_URL,
    "AUTHOR": SITE_AUTHOR,
    "TIMEZONE": "UTC",
    "DEFAULT_LANG": "en",
    "DEFAULT_PAGINATION": 10,
    "RELATIVE_URLS": False,
    "DELETE_OUTPUT_DIRECTORY": False,
    "CACHE_CONTENT": False,
    "LOAD_CONTENT_CACHE": False,
    **{
        name: None
        for name in (
            "FEED_ATOM",
            "FEED_RSS",
            "FEED_ALL_ATOM",
            "FEED_ALL_RSS",
            "CATEGORY_FEED_ATOM",
            "CATEGORY_FEED_RSS",
            "AUTHOR_FEED_ATOM",
            "AUTHOR_FEED_RSS",
            "TAG_FEED_ATOM",
            "TAG_FEED_RSS",
            "TRANSLATION_FEED_ATOM",
            "TRANSLATION_FEED_RSS",
        )
    },
}


# Site-wide outputs the plugin adds that stock Pelican has no counterpart for
# (and "simple" has no template for); off, so both builds write the same files.
# Per-document enhancements (notices, update callouts, ...) stay on: they are
# part of the pipeline being measured.
PALIMPSEST_EXTRAS_OFF: dict[str, Any] = {
    "PALIMPSEST_RECENT_UPDATES": False,
    "PALIMPSEST_SITEMAP": False,
    "PALIMPSEST_FEATURES": {"search": False},  # Pagefind indexes the whole output; stock has no search
}


def palimpsest_settings(site_root: Path, output: Path) -> dict[str, Any]:
    """What ``palimpsest build`` (cli.command_build) uses, with the common overrides on top."""
    from pelican.settings import read_settings

    from pelican.plugins.palimpsest.jekyll.site import JekyllSite
    from pelican.plugins.palimpsest.settings import settings_from_jekyll

    overrides = settings_from_jekyll(JekyllSite.load(site_root), output)
    overrides.update(COMMON)
    overrides.update(PALIMPSEST_EXTRAS_OFF)
    overrides["PLUGINS"] = ["pelican.plugins.palimpsest"]
    return read_settings(None, override=overrides)


def stock_settings(site_root: Path, output: Path) -> dict[str, Any]:
    """Pelican's defaults (Python-Markdown reader, no plugins), laid out like the Jekyll build."""
    from pelican.readers import MarkdownReader
    from pelican.settings import read_settings

    overrides = {
        **COMMON,
        "PATH": str(site_root),
        "OUTPUT_PATH": str(output),
        "ARTICLE_PATHS": ["_posts"],
        "PAGE_PATHS": ["_pages"],
        "STATIC_PATHS": [],
        "PLUGINS": [],
        # Pelican registers every imported BaseReader subclass with enabled = True,
        # so once the palimpsest reader module is imported (by the other build)
        # its JekyllReader would take .md files here too: name the stock reader.
        "READERS": {extension: MarkdownReader for extension in MarkdownReader.file_extensions},
        # /:year/:month/:day/:title/, as the Jekyll permalink gives
        "ARTICLE_URL": "{date:%Y}/{date:%m}/{date:%d}/{slug}/",
        "ARTICLE_SAVE_AS": "{date:%Y}/{date:%m}/{date:%d}/{slug}/index.html",
    }
    return read_settings(None, override=overrides)


# --------------------------------------------------------------------------
# Running one build in isolation
# --------------------------------------------------------------------------


def reset_palimpsest_caches() -> None:
    """Forget what an earlier run cached, so every run starts as a fresh ``palimpsest build``."""
    from pelican.plugins.palimpsest import kramdown, reader

    # Private names, so looked up defensively: the library is young and they move.
    sites = getattr(reader, "_SITES", None)
    if isinstance(sites, dict):
        sites.clear()  # the JekyllSite (and its Liquid environment) per content folder
    parser_cache = getattr(getattr(kramdown, "create_parser", None), "cache_clear", None)
    if parser_cache is not None:
        parser_cache()  # the markdown-it parser per kramdown options


class _Collector(logging.Handler):
    """Keeps warnings and errors instead of printing them; counted in the report."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def isolated_pelican() -> Iterator[_Collector]:
    """Undo the global state a build leaves behind: signal receivers plugins
    connect (they would otherwise leak into the next, stock build), logging
    filters they add, and Pelican's "Done: ..." line on stdout."""
    from pelican.plugins import signals

    named = [value for value in vars(signals).values() if hasattr(value, "receivers") and hasattr(value, "disconnect")]
    before = {id(sig): set(sig.receivers) for sig in named}
    readers_logger = logging.getLogger("pelican.readers")
    filters = list(readers_logger.filters)
    root = logging.getLogger()
    collector = _Collector()
    root.addHandler(collector)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield collector
    finally:
        root.removeHandler(collector)
        readers_logger.filters[:] = filters
        for sig in named:
            for key in set(sig.receivers) - before[id(sig)]:
                ref = sig.receivers[key]
                receiver = ref() if isinstance(ref, weakref.ref) else ref  # blinker keeps weak refs by default
                if receiver is not None:
                    sig.disconnect(receiver)


@dataclass
class BuildResult:
    seconds: float
    html_files: set[str]
    warnings: list[str]
    errors: list[str]
    failure: str | None = None  # the exception that stopped the build, if any


def run_build(make_settings: Callable[[], dict[str, Any]], output: Path, profiler: cProfile.Profile | None = None) -> BuildResult:
    """Build once into *output* (which must not exist) and time it, settings included."""
    from pelican import Pelican

    with isolated_pelican() as log:
        failure = None
        start = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        try:
            Pelican(make_settings()).run()
        except Exception as err:  # reported, not raised: the other pipeline's figures still matter
            failure = f"{type(err).__name__}: {err}"
        finally:
            if profiler is not None:
                profiler.disable()
        seconds = time.perf_counter() - start
    html = {str(p.relative_to(output)) for p in output.rglob("*.html")} if output.is_dir() else set()
    warnings = [r.getMessage() for r in log.records if r.levelno < logging.ERROR]
    errors = [r.getMessage() for r in log.records if r.levelno >= logging.ERROR]
    return BuildResult(seconds, html, warnings, errors, failure)


def warm_imports() -> None:
    """Import both pipelines before timing, so the first run is not charged for imports."""
    import markdown  # noqa: F401
    import pelican.readers
    from markdown.extensions import codehilite, extra, meta  # noqa: F401

    import pelican
    import pelican.plugins.palimpsest
    import pelican.plugins.palimpsest.reader  # noqa: F401


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000, help="number of posts to generate (default: 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per pipeline; the best is reported (default: 3)")
    parser.add_argument("--seed", type=int, default=20240218, help="random seed for the generated posts")
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR (must be empty or absent) and keep sites and outputs")
    parser.add_argument("--profile", action="store_true", help="also run cProfile on one palimpsest build")
    parser.add_argument(
        "--profile-sort", default="cumulative", choices=("cumulative", "tottime"), help="pstats order (default: cumulative)"
    )
    parser.add_argument("--profile-limit", type=int, default=25, help="functions to print (default: 25)")
    args = parser.parse_args(argv)
    if args.posts < 1 or args.repeat < 1:
        parser.error("--posts and --repeat must be at least 1")
    return args


def _report_problems(name: str, result: BuildResult) -> None:
    if result.failure:
        print(f"  {name}: BUILD FAILED: {result.failure}", file=sys.stderr)
    if result.errors:
        print(f"  {name}: {len(result.errors)} error(s), first: {result.errors[0]}", file=sys.stderr)
    if result.warnings:
        print(f"  {name}: {len(result.warnings)} warning(s), first: {result.warnings[0]}", file=sys.stderr)


def work_folder(stack: contextlib.ExitStack, keep: str | None, prefix: str, program: str) -> Path | None:
    """Where a benchmark generates its sites: ``--keep DIR`` (empty or absent, kept afterwards), else a
    temporary folder removed when *stack* closes; None, said on stderr, when DIR is not empty."""
    if not keep:
        return Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=prefix)))
    work = Path(keep).resolve()
    if work.exists() and any(work.iterdir()):
        print(f"{program}: {work} is not empty", file=sys.stderr)
        return None
    work.mkdir(parents=True, exist_ok=True)
    return work


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    warm_imports()
    with contextlib.ExitStack() as stack:
        work = work_folder(stack, args.keep, "palimpsest-bench-", "build_speed")
        if work is None:
            return 2

        t0 = time.perf_counter()
        posts = make_posts(args.posts, args.seed)
        jekyll_root, stock_root = work / "jekyll-site", work / "pelican-site"
        write_jekyll_site(jekyll_root, posts)
        write_pelican_site(stock_root, posts)
        sizes = [post.size for post in posts]
        print(
            f"Generated {len(posts)} posts in {time.perf_counter() - t0:.2f} s "
            f"({min(sizes)}-{max(sizes)} words/characters, mean {sum(sizes) / len(sizes):.0f}) under {work}"
        )

        pipelines: dict[str, tuple[Path, Callable[[Path], dict[str, Any]]]] = {
            "palimpsest": (jekyll_root, lambda out: palimpsest_settings(jekyll_root, out)),
            "stock": (stock_root, lambda out: stock_settings(stock_root, out)),
        }
        best: dict[str, BuildResult] = {}
        times: dict[str, list[float]] = {name: [] for name in pipelines}
        for run in range(1, args.repeat + 1):
            for name, (_, settings_for) in pipelines.items():
                if name == "palimpsest":
                    reset_palimpsest_caches()
                output = work / "output" / f"{name}-{run}"
                result = run_build(functools.partial(settings_for, output), output)
                times[name].append(result.seconds)
                if name not in best or result.seconds < best[name].seconds:
                    best[name] = result
                _report_problems(f"{name} run {run}", result)
                if not args.keep:
                    shutil.rmtree(output, ignore_errors=True)

        n = len(posts)
        print()
        print(
            f"Python {platform.python_version()} ({platform.python_implementation()}), "
            f"Pelican {_version('pelican')}, Python-Markdown {_version('markdown')}, "
            f"markdown-it-py {_version('markdown-it-py')}; palimpsest {_revision()}"
        )
        print(f"N = {n} posts, best of {args.repeat} runs")
        print(f"{'pipeline':<12}{'best s':>9}{'ms/doc':>9}{'all runs (s)':>26}{'HTML files':>12}")
        for name, result in best.items():
            runs = ", ".join(f"{t:.2f}" for t in times[name])
            print(f"{name:<12}{result.seconds:>9.2f}{1000 * result.seconds / n:>9.2f}{runs:>26}{len(result.html_files):>12}")
        failed = [name for name, result in best.items() if result.failure]
        if failed:
            print(f"FAILED builds: {', '.join(failed)}; no ratio (see the errors above)")
        else:
            ratio = best["palimpsest"].seconds / best["stock"].seconds
            print(f"ratio palimpsest/stock: {ratio:.2f}x")
        same = best["palimpsest"].html_files == best["stock"].html_files
        print(f"same set of HTML paths: {'yes' if same else 'NO'}")
        if not same:
            only_p = sorted(best["palimpsest"].html_files - best["stock"].html_files)
            only_s = sorted(best["stock"].html_files - best["palimpsest"].html_files)
            print(f"  only palimpsest ({len(only_p)}): {only_p[:5]}")
            print(f"  only stock ({len(only_s)}): {only_s[:5]}")

        if args.profile:
            reset_palimpsest_caches()
            profiler = cProfile.Profile()
            output = work / "output" / "palimpsest-profile"
            result = run_build(lambda: palimpsest_settings(jekyll_root, output), output, profiler)
            print()
            print(
                f"cProfile of one palimpsest build ({result.seconds:.2f} s with profiling), "
                f"top {args.profile_limit} by {args.profile_sort}:"
            )
            stream = io.StringIO()
            stats = pstats.Stats(profiler, stream=stream)
            stats.strip_dirs().sort_stats(args.profile_sort).print_stats(args.profile_limit)
            print(stream.getvalue().strip())
            if not args.keep:
                shutil.rmtree(output, ignore_errors=True)
    return 0


def _revision() -> str:
    """The project's git commit (and whether the tree is dirty): the library changes often."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "plugins"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "(no git)"
    return head + ("+dirty" if dirty else "")


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
