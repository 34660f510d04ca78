"""Hostile input: every case is a folder under ``fixtures/hostile/``, a tiny site and what must happen.

A case folder holds ``case.yml`` and, optionally, ``site/`` (copied as the site; a case without one
gets two good posts only). ``case.yml`` (every key optional but ``about``)::

    about: what the case tries
    files: {path: text}          # more files of the site, written as UTF-8
    bytes: {path: hex}           # files written as raw bytes (invalid UTF-8, NUL…)
    generate:                    # files too big for a fixture: head + repeat × times + tail
      {path: {head: "---\n---\n", repeat: "| a | b |\n", times: 100000, tail: ""}}
    symlinks: {path: target}     # links in the site; a target starting with SECRET/ points at a
                                 # secret file outside the site, which must never reach OUT
    args: [--flag]               # more arguments of ``palimpsest build SITE -o OUT``
    builds: 1                    # build again (2 = a rebuild into the same OUT)
    exit: 1                      # the exit status (default 1)
    good_posts: false            # the two good posts are not expected (a site nothing of which
                                 # can be built, e.g. an unreadable _config.yml); default true
    errors:                      # each error: ``file:line`` (relative to the site) and words it says;
      - {where: "_posts/x.md:3", says: "outside the output folder"}
    pages: [path]                # files that must exist in OUT
    absent: [path]               # files that must not exist in OUT
    contains: {path: [text]}     # OUT/path contains each text
    lacks: {path: [text]}        # OUT/path contains none of them

Every case also checks: no traceback, the good posts are built (unless ``good_posts: false``), nothing is written outside OUT, no
file of the site changes, no output file holds the secret or this machine's temporary path.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from pelican.plugins.palimpsest.cli import main

CASES = Path(__file__).resolve().parent / "fixtures" / "hostile"
SECRET = "SECRET-8f1c2e0b-never-published"
GOOD_POSTS = {
    "_config.yml": "title: Hostile\nurl: https://example.org\npermalink: /:year/:month/:day/:title/\n",
    "_posts/2024-01-01-good.md": "---\ntitle: Good\n---\n\nThis one builds.\n",
    "_posts/2024-01-03-also-good.md": "---\ntitle: Also good\n---\n\nSo does this one.\n",
}
GOOD_PAGES = ["2024/01/01/good/index.html", "2024/01/03/also-good/index.html"]
SECONDS_PER_CASE = 60


def _cases() -> list[Any]:
    return [pytest.param(folder, id=folder.name) for folder in sorted(CASES.iterdir()) if (folder / "case.yml").is_file()]


def _tree(folder: Path) -> dict[str, str]:
    """Every file below *folder* (links not followed) and a hash of its bytes or link target."""
    state = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink():
            state[relative] = "link:" + str(path.readlink())
        elif path.is_file():
            state[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


@contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: Any) -> None:
        raise TimeoutError(f"the build took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _make_site(case: dict[str, Any], folder: Path, work: Path) -> Path:
    site = work / "site"
    site.mkdir(parents=True)
    for name, text in GOOD_POSTS.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    if (folder / "site").is_dir():
        shutil.copytree(folder / "site", site, dirs_exist_ok=True, symlinks=True)
    for name, text in (case.get("files") or {}).items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    for name, data in (case.get("bytes") or {}).items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(bytes.fromhex(data))
    for name, spec in (case.get("generate") or {}).items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        text = spec.get("head", "") + spec["repeat"] * int(spec["times"]) + spec.get("tail", "")
        (site / name).write_text(text, encoding="utf-8")
    for name, target in (case.get("symlinks") or {}).items():
        link = site / name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(str(target).replace("SECRET/", f"{work / 'secret'}/"))
    return site


@pytest.mark.parametrize("folder", _cases())
def test_hostile_input(folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:
    case = YAML(typ="safe").load((folder / "case.yml").read_text(encoding="utf-8"))
    work = tmp_path / "work"
    secret = work / "secret"
    secret.mkdir(parents=True)
    (secret / "passwd").write_text(f"root:{SECRET}\n", encoding="utf-8")
    (secret / "etc").mkdir()
    (secret / "etc" / "shadow").write_text(f"root:{SECRET}\n", encoding="utf-8")
    site = _make_site(case, folder, work)
    output = work / "out"
    outside_before = {k: v for k, v in _tree(work).items() if not k.startswith(("out/", "site/"))}
    site_before = _tree(site)

    statuses = []
    with caplog.at_level(logging.WARNING), _time_limit(SECONDS_PER_CASE):
        for _ in range(int(case.get("builds", 1))):
            statuses.append(main(["build", str(site), "-o", str(output), *case.get("args", [])]))
    captured = capsys.readouterr()
    said = caplog.text + captured.err + captured.out

    assert statuses[-1] == case.get("exit", 1), said
    assert "Traceback" not in said, said
    for error in case.get("errors") or []:
        where = f"{site / error['where']}" if "where" in error else ""
        lines = [line for line in said.splitlines() if where in line and error.get("says", "") in line]
        assert lines, f"no message naming {where!r} and saying {error.get('says')!r} in:\n{said}"
    for page in [*(GOOD_PAGES if case.get("good_posts", True) else []), *(case.get("pages") or [])]:
        assert (output / page).is_file(), f"{page} was not built:\n{said}"
    for page in case.get("absent") or []:
        assert not (output / page).exists(), f"{page} should not exist"
    for page, texts in (case.get("contains") or {}).items():
        content = (output / page).read_text(encoding="utf-8")
        for text in texts:
            assert text in content, f"{page} lacks {text!r}"
    for page, texts in (case.get("lacks") or {}).items():
        content = (output / page).read_text(encoding="utf-8") if (output / page).is_file() else ""
        for text in texts:
            assert text not in content, f"{page} contains {text!r}"

    outside_after = {k: v for k, v in _tree(work).items() if not k.startswith(("out/", "site/"))}
    assert outside_after == outside_before, "something was written outside the output folder"
    assert _tree(site) == site_before, "a file of the site was changed"
    for path in output.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            assert SECRET.encode() not in data, f"{path} holds a file from outside the site"
            assert str(tmp_path).encode() not in data, f"{path} holds a path of the builder's machine"
