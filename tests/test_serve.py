"""``palimpsest serve``: a local preview that points at itself, and ``build --url/--baseurl``.

The server runs in a subprocess on a free port of 127.0.0.1 against a tiny site; every wait is
bounded and the process is always ended.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO

import pytest

from pelican.plugins.palimpsest.cli import main
from pelican.plugins.palimpsest.serve import build_command, local_url

WAIT = 90  # seconds: the first build imports Pelican and the whole library
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')


def _site(root: Path, baseurl: str = "") -> Path:
    (root / "_posts").mkdir(parents=True)
    (root / "_config.yml").write_text(f"title: Tiny\nurl: https://tiny.example.org\nbaseurl: '{baseurl}'\n", encoding="utf-8")
    (root / "index.md").write_text("---\ntitle: Home\n---\nWelcome home.\n", encoding="utf-8")
    (root / "_posts" / "2024-01-01-hello.md").write_text("---\ntitle: Hello\n---\nFirst version.\n", encoding="utf-8")
    return root


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", errors="replace")


def _wait_for(url: str, needle: str, process: subprocess.Popen[bytes], log: Path) -> str:
    """The page at *url* once it holds *needle*; fails after WAIT seconds or if the server ended."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        assert process.poll() is None, f"palimpsest serve ended:\n{log.read_text(errors='replace')}"
        try:
            status, text = _get(url)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            status, text = 0, ""
        if status == 200 and needle in text:
            return text
        time.sleep(0.3)
    pytest.fail(f"{url} never held {needle!r} within {WAIT} s:\n{log.read_text(errors='replace')}")


def test_local_url_is_this_machine() -> None:
    assert local_url("127.0.0.1", 4000) == "http://127.0.0.1:4000"
    assert local_url("0.0.0.0", 4001) == "http://127.0.0.1:4001"
    assert local_url("::1", 4002) == "http://[::1]:4002"


def test_build_command_replaces_url_and_keeps_baseurl_unless_given(tmp_path: Path) -> None:
    command = build_command(tmp_path, tmp_path / "_site", "http://127.0.0.1:4000", None, None)
    assert command[1:] == [
        "-m",
        "pelican.plugins.palimpsest.cli",
        "build",
        str(tmp_path),
        "-o",
        str(tmp_path / "_site"),
        "--url",
        "http://127.0.0.1:4000",
    ]
    command = build_command(tmp_path, tmp_path / "o", "http://127.0.0.1:4000", "/x", tmp_path / "p.py")
    assert command[-4:] == ["--baseurl", "/x", "-s", str(tmp_path / "p.py")]


def test_build_url_and_baseurl_override_the_config(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", baseurl="/old")
    output = tmp_path / "out"
    assert main(["build", str(site), "-o", str(output), "--url", "http://localhost:9", "--baseurl", "/blog"]) == 0
    home = (output / "index.html").read_text(encoding="utf-8")
    assert STYLESHEET.findall(home) == ["http://localhost:9/blog/theme/css/palimpsest.css"]
    assert "tiny.example.org" not in home
    assert "/old/" not in home


def _stop(process: subprocess.Popen[bytes], log: Path) -> int:
    """SIGTERM, as Ctrl-C: the server stops by itself (killed, and the test failed, if it does not)."""
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
        pytest.fail(f"palimpsest serve did not stop on SIGTERM:\n{log.read_text(errors='replace')}")


def _serve(site: Path, port: int, sink: IO[bytes]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "pelican.plugins.palimpsest.cli", "serve", str(site), "--port", str(port)]
    return subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)


def test_serve_under_the_baseurl_with_the_built_404_page(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", baseurl="/blog")
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        process = _serve(site, port, sink)
        try:
            page = _wait_for(f"http://127.0.0.1:{port}/blog/", "Welcome home.", process, log)
            assert STYLESHEET.findall(page) == [f"http://127.0.0.1:{port}/blog/theme/css/palimpsest.css"]
            assert "Welcome home." in _get(f"http://127.0.0.1:{port}/")[1]  # redirected to /blog/
            status, text = _get(f"http://127.0.0.1:{port}/blog/nothing-here")
            assert status == 404
            built = (site / "_site" / "404.html").read_text(encoding="utf-8")
            assert built.split("</head>")[1] in text  # the site's own page (its head has the reload script), not Tornado's
        finally:
            status = _stop(process, log)
    assert status == 0, log.read_text(errors="replace")


def test_serve_points_at_itself_and_rebuilds_on_change(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    port = _free_port()
    log = tmp_path / "serve.log"
    home = f"http://127.0.0.1:{port}/"
    with log.open("wb") as sink:
        process = _serve(site, port, sink)
        try:
            page = _wait_for(home, "Welcome home.", process, log)
            stylesheets = STYLESHEET.findall(page)
            assert stylesheets == [f"http://127.0.0.1:{port}/theme/css/palimpsest.css"]
            assert _get(stylesheets[0])[0] == 200
            assert "tiny.example.org" not in page
            assert "livereload.js" in page  # the browser reloads after a build
            assert (site / "_site" / "index.html").is_file()  # jekyll serve's default output folder

            post = f"http://127.0.0.1:{port}/2024/01/01/hello.html"
            _wait_for(post, "First version.", process, log)
            time.sleep(1.0)  # a change the watcher sees as one after its start
            (site / "_posts" / "2024-01-01-hello.md").write_text("---\ntitle: Hello\n---\nSecond version.\n", encoding="utf-8")
            _wait_for(post, "Second version.", process, log)
        finally:
            status = _stop(process, log)
    assert status == 0, log.read_text(errors="replace")
    assert "stopped" in log.read_text(errors="replace")


def test_serve_refuses_a_missing_site(tmp_path: Path) -> None:
    assert main(["serve", str(tmp_path / "nowhere")]) == 2
