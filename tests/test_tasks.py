"""The README's build command works from the project environment, activated or not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def test_invoke_build_writes_the_demo_into_output() -> None:
    invoke = Path(sys.executable).parent / "invoke"
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    env["PATH"] = "/usr/bin:/bin"  # the environment's scripts are not on PATH
    (ROOT / "output" / "index.html").unlink(missing_ok=True)
    result = subprocess.run([str(invoke), "build"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (ROOT / "output" / "index.html").is_file()
    assert (ROOT / "output" / "2024" / "02" / "18" / "titre-de-sejour-en-ligne" / "index.html").is_file()
