"""Incremental builds (build/content_cache.py): a document is rendered again only when something it
read changed, and a build from the cache writes and says what a build from scratch does."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from .test_parallel import BOX_USERS, DOCUMENTS, POSTS, build, make_site, post_name, tree

COUNTS = re.compile(r"Documents: (\d+) rendered, (\d+) from cache")
ALWAYS = 2  # the broken post (an error is never cached) and now.md (it printed site.time)
PACK = Path(".palimpsest-cache", "documents", "pack.pickle")


def pack_entries(output: Path) -> dict[str, bytes]:
    """The entries of the content cache's one file, by name."""
    stored = pickle.loads((output / PACK).read_bytes())
    assert stored["format"] == 2
    entries: dict[str, bytes] = stored["entries"]
    return entries


def rendered(said: list[tuple[str, str, str]]) -> int:
    """How many documents the build rendered (not taken from the cache), as it says."""
    counts = [COUNTS.fullmatch(message) for _, _, message in said]
    found = [match for match in counts if match]
    assert len(found) == 1, said
    assert int(found[0].group(1)) + int(found[0].group(2)) == DOCUMENTS
    return int(found[0].group(1))


def rendered_files(said: list[tuple[str, str, str]]) -> set[str]:
    """The names of the files the build rendered, as it says at DEBUG level."""
    messages = [message for _, level, message in said if level == "DEBUG" and message.endswith(": rendered")]
    return {Path(message.removesuffix(": rendered")).name for message in messages}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


Said = list[tuple[str, str, str]]


def rebuild_matches_cold(site: Path, output: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str) -> Said:
    """Build *site* into *output* (holding an earlier build and its cache), then from scratch into a new
    folder: the same files, the same messages.  What the incremental build said."""
    status, said = build(site, output, caplog)
    cold_status, cold_said = build(site, tmp_path / f"cold-{name}", caplog)
    assert status == cold_status == 1  # the broken post, every time
    assert tree(output) == tree(tmp_path / f"cold-{name}")
    assert _without_counts(said) == _without_counts(cold_said)
    return said


