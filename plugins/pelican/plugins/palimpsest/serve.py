"""``palimpsest serve``: a local preview, as ``jekyll serve`` gives one.

The site is built with ``url`` replaced by the local address (so the stylesheet and every link
point to this machine, not to the live domain), served under its ``baseurl`` by livereload (which
also injects its reload script into every HTML page), and built again whenever a file of the site
changes: watchfiles watches the site (the output folder ignored), each build runs in its own
process (fresh state, the library's own code as it is now) in a thread, so the server keeps
answering while it runs, and the browser reloads once it is done.
"""

from __future__ import annotations

import logging
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

import watchfiles
from livereload import Server
from livereload.handlers import StaticFileHandler
from livereload.watcher import Watcher
from tornado import web

# Folders no build reads (besides watchfiles' own list: .git, node_modules, __pycache__…).
IGNORED_FOLDERS = (".jekyll-cache", ".sass-cache", ".jekyll-metadata")


def local_url(host: str, port: int) -> str:
    """The site's ``url`` while it is served: this machine's address (a wildcard address is not one)."""
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def build_command(site: Path, output: Path, url: str, baseurl: str | None, settings: Path | None, jobs: int | None = None) -> list[str]:
    """``palimpsest build`` for the preview, run by this Python in a process of its own."""
    command = [sys.executable, "-m", "pelican.plugins.palimpsest.cli", "build", str(site), "-o", str(output), "--url", url]
    if baseurl is not None:
        command += ["--baseurl", baseurl]
    if settings is not None:
        command += ["-s", str(settings)]
    if jobs is not None:
        command += ["-j", str(jobs)]
    return command


def configured_baseurl(site: Path) -> str:
    """The site's ``baseurl`` from its ``_config.yml`` (where the built pages expect to be served)."""
    from .jekyll.site import JekyllSite

    return str(JekyllSite.load(site).config.get("baseurl") or "")


class Builder:
    """Runs the build command, one at a time; :meth:`stop` ends a build under way."""

    def __init__(self, command: Sequence[str]) -> None:
        self.command = list(command)
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._stopped = threading.Event()  # set by another thread: an Event, not a flag

    def build(self) -> int:
        """Build once; the build's exit status (its messages go to this process's stderr)."""
        started = time.monotonic()
        with self._lock:
            if self._stopped.is_set():
                return 1
            self._process = subprocess.Popen(self.command)
        status = self._process.wait()
        if self._stopped.is_set():
            _say("build stopped")
            return status
        _say(f"built in {time.monotonic() - started:.1f} s" + (f" (exit status {status}: see the errors above)" if status else ""))
        return status

    def stop(self) -> None:
        with self._lock:
            self._stopped.set()
            if self._process is not None and self._process.poll() is None:
                self._process.terminate()
                try:
                    self._process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._process.kill()


class SiteWatcher(Watcher):
    """livereload's watcher, fed by watchfiles: a batch of changes in *paths* (the output folder
    ignored) builds the site once, in a thread; livereload asks :meth:`examine` every 0.8 s and
    reloads the browser when a build has finished."""

    paths: list[Path]
    builder: Builder
    filter: watchfiles.DefaultFilter

    def configure(self, paths: Sequence[Path], output: Path, builder: Builder) -> SiteWatcher:
        """What to watch and what to run (livereload makes its watcher with no arguments)."""
        self.paths = list(paths)
        self.builder = builder
        self.filter = watchfiles.DefaultFilter(
            ignore_dirs=(*watchfiles.DefaultFilter.ignore_dirs, *IGNORED_FOLDERS), ignore_paths=(output,)
        )
        self._built: queue.Queue[str] = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="palimpsest-watch", daemon=True)
        for path in self.paths:  # livereload watches its working folder when it has no task
            self.watch(str(path))
        return self

    def start(self, callback: Any) -> bool:
        """Start watching; False: livereload then polls :meth:`examine`."""
        if not self._thread.is_alive():
            self._thread.start()
        return False

    def examine(self) -> tuple[str | None, Any]:
        """A restart livereload asked for, else the first file changed before the last finished build."""
        if self._changes:
            change: tuple[str | None, Any] = self._changes.pop()
            return change
        try:
            self.filepath = self._built.get_nowait()
        except queue.Empty:
            return None, None
        return self.filepath, None

    def _run(self) -> None:
        for changes in watchfiles.watch(*self.paths, watch_filter=self.filter, stop_event=self._stop, raise_interrupt=False):
            changed = sorted(_shown(Path(path), self.paths[0]) for _, path in changes)
            _say(f"{len(changed)} file(s) changed ({', '.join(changed[:3])}{' …' if len(changed) > 3 else ''}); building again")
            self.builder.build()
            if not self._stop.is_set():
                self._built.put(changed[0])

    def stop(self) -> None:
        self._stop.set()
        self.builder.stop()
        self._thread.join(timeout=10)


class PreviewServer(Server):
    """livereload's server, the output folder served under the site's ``baseurl``."""

    baseurl = ""

    def under(self, baseurl: str) -> PreviewServer:
        """Serve under *baseurl* (``/blog``), as the pages built for it expect."""
        self.baseurl = "/" + baseurl.strip("/") if baseurl.strip("/") else ""
        return self

    def get_web_handlers(self, script: bytes) -> list[tuple[Any, ...]]:
        files = (rf"{re.escape(self.baseurl)}/(.*)", SiteFiles, {"path": self.root, "default_filename": "index.html"})
        if not self.baseurl:
            return [files]
        home = {"url": f"{self.baseurl}/"}  # the bare prefix and the server's root lead to the site's home
        return [(re.escape(self.baseurl), web.RedirectHandler, home), ("/", web.RedirectHandler, home), files]


class SiteFiles(StaticFileHandler):
    """The output folder's files; a missing one answered with the site's own ``404.html``, as Jekyll's server does."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        page = Path(self.root) / "404.html"
        if status_code == 404 and page.is_file():
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            self.finish(page.read_bytes())
        else:
            super().write_error(status_code, **kwargs)


def _shown(path: Path, site: Path) -> str:
    return str(path.relative_to(site)) if path.is_relative_to(site) else str(path)


def _say(message: str) -> None:
    """Progress on stderr, as ``jekyll serve`` prints it (not logged: Pelican's log filter drops a repeated message)."""
    print(f"palimpsest: {time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM ends the preview as Ctrl-C does


def serve(
    site: Path,
    output: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 4000,
    baseurl: str | None = None,
    settings: Path | None = None,
    watch: Sequence[Path] = (),
    jobs: int | None = None,
) -> int:
    """Build *site* into *output*, serve it on *host*:*port*, build again on change, until Ctrl-C.

    *watch*: further files or folders whose change builds again (a theme, a ``pelicanconf.py``)."""
    for name in ("livereload", "tornado"):  # they have their own handler (livereload adds it): once is enough
        logging.getLogger(name).propagate = False
    logging.getLogger("tornado.access").setLevel(logging.WARNING)  # a missing file is said, not every request
    url = local_url(host, port)
    served_under = configured_baseurl(site) if baseurl is None else baseurl
    builder = Builder(build_command(site, output, url, baseurl, settings, jobs))
    builder.build()
    output.mkdir(parents=True, exist_ok=True)  # served even when the build made nothing
    watcher = SiteWatcher().configure([site, *watch], output, builder)
    server = PreviewServer(watcher=watcher).under(served_under)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    _say(f"serving {output} at {url}{server.baseurl}/ (Ctrl-C to stop)")
    try:
        server.serve(host=host, port=port, root=str(output), restart_delay=0)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        watcher.stop()
    _say("stopped")
    return 0
