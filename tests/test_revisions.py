"""Archived revisions from git history: reading it, building the pages, the
cache, the pytest pinning plugin, shallow clones and no git at all."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pelican.plugins.palimpsest.cli import main
from pelican.plugins.palimpsest.revisions.history import read_history, repository_root

from .conftest import CORPUS, needs_corpus
from .gitrepo import commit, init, move

SNAPSHOTS = Path(__file__).parent / "fixtures" / "history"
CONFIG = "title: Fixture blog\nurl: https://fixture.example\npermalink: /:year/:month/:day/:title/\nkramdown:\n  input: GFM\n"
POST_V1 = "---\ntitle: Renouveler\n---\n\n申请居留的第一步是预约。\n\n| 步骤 | 时间 |\n|---|---|\n| 预约 | 一周 |\n"
POST_V2 = POST_V1 + "\n2022 年 2 月 14 日更新：现在可以在网上申请。\n{: .notice--info}\n"
POST_V3 = POST_V2.replace("| 预约 | 一周 |", "| 预约 | 两周 |\n| 取卡 | 一天 |")
POST_V4 = POST_V3.replace("title: Renouveler", "title: Renouveler\nlast_modified_at: 2022-03-01")


@pytest.fixture(scope="module")
def fixture_blog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four revisions of one post (one of them a rename, one invisible) and one of another."""
    repo = init(tmp_path_factory.mktemp("blog") / "blog")
    commit(repo, {"_config.yml": CONFIG, "_posts/2022-01-10-renew.md": POST_V1}, "First draft", "2022-01-10T10:00:00+01:00")
    commit(repo, {"_posts/2022-01-10-renew.md": POST_V2}, "Add the online update", "2022-02-14T18:30:00+01:00")
    move(repo, "_posts/2022-01-10-renew.md", "_posts/2022-01-10-renouveler.md", "Rename the post", "2022-02-15T09:00:00+01:00")
    commit(repo, {"_posts/2022-01-10-renouveler.md": POST_V3}, "Update the table", "2022-02-20T12:00:00+01:00")
    commit(repo, {"_posts/2022-01-10-renouveler.md": POST_V4}, "Only front matter", "2022-03-01T08:00:00+01:00")
    commit(repo, {"_posts/2022-03-05-other.md": "---\ntitle: Other\n---\n\nAnother post.\n"}, "Another post", "2022-03-05T08:00:00+01:00")
    return repo


