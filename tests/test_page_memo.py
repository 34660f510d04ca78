"""The page memo (build/page_memo.py, ``PALIMPSEST_PAGE_MEMO``): a page is rendered again exactly when
something it read changed, and the output is always the output of a build from scratch.

The site is test_writer's: posts 1-12 dated 2024-01-01..12, tags [t<n % 3>, common], related posts on,
four posts to a home page (newest first: 12-9, 8-5, 4-1), a feed of the ten newest, a sitemap.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pelican.plugins.palimpsest.build.cache_folder import CACHE_FOLDER
from pelican.plugins.palimpsest.build.page_memo import MEMO_FILE, PageMemo, Unusable, digest
from pelican.plugins.palimpsest.build.writer import last_build

from .test_writer import POSTS, build, make_site, memo_writer, pages_line, post_path, rewritten, times, written_files

__all__ = ["memo_writer"]  # the fixture, used by name

ARTICLE = "2024/01/{0:02d}/post-{0}/index.html"


def rebuild(site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, change: str, new: str) -> tuple[set[str], list[str]]:
    """Build twice (the second from the memo: every page kept), change post 6's *change* into *new*,
    build again: the files whose bytes changed (each rewritten, no other), what the build said; the
    output is a cold build's."""
    output = tmp_path / "out"
    build(site, output, caplog)
    first = written_files(output)
    status, said = build(site, output, caplog)
    assert status == 0 and written_files(output) == first
    assert f"Pages: 0 written, {len(first)} unchanged ({len(first) - 2} not rendered again)" in said
    before = times(output)
    post = post_path(site, 6)
    text = post.read_text(encoding="utf-8")
    assert change in text
    post.write_text(text.replace(change, new), encoding="utf-8")
    status, said = build(site, output, caplog)
    after = written_files(output)
    assert status == 0
    build(site, tmp_path / "cold", caplog)
    stale = {name for name in first if name not in written_files(tmp_path / "cold")}  # Pelican deletes no old page
    assert written_files(tmp_path / "cold") == {name: data for name, data in after.items() if name not in stale}
    changed = {name for name in after if first.get(name) != after[name]}
    assert rewritten(output, before) == changed
    return changed, said


def not_rendered_again(said: list[str]) -> int:
    line = next(message for message in said if message.startswith("Pages: "))
    return int(line.rsplit("(", 1)[1].split()[0])


def test_a_title_changes_every_page_that_shows_it(tmp_path: Path, caplog: pytest.LogCaptureFixture, memo_writer: None) -> None:
    site = make_site(tmp_path)
    changed, said = rebuild(site, tmp_path, caplog, "title: Post number 6", "title: The sixth post, renamed")
    shown_in = {
        ARTICLE.format(6),  # its page
        ARTICLE.format(5),  # "next" on post 5
        ARTICLE.format(7),  # "previous" on post 7
        "page2/index.html",  # the home page listing posts 8-5
        "feed.xml",  # the ten newest
        # related posts: the posts tagged t0 (3, 9, 12) rank 6 among their four (two tags shared)
        ARTICLE.format(3),
        ARTICLE.format(9),
        ARTICLE.format(12),
    }
    assert changed == shown_in
    written, unchanged = pages_line(said)
    assert written == len(shown_in)
    # rendered again: every post page (each lists related posts, and related_posts reads every post's
    # Jekyll values as a whole, to know its collection: a front matter change reaches them all), the
    # home page listing it, robots.txt (from a string: rendered in every build); the feed is built in
    # Python, never kept
    assert not_rendered_again(said) == written + unchanged - POSTS - 1 - 1 - 1


def test_a_body_change_renders_its_page_only(tmp_path: Path, caplog: pytest.LogCaptureFixture, memo_writer: None) -> None:
    site = make_site(tmp_path)
    changed, said = rebuild(site, tmp_path, caplog, "Second paragraph.", "Second paragraph, longer now.")
    assert changed == {ARTICLE.format(6), "feed.xml"}  # the excerpt on the home page is the first paragraph
    written, unchanged = pages_line(said)
    assert not_rendered_again(said) == written + unchanged - 1 - 1 - 1  # its page, robots.txt, the feed


