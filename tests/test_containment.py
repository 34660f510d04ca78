"""What of a site may be read: the output folder inside the site, pelicanconf.py builds, Jekyll's exclude rules.

The symlink cases (links out, loops, links inside) are hostile-input cases (fixtures/hostile/symlink-*,
contain-*); these are the ones ``case.yml`` cannot say: where the output folder is, another settings file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pelican.plugins.palimpsest.cli import main
from pelican.plugins.palimpsest.jekyll.containment import jekyll_excluded, scan

CONFIG = "title: T\nurl: https://example.org\npermalink: /:year/:month/:day/:title/\n"
POST = "---\ntitle: One\n---\n\nText.\n"


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (site / "_posts" / "2024-01-01-one.md").write_text(POST, encoding="utf-8")
    (site / "assets").mkdir()
    (site / "assets" / "a.txt").write_text("a\n", encoding="utf-8")
    return site


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("output", ["out", "assets/out", "_posts/out"])
def test_output_inside_the_site_is_never_read_back(tmp_path: Path, output: str) -> None:
    site = _site(tmp_path)
    assert main(["build", str(site), "-o", str(site / output)]) == 0
    first = _files(site / output)
    assert main(["build", str(site), "-o", str(site / output)]) == 0
    assert _files(site / output) == first  # nothing of the first build copied or read as a post
    assert "2024/01/01/one/index.html" in first
    assert "assets/a.txt" in first
    assert not [name for name in first if "out/" in name]


@pytest.mark.parametrize("output", [".", ".."])
def test_output_folder_may_not_be_or_hold_the_site(tmp_path: Path, output: str) -> None:
    site = _site(tmp_path)
    before = _files(tmp_path)
    assert main(["build", str(site), "-o", str(site / output)]) == 2
    assert _files(tmp_path) == before


def test_pelicanconf_build_is_contained_too(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    site = _site(tmp_path)
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "shadow").write_text("root:SECRET\n", encoding="utf-8")
    (site / "assets" / "etc").symlink_to(secret)
    (site / "assets" / "loop").symlink_to("..")
    conf = tmp_path / "containconf.py"  # not pelicanconf.py: Pelican keeps the module by its name
    conf.write_text(
        'PLUGINS = ["pelican.plugins.palimpsest"]\nARTICLE_PATHS = ["_posts"]\nSTATIC_PATHS = ["assets"]\n'
        'SITEURL = "https://example.org"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["build", str(site), "-o", str(out), "-s", str(conf)]) == 1
    assert (out / "assets" / "a.txt").is_file()
    assert not (out / "assets" / "etc").exists()
    assert not (out / "assets" / "loop").exists()
    assert f"{site / 'assets' / 'etc'}: symlink to a folder outside the site is not read" in caplog.text
    assert caplog.text.count("symlink loop") == 1
    assert str(secret) not in caplog.text  # the link is named, never its target


@pytest.mark.parametrize(
    ("relative", "exclude", "include", "excluded"),
    [
        # Jekyll's EntryFilter#glob_include?: File.fnmatch? (no FNM_PATHNAME) or a prefix of the path.
        ("node_modules", ["node_modules"], [], True),
        ("node_modules/x/y.js", ["node_modules"], [], True),
        ("vendor/bundle/gem.rb", ["vendor/bundle/"], [], True),
        ("vendor/keep.txt", ["vendor/bundle/"], [], False),
        ("vendor/bundle", ["vendor/bundle/"], [], True),
        ("docs/a.txt", ["docs/*.txt"], [], True),
        ("docs/sub/a.txt", ["docs/*.txt"], [], True),
        ("docs/a.html", ["docs/*.txt"], [], False),
        ("private", ["private"], ["private"], False),
        ("assets", ["node_modules"], [], False),
    ],
)
def test_jekyll_exclude_rules(relative: str, exclude: list[str], include: list[str], excluded: bool) -> None:
    assert jekyll_excluded(relative, exclude, include) is excluded


def test_scan_names_links_out_and_loops_by_their_place(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (tmp_path / "secret").mkdir()
    (site / "_posts" / "x.md").symlink_to(tmp_path / "secret" / "missing")
    (site / "_posts" / "loop").symlink_to(".")
    (site / "assets" / "up").symlink_to("../_posts")
    (site / "assets" / "etc").symlink_to(tmp_path / "secret")
    result = scan(site, tmp_path / "out", {})
    assert result.problems == [
        ("_posts/loop", "symlink loop (a link to a folder that contains it) is not followed"),
        ("_posts/x.md", "symlink to nothing (its target is missing, or a loop) is not read"),
        ("assets/etc", "symlink to a folder outside the site is not read"),
    ]
    assert result.readable("assets/up/2024-01-01-one.md")  # a link inside the site is read
    assert not result.readable("assets/up/loop/2024-01-01-one.md")
    assert not result.readable("assets/etc/shadow")
    assert not result.readable("_posts/x.md")