@pytest.fixture(scope="module")
def built(fixture_blog: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("out") / "site"
    assert main(["build", str(fixture_blog), "-o", str(output)]) == 0
    return output


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_history_follows_renames_newest_first(fixture_blog: Path) -> None:
    post = fixture_blog / "_posts" / "2022-01-10-renouveler.md"
    revisions = read_history(repository_root(fixture_blog), [post])[post]
    assert [r.message for r in revisions] == [
        "Only front matter",
        "Update the table",
        "Rename the post",
        "Add the online update",
        "First draft",
    ]
    assert [r.path for r in revisions][-1] == "_posts/2022-01-10-renew.md"
    assert revisions[-1].date.isoformat() == "2022-01-10T10:00:00+01:00"


def test_first_commit_dates_follow_renames_with_one_git_log(fixture_blog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An undated document's date: its file's first commit, renames followed back, as ``git log --follow``
    gives it for each file, from one ``git log`` for them all."""
    from pelican.plugins.palimpsest.revisions import history

    files = [*sorted((fixture_blog / "_posts").iterdir()), fixture_blog / "_config.yml"]
    expected = {}
    for path in files:
        relative = path.relative_to(fixture_blog).as_posix()
        arguments = ["log", "--diff-filter=A", "--follow", "--format=%aI", "--", relative]
        follow = subprocess.run(["git", "-C", str(fixture_blog), *arguments], capture_output=True, text=True, check=True).stdout.split()
        expected[path.name] = follow[-1]
    assert expected["2022-01-10-renouveler.md"] == "2022-01-10T10:00:00+01:00"  # added as renew.md, renamed later

    calls: list[tuple[str, ...]] = []
    real_git = history._git

    def counting_git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
        calls.append(args)
        return real_git(root, *args, stdin=stdin)

    monkeypatch.setattr(history, "_git", counting_git)
    monkeypatch.setattr(history, "_FIRST_ADDED", {})
    found = {path.name: history.first_commit_date(path) for path in files}
    assert {name: date.isoformat() for name, date in found.items() if date} == expected
    assert [args[0] for args in calls].count("log") == 1
    assert history.first_commit_date(fixture_blog / "_posts" / "not-committed.md") is None


def test_history_command(fixture_blog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", str(fixture_blog / "_posts" / "2022-01-10-renouveler.md")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5 and lines[-1].startswith("2022-01-10T10:00:00+01:00") and lines[-1].endswith("First draft")


def test_history_page_lists_every_revision(built: Path) -> None:
    page = soup(built / "2022" / "01" / "10" / "renouveler" / "history" / "index.html")
    entries = page.select(".history__entry")
    assert entries[0].select_one(".history__message").text == "Only front matter"
    assert len(entries) == 5
    first = entries[-1]
    assert first.select_one("a[href$='/compare/']") is not None and first.select_one("a[href$='/diff/']") is None
    assert "No visible change" in entries[0].select_one(".history__summary").text
    assert "1 update(s) added" in entries[3].select_one(".history__summary").text
    assert "tables changed" in entries[1].select_one(".history__summary").text


def test_revision_pages(built: Path) -> None:
    history = built / "2022" / "01" / "10" / "renouveler" / "history"
    revisions = sorted(p for p in history.iterdir() if p.is_dir())
    assert len(revisions) == 5
    first = soup(revisions[0] / "index.html")
    assert first.find("link", rel="canonical")["href"] == "https://fixture.example/2022/01/10/renouveler/"
    assert first.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    body = first.select_one(".page__content").get_text()
    assert "申请居留的第一步是预约" in body and "现在可以在网上申请" not in body
    assert sum((r / "diff" / "index.html").is_file() for r in revisions) == 4
    assert all((r / "compare" / "index.html").is_file() for r in revisions)


def test_diff_pages_mark_changes(built: Path) -> None:
    history = built / "2022" / "01" / "10" / "renouveler" / "history"
    table_change = soup(next(history.glob("2022-02-20-*")) / "diff" / "index.html")
    assert table_change.select_one(".page__content table") is not None
    assert "两" in "".join(t.get_text() for t in table_change.select("ins"))
    invisible = soup(next(history.glob("2022-03-01-*")) / "diff" / "index.html")
    assert invisible.select_one(".diff-none") is not None


def test_current_page_links_to_its_history(built: Path) -> None:
    page = soup(built / "2022" / "01" / "10" / "renouveler" / "index.html")
    link = page.select_one(".page__history a")
    assert link["href"].endswith("/2022/01/10/renouveler/history/") and link.text.startswith("5 revisions")


def test_second_build_uses_the_cache_and_rewrites_nothing(fixture_blog: Path, built: Path, caplog: pytest.LogCaptureFixture) -> None:
    history = built / "2022" / "01" / "10" / "renouveler" / "history"
    stamps = {p: p.stat().st_mtime_ns for p in history.rglob("*.html")}
    (built / ".palimpsest-cache" / "stamp.json").unlink()  # else nothing changed: the build would not run
    with caplog.at_level(logging.INFO):
        assert main(["build", str(fixture_blog), "-o", str(built)]) == 0
    # the newest revision of each post is its current file: the body Pelican read, rendered once
    assert "cache: 4 hits, 0 misses; 2 as the current version" in caplog.text
    assert {p: p.stat().st_mtime_ns for p in history.rglob("*.html")} == stamps


def test_uncommitted_changes_are_the_current_version(fixture_blog: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    shutil.copytree(fixture_blog, work)
    post = work / "_posts" / "2022-01-10-renouveler.md"
    post.write_text(POST_V4 + "\nUncommitted paragraph.\n", encoding="utf-8")
    assert main(["build", str(work), "-o", str(tmp_path / "out")]) == 0
    current = soup(tmp_path / "out" / "2022" / "01" / "10" / "renouveler" / "index.html")
    assert "Uncommitted paragraph." in current.get_text()
    assert len(list((tmp_path / "out" / "2022" / "01" / "10" / "renouveler" / "history").glob("2022-*"))) == 5


def test_shallow_clone_warns_with_the_fix(
    fixture_blog: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{fixture_blog}", str(clone)], check=True)
    with caplog.at_level(logging.WARNING):
        assert main(["build", str(clone), "-o", str(tmp_path / "out")]) == 0
    assert "shallow clone" in caplog.text and "git fetch --unshallow" in caplog.text
    assert main(["history", "--strict", str(clone / "_posts" / "2022-01-10-renouveler.md")]) == 1
    assert "git fetch --unshallow" in capsys.readouterr().err


def test_without_git_the_site_still_builds(
    fixture_blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(fixture_blog, plain, ignore=shutil.ignore_patterns(".git"))
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    with caplog.at_level(logging.INFO):
        assert main(["build", str(plain), "-o", str(tmp_path / "out")]) == 0
    assert "No revision history" in caplog.text
    assert (tmp_path / "out" / "2022" / "01" / "10" / "renouveler" / "index.html").is_file()


def test_pinning_plugin_on_the_fixture_history(fixture_blog: Path, pytester: pytest.Pytester) -> None:
    """One test per (article, revision), compared with the snapshots kept in tests/fixtures/history."""
    pytester.chdir()
    shutil.copytree(fixture_blog, pytester.path / "blog", dirs_exist_ok=True)
    pytester.makeini(f"[pytest]\npalimpsest_site = blog\npalimpsest_snapshots = {SNAPSHOTS}\n")
    extra = ["--force-regen"] if os.environ.get("PALIMPSEST_REGEN") else []
    result = pytester.runpytest("blog/_config.yml", "-p", "no:cacheprovider", *extra)
    result.assert_outcomes(passed=6)
    assert len(list(SNAPSHOTS.rglob("*.html"))) == 6


@needs_corpus
def test_anef_corpus_history(tmp_path: Path) -> None:
    """The 18 revisions of the living article, committed with their dates and messages."""
    folder = CORPUS / "anef-revisions"
    revisions = json.loads((folder / "revisions.json").read_text(encoding="utf-8"))["revisions"]
    repo = init(tmp_path / "anef")
    (repo / "_config.yml").write_text((folder / "_config.yml").read_text(encoding="utf-8"), encoding="utf-8")
    for revision in revisions:
        source = (folder / revision["file"]).read_bytes()
        commit(repo, {"_tds/demande-tds-en-ligne.md": source}, revision["message"], revision["author_date"])
    output = tmp_path / "out"
    assert main(["build", str(repo), "-o", str(output)]) == 0
    article = output / "tds" / "demande-tds-en-ligne"
    assert (article / "index.html").is_file()
    history = soup(article / "history" / "index.html")
    shorts = [code.text for code in history.select(".history__entry code")]
    assert len(shorts) == 18 and len(set(shorts)) == 18
    assert [m.text for m in history.select(".history__message")][::-1] == [r["message"] for r in revisions]
    pages = sorted(p for p in (article / "history").iterdir() if p.is_dir())
    assert len(pages) == 18
    for revision, short in zip(revisions, reversed(shorts), strict=True):
        page = article / "history" / f"{revision['author_date'][:10]}-{short}"
        body = soup(page / "index.html").select_one(".page__content").get_text()
        kramdown = (folder / revision["file"].replace(".md", ".kramdown.html")).read_text(encoding="utf-8")
        expected = BeautifulSoup(kramdown, "html.parser").get_text()
        assert " ".join(expected.split())[:200] in " ".join(body.split())
    assert sum((p / "diff" / "index.html").is_file() for p in pages) == 17
    only_front_matter = next(i for i, r in enumerate(revisions) if r["commit"].startswith("053ba89"))
    slug = f"{revisions[only_front_matter]['author_date'][:10]}-{shorts[::-1][only_front_matter]}"
    unchanged = soup(article / "history" / slug / "diff" / "index.html")
    assert unchanged.select_one(".diff-none") is not None


@pytest.fixture(scope="module")
def many_posts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twenty posts with three revisions each: enough for their revisions to go to worker processes."""
    repo = init(tmp_path_factory.mktemp("many") / "blog")
    posts = {f"_posts/2022-01-{day:02d}-post-{day}.md": f"---\ntitle: Post {day}\n---\n\n第 {day} 篇的第一版。\n" for day in range(1, 21)}
    commit(repo, {"_config.yml": CONFIG, **posts}, "First versions", "2022-02-01T10:00:00+01:00")
    posts = {path: text + "\n| 步骤 | 时间 |\n|---|---|\n| 预约 | 一周 |\n" for path, text in posts.items()}
    commit(repo, posts, "A table in every post", "2022-03-01T10:00:00+01:00")
    update = "\n2022 年 4 月 1 日更新：可以在网上申请。\n{: .notice--info}\n"
    posts = {path: text.replace("一周", "两周") + update for path, text in posts.items()}
    commit(repo, posts, "An update in every post", "2022-04-01T10:00:00+01:00")
    return repo


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file the build wrote, and its revision cache (not the other caches: they note file times)."""
    files = {path.relative_to(folder).as_posix(): path for path in sorted(folder.rglob("*")) if path.is_file()}
    cache, kept = ".palimpsest-cache/", ".palimpsest-cache/revisions/"
    return {name: path.read_bytes() for name, path in files.items() if not name.startswith(cache) or name.startswith(kept)}


def test_revisions_rendered_in_workers_are_byte_identical_to_serial(
    many_posts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pelican.plugins.palimpsest.revisions import render

    bodies = tmp_path / "rendered-by"  # the process that rendered each revision body, one line each
    real_render_body = render.render_body

    def render_body(*args: object, **kwargs: object) -> object:
        with bodies.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return real_render_body(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "render_body", render_body)
    assert main(["build", str(many_posts), "-o", str(tmp_path / "serial"), "-j", "1"]) == 0
    serial = bodies.read_text(encoding="utf-8").split()
    bodies.unlink()
    assert main(["build", str(many_posts), "-o", str(tmp_path / "parallel"), "-j", "2"]) == 0
    parallel = bodies.read_text(encoding="utf-8").split()
    # 2 past revisions of 20 posts rendered (the newest is the post as read), here; then the first
    # post's here (what it loads is inherited by the workers) and every other post's by other processes
    here = str(os.getpid())
    assert serial == [here] * 40 and len(parallel) == 40 and parallel[:2] == [here] * 2 and here not in parallel[2:]
    built = _tree(tmp_path / "serial")
    assert len([name for name in built if name.endswith("/diff/index.html")]) == 40
    assert _tree(tmp_path / "parallel") == built


def test_revision_pages_are_rendered_again_only_when_what_they_show_changed(
    fixture_blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pelican.plugins.palimpsest.revisions.generator import RevisionsGenerator

    blog, output = tmp_path / "blog", tmp_path / "out"
    shutil.copytree(fixture_blog, blog)
    rendered: list[str] = []  # the revision pages' templates looked up to render a page
    real_get_template = RevisionsGenerator.get_template

    def get_template(self: RevisionsGenerator, name: str) -> object:
        rendered.append(name)
        return real_get_template(self, name)

    monkeypatch.setattr(RevisionsGenerator, "get_template", get_template)

    def build(folder: Path) -> int:
        rendered.clear()
        assert main(["build", str(blog), "-o", str(folder)]) == 0
        return len(rendered)

    assert build(output) == 18  # 15 pages for the renamed post (5 revisions), 3 for the other
    history = output / "2022" / "01" / "10" / "renouveler" / "history"
    stamps = {p: p.stat().st_mtime_ns for p in history.rglob("*.html")}
    assert build(output) == 0
    assert {p: p.stat().st_mtime_ns for p in history.rglob("*.html")} == stamps

    first = next(history.glob("2022-01-10-*")) / "index.html"
    first.unlink()  # an output file deleted, another edited by hand: rendered again, the rest kept
    (history / "index.html").write_text("edited by hand", encoding="utf-8")
    assert build(output) == 2
    assert "edited by hand" not in (history / "index.html").read_text(encoding="utf-8")

    # the site's title is on every page: all are rendered again, as a cold build renders them
    config = blog / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("Fixture blog", "Another title"), encoding="utf-8")
    assert build(output) == 18
    assert "Another title" in first.read_text(encoding="utf-8")
    assert build(tmp_path / "cold") == 18
    assert _tree(output) == _tree(tmp_path / "cold")  # the revision cache too: only what this build used
