"""Tasks for the demo blog and the project, in the style of Pelican's tasks.py.

Run with ``invoke TASK`` inside the project's environment, or as
``python3 tasks.py TASK`` on a fresh machine: that first creates ``.venv``,
installs the locked dependencies and the library into it, then runs
``invoke TASK`` there.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def bootstrap(arguments):
    """Create .venv with the locked dependencies, then hand over to invoke."""
    import hashlib
    import subprocess
    import venv

    python = VENV_BIN / "python"
    if not python.exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / ".installed"
    wanted = hashlib.sha256((ROOT / "requirements.lock").read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != wanted:
        print("Installing locked dependencies into .venv ...", flush=True)
        pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "-r", str(ROOT / "requirements.lock")], check=True)
        subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)
        stamp.write_text(wanted)
    os.chdir(ROOT)
    os.execv(str(VENV_BIN / "invoke"), [str(VENV_BIN / "invoke"), *arguments])


if __name__ == "__main__":
    bootstrap(sys.argv[1:] or ["--list"])

from invoke import task  # noqa: E402

BIN = Path(sys.executable).parent  # the environment's scripts, whether or not it is activated
PALIMPSEST = BIN / "palimpsest"
PELICAN = BIN / "pelican"
CONTENT = ROOT / "content"
# Where the site is built: output/, or $PALIMPSEST_OUTPUT (the tests build elsewhere).
OUTPUT = Path(os.environ.get("PALIMPSEST_OUTPUT") or ROOT / "output").resolve()
SHARED = ROOT.parent / "shared"


def _output(output):
    return Path(output).resolve() if output else OUTPUT


@task(help={"output": "folder to remove (default: output/, or $PALIMPSEST_OUTPUT)"})
def clean(c, output=None):
    """Remove the generated site."""
    import shutil

    shutil.rmtree(_output(output), ignore_errors=True)


@task(help={"output": "folder to build into (default: output/, or $PALIMPSEST_OUTPUT)"})
def build(c, output=None):
    """Build the demo blog into output/ (exits non-zero if any document failed)."""
    c.run(f"{PALIMPSEST} build {CONTENT} -o {_output(output)} -s {ROOT / 'pelicanconf.py'}", pty=False)


@task(clean, build)
def rebuild(c):
    """Clean, then build."""


@task
def serve(c, port=8000):
    """Serve output/ at http://localhost:PORT."""
    c.run(f"{PELICAN} --listen --port {port} -s {ROOT / 'pelicanconf.py'} -o {OUTPUT}")


@task
def livereload(c, port=8000):
    """Serve output/ at http://127.0.0.1:PORT, rebuilding and reloading the browser on change (palimpsest serve)."""
    from pelican.plugins.palimpsest.serve import serve

    watched = [ROOT / "theme", ROOT / "plugins", ROOT / "pelicanconf.py"]
    serve(CONTENT, OUTPUT, port=port, settings=ROOT / "pelicanconf.py", watch=[p for p in watched if p.exists()])


@task
def publish(c):
    """Build with publishconf.py."""
    c.run(f"{PALIMPSEST} build {CONTENT} -o {OUTPUT} -s {ROOT / 'publishconf.py'}")


@task
def test(c):
    """Run the whole test suite."""
    c.run(f"{sys.executable} -m pytest", pty=False)


LINTED = ["plugins", "tests", "tools", "benchmarks", "tasks.py", "pelicanconf.py", "publishconf.py"]


@task
def lint(c):
    """ruff (lint and format) over the project, mypy --strict over the package (config: pyproject.toml)."""
    paths = " ".join(LINTED)
    c.run(f"{BIN / 'ruff'} check {paths}", pty=False)
    c.run(f"{BIN / 'ruff'} format --check {paths}", pty=False)
    c.run(f"{BIN / 'mypy'} -p pelican.plugins.palimpsest", pty=False)


@task
def conformance(c):
    """Render the corpora in ../shared with --plain and print how many equal Jekyll's output
    (the two blog corpora must be all equal; kramdown's own suite prints its count)."""
    from pelican.plugins.palimpsest.testing.conformance import compare_folder

    failed = 0
    for name in ("anef-revisions", "minimal-mistakes-docs", "kramdown-suite"):
        folder = SHARED / "corpus" / name
        if not folder.is_dir():
            print(f"{name}: skipped ({folder} is absent)")
            continue
        # kramdown's own test suite: its inputs in cases/, rendered with the options of its _config.yml
        results = compare_folder(folder / "cases", folder / "_config.yml") if name == "kramdown-suite" else compare_folder(folder)
        equal = sum(r.equal for r in results)
        if name != "kramdown-suite":
            failed += len(results) - equal
        print(f"{name}: {equal}/{len(results)} equal to Jekyll + kramdown")
        for result in results:
            if not result.equal:
                print(f"  differs: {result.source.name}")
    if failed:
        sys.exit(1)


@task
def benchmark(c, posts=1000):
    """Time this pipeline against stock Pelican on POSTS generated posts."""
    c.run(f"{sys.executable} {ROOT / 'benchmarks' / 'build_speed.py'} --posts {posts}")