def test_a_date_change_reorders_as_a_cold_build(tmp_path: Path, caplog: pytest.LogCaptureFixture, memo_writer: None) -> None:
    site = make_site(tmp_path)
    changed, _ = rebuild(site, tmp_path, caplog, "tags: [t0, common]", "date: 2024-01-20\ntags: [t0, common]")
    # now the newest (6, 12-10 | 9-7, 5 | 4-1): the first two home pages, its neighbours old (5, 7) and
    # new (12), the feed, the sitemap; not the third home page
    assert {"index.html", "page2/index.html", "feed.xml", "sitemap.xml", ARTICLE.format(12)} <= changed
    assert "page3/index.html" not in changed
    assert ARTICLE.format(6) not in changed and "2024/01/20/post-6/index.html" in changed  # its URL has its date
    assert {ARTICLE.format(5), ARTICLE.format(7)} <= changed


def test_a_tag_change_changes_the_related_posts(tmp_path: Path, caplog: pytest.LogCaptureFixture, memo_writer: None) -> None:
    site = make_site(tmp_path)
    changed, _ = rebuild(site, tmp_path, caplog, "tags: [t0, common]", "tags: [t1]")
    # the t0 posts (3, 9, 12) ranked 6 among their related posts (two tags shared); now it shares none
    assert {ARTICLE.format(3), ARTICLE.format(9), ARTICLE.format(12), ARTICLE.format(6)} <= changed


def test_a_warning_keeps_no_memo(tmp_path: Path, caplog: pytest.LogCaptureFixture, memo_writer: None) -> None:
    """A message said while a page renders is said once per build (the theme says each problem once):
    with it, the build keeps no memo, so that the next build renders every page and says it again."""
    site = make_site(tmp_path)
    (site / "_includes" / "footer").mkdir(parents=True)
    (site / "_includes" / "footer" / "custom.html").write_text("{% if %}\n", encoding="utf-8")
    output = tmp_path / "out"
    for _ in range(2):
        status, said = build(site, output, caplog)
        assert status == 1 and any("custom.html: Liquid error: missing expression" in message for message in said)
        assert not (output / CACHE_FOLDER / MEMO_FILE).exists()
        assert not_rendered_again(said) == 0


def test_the_clock_is_never_kept(tmp_path: Path, caplog: pytest.LogCaptureFixture, memo_writer: None) -> None:
    """A page whose Liquid include printed ``site.time`` is rendered in every build, and the build
    says it cannot be repeated (no stamp)."""
    site = make_site(tmp_path)
    (site / "_includes" / "footer").mkdir(parents=True)
    (site / "_includes" / "footer" / "custom.html").write_text('<p>{{ site.time | date: "%Y" }}</p>\n', encoding="utf-8")
    output = tmp_path / "out"
    build(site, output, caplog)
    status, said = build(site, output, caplog)
    assert status == 0 and not_rendered_again(said) == 1  # sitemap.xml: the only page from a template without the footer
    writer = last_build(output)
    assert writer is not None and writer.time_dependent


def test_values_are_compared_by_what_they_show() -> None:
    from markupsafe import Markup

    assert digest("1") != digest(1) != digest(Markup("1")) != digest("1 ")
    assert digest({"a": [1, 2]}) == digest({"a": [1, 2]}) != digest({"a": [2, 1]})
    assert digest({1, 2, 3}) == digest({3, 2, 1})
    with pytest.raises(Unusable):
        digest(object())
    assert digest(PageMemo) == digest(PageMemo) != digest(Unusable)  # a class (or function) by its name
    with pytest.raises(Unusable):
        digest([PageMemo.__new__(PageMemo)])  # an object of a class it does not know
