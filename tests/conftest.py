"""Shared test helpers: where the reference corpora are, skipping without them, and the
demo blog built once per session (``demo``) for every test that only reads the built site."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
CONTENT = ROOT / "content"
HOST = "127.0.0.1"

needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason=f"the reference corpora are not here ({CORPUS}); they ship beside the project's own checkout only",
)
pytest_plugins = ["pytester"]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass(frozen=True)
class DemoSite:
    """The demo blog (content/), built as it is published: absolute URLs under ``base_url``
    (``RELATIVE_URLS = False``). ``base_url`` is the address of ``server``, bound on
    127.0.0.1 but not yet serving: the browser tests serve the site there."""

    output: Path
    settings: Path
    base_url: str
    server: ThreadingHTTPServer

    def build(self, output: Path) -> Path:
        """Build the demo again, with the same settings, into *output*."""
        from pelican.plugins.palimpsest.cli import main

        assert main(["build", str(CONTENT), "-o", str(output), "-s", str(self.settings)]) == 0
        return output


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    """The demo blog, built once per session. Read it; do not write into ``demo.output``."""
    folder = tmp_path_factory.mktemp("demo")
    output = folder / "output"
    output.mkdir()
    server = ThreadingHTTPServer((HOST, 0), functools.partial(_QuietHandler, directory=str(output)))
    base_url = f"http://{HOST}:{server.server_address[1]}"
    settings = folder / "democonf.py"
    settings.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from pelicanconf import *  # noqa: F403\n"
        f"SITEURL = {base_url!r}\n"
        "RELATIVE_URLS = False\n",
        encoding="utf-8",
    )
    site = DemoSite(output, settings, base_url, server)
    try:
        site.build(output)
        yield site
    finally:
        server.server_close()