def _without_counts(said: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    return [entry for entry in said if not COUNTS.fullmatch(entry[2]) and entry[1] != "DEBUG"]


def test_no_change_renders_nothing(site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    output = tmp_path / "out"
    status, cold = build(site, output, caplog)
    assert status == 1 and rendered(cold) == DOCUMENTS
    said = rebuild_matches_cold(site, output, tmp_path, caplog, "same")
    assert rendered(said) == ALWAYS
    assert rendered_files(said) == {"2024-06-02-broken.md", "now.md"}
    written = (output / PACK).stat()
    build(site, output, caplog)
    again = (output / PACK).stat()  # the same entries: the cache is not written again
    assert (again.st_ino, again.st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    # what the cached documents said is said again: the warning, and the migration report's unknown tag
    assert any("tags: 5 is neither text nor a list" in message for _, _, message in said)


def test_one_post_changed(site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    output = tmp_path / "out"
    build(site, output, caplog)
    post = site / "_posts" / post_name(3)
    post.write_text(post.read_text(encoding="utf-8").replace("Paragraph 3", "Paragraph three"), encoding="utf-8")
    said = rebuild_matches_cold(site, output, tmp_path, caplog, "post")
    # the post, and the documents that read every document: archive.md (site.posts), post 10 (page.next)
    assert rendered_files(said) == {post.name, "archive.md", post_name(10), "2024-06-02-broken.md", "now.md"}
    assert rendered(said) == 3 + ALWAYS


def test_include_changed(site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    output = tmp_path / "out"
    build(site, output, caplog)
    (site / "_includes" / "box.html").write_text('<div class="box">Another box</div>\n', encoding="utf-8")
    said = rebuild_matches_cold(site, output, tmp_path, caplog, "include")
    assert rendered_files(said) == {post_name(n) for n in BOX_USERS} | {"2024-06-02-broken.md", "now.md"}
    assert rendered(said) == len(BOX_USERS) + ALWAYS == 17
    assert b"Another box" in (output / "2024" / "01" / "06" / "post-05" / "index.html").read_bytes()


def test_include_added_before_the_library_one(site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A site's include of the name of one the library ships hides it: the documents using it render again."""
    post = site / "_posts" / post_name(1)
    post.write_text(post.read_text(encoding="utf-8") + '\n{% include figure image_path="/a.png" caption="Fig" %}\n', encoding="utf-8")
    output = tmp_path / "out"
    build(site, output, caplog)
    (site / "_includes" / "figure").write_text("<p>OWN FIGURE</p>\n", encoding="utf-8")
    said = rebuild_matches_cold(site, output, tmp_path, caplog, "figure")
    assert rendered_files(said) == {post.name, "2024-06-02-broken.md", "now.md"}
    assert b"OWN FIGURE" in (output / "2024" / "01" / "02" / "post-01" / "index.html").read_bytes()


@pytest.mark.parametrize("change", ["config", "data"])
def test_config_or_data_changed_renders_all(site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, change: str) -> None:
    output = tmp_path / "out"
    build(site, output, caplog)
    if change == "config":
        (site / "_config.yml").write_text((site / "_config.yml").read_text(encoding="utf-8") + "description: Changed\n", encoding="utf-8")
    else:
        (site / "_data" / "info.yml").write_text("owner: Someone else\n", encoding="utf-8")
    said = rebuild_matches_cold(site, output, tmp_path, caplog, change)
    assert rendered(said) == DOCUMENTS


def test_url_override_renders_all(site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """``--url`` changes the configuration documents see (``site.url``)."""
    output = tmp_path / "out"
    build(site, output, caplog)
    _, said = build(site, output, caplog, "--url", "https://elsewhere.example")
    assert rendered(said) == DOCUMENTS


def test_one_file_for_every_entry(site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Creating a file costs more than writing its bytes: one file, one entry per cached document."""
    output = tmp_path / "out"
    build(site, output, caplog)
    assert [path.name for path in (output / PACK).parent.iterdir()] == ["pack.pickle"]
    entries = pack_entries(output)
    assert len(entries) == DOCUMENTS - ALWAYS
    assert list(entries) == sorted(entries)  # the same bytes whatever order the documents were rendered in


def test_a_damaged_entry_is_a_miss(site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    output = tmp_path / "out"
    build(site, output, caplog)
    entries = pack_entries(output)
    names = sorted(entries)
    entries[names[0]] = entries[names[0]][:40]  # truncated
    entries[names[1]] = b"not a pickle at all"
    (output / PACK).write_bytes(pickle.dumps({"format": 2, "entries": entries}))
    said = rebuild_matches_cold(site, output, tmp_path, caplog, "damaged")
    assert rendered(said) == 2 + ALWAYS
    assert len(pack_entries(output)) == DOCUMENTS - ALWAYS  # rendered again, kept again


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "other format"])
def test_a_damaged_pack_is_a_miss_for_every_document(site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: str) -> None:
    output = tmp_path / "out"
    build(site, output, caplog)
    data = (output / PACK).read_bytes()
    damaged = {
        "truncated": data[: len(data) // 2],
        "garbage": b"\x80\x05not a pickle",
        "empty": b"",
        "other format": pickle.dumps({"format": 1, "entries": pickle.loads(data)["entries"]}),
    }[damage]
    (output / PACK).write_bytes(damaged)
    said = rebuild_matches_cold(site, output, tmp_path, caplog, damage.replace(" ", "-"))
    assert rendered(said) == DOCUMENTS
    assert (output / PACK).read_bytes() == data  # written again, whole


def test_unused_entries_are_pruned(site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    output = tmp_path / "out"
    build(site, output, caplog)
    before = pack_entries(output)
    folder = output / PACK.parent
    (site / "_posts" / post_name(POSTS)).unlink()
    post = site / "_posts" / post_name(1)
    post.write_text(post.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    (folder / ".tmp-left-by-a-stopped-build.pickle").write_bytes(b"x")
    (folder / "0123abcd.pickle").write_bytes(b"x")  # an entry of the cache's earlier form, one file each
    build(site, output, caplog)
    # the deleted post's entry is gone, the changed post's old one replaced: one entry per cached document
    after = pack_entries(output)
    assert len(after) == DOCUMENTS - 1 - ALWAYS
    assert len(set(before) - set(after)) == 2 and len(set(after) - set(before)) == 1
    assert [path.name for path in folder.iterdir()] == ["pack.pickle"]


def test_cache_holds_no_path_of_the_machine(site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """An output folder may be published whole: the entries name the site's files by a marker."""
    output = tmp_path / "out"
    build(site, output, caplog)
    assert str(tmp_path).encode() not in (output / PACK).read_bytes()
    for entry in pack_entries(output).values():
        assert str(tmp_path).encode() not in entry


def test_switched_off(site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """``PALIMPSEST_CONTENT_CACHE = False`` (a pelicanconf.py): every document rendered in every build."""
    settings = tmp_path / "conf.py"
    settings.write_text(
        "PLUGINS = ['pelican.plugins.palimpsest']\nPALIMPSEST_CONTENT_CACHE = False\nARTICLE_PATHS = ['_posts']\nPAGE_PATHS = []\n",
        encoding="utf-8",
    )
    output = tmp_path / "out"
    build(site, output, caplog, "-s", str(settings))
    _, said = build(site, output, caplog, "-s", str(settings))
    counts = [COUNTS.fullmatch(message) for _, _, message in said]
    assert [match.groups() for match in counts if match] == [(str(POSTS + 2), "0")]
    assert not (output / ".palimpsest-cache" / "documents").exists()
