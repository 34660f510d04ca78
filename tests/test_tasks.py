"""The README's build command works from the project environment, activated or not.

It builds into a temporary folder (``invoke build --output``, or ``$PALIMPSEST_OUTPUT``):
the repository's own output/ is never touched."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

INVOKE = Path(sys.executable).parent / "invoke"
LIVING = Path("2024") / "02" / "18" / "titre-de-sejour-en-ligne" / "index.html"


def _state(folder: Path) -> dict[str, tuple[int, str]]:
    """What is in *folder*: each file's modification time and a hash of its bytes."""
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in folder.rglob("*")
        if p.is_file()
    }


def _invoke(*arguments: str, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PALIMPSEST_OUTPUT")}
    env["PATH"] = "/usr/bin:/bin"  # the environment's scripts are not on PATH
    env.update(environment)
    return subprocess.run([str(INVOKE), *arguments], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def test_invoke_build_writes_the_demo_where_asked(tmp_path: Path) -> None:
    output = tmp_path / "site"
    before = _state(ROOT / "output")
    result = _invoke("build", PALIMPSEST_OUTPUT=str(output))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (output / "index.html").is_file()
    assert (output / LIVING).is_file()
    assert _state(ROOT / "output") == before, "the repository's output/ was written to"


def test_invoke_output_option_names_the_folder(tmp_path: Path) -> None:
    # --output reaches the same place as $PALIMPSEST_OUTPUT; ``clean`` shows it without a build.
    output = tmp_path / "site"
    (output / "sub").mkdir(parents=True)
    (output / "sub" / "page.html").write_text("x", encoding="utf-8")
    before = _state(ROOT / "output")
    result = _invoke("clean", "--output", str(output))
    assert result.returncode == 0, result.stdout + result.stderr
    assert not output.exists()
    assert _state(ROOT / "output") == before, "the repository's output/ was touched"
