"""The ``palimpsest`` command: render one document, or build a Jekyll site with Pelican.

Exit status: 0 on success, 1 when any document failed, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import report
from .errors import DocumentError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return str(value)


def command_render(args: argparse.Namespace) -> int:
    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.WARNING)
    from .document import render_document
    from .jekyll.site import JekyllSite

    path = Path(args.file)
    if not path.is_file():
        print(f"palimpsest: no such file: {path}", file=sys.stderr)
        return EXIT_USAGE
    if args.config and not Path(args.config).is_file():
        print(f"palimpsest: no such config file: {args.config}", file=sys.stderr)
        return EXIT_USAGE
    try:
        site = JekyllSite.for_file(path, Path(args.config) if args.config else None)
        document = render_document(path, site, plain=args.plain)
    except DocumentError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_FAILED
    if args.format == "json":
        payload = {"html": document.html, "metadata": document.metadata}
        print(json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True, default=_json_default))
    else:
        sys.stdout.write(document.html)
    return EXIT_OK


class _ErrorCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _site_and_output(args: argparse.Namespace) -> tuple[Path, Path] | None:
    """The site folder and the output folder of ``build`` and ``serve``; None (said why) when unusable."""
    site_root = Path(args.site).resolve()
    if not site_root.is_dir():
        print(f"palimpsest: no such folder: {site_root}", file=sys.stderr)
        return None
    output = _output_folder(args.output, site_root)
    if site_root.is_relative_to(output):  # writing there could overwrite the site's own files
        print(f"palimpsest: the output folder {output} may not be the site folder or hold it", file=sys.stderr)
        return None
    return site_root, output


def _output_folder(option: str | None, site_root: Path) -> Path:
    """``-o``, else ``destination:`` of ``_config.yml`` (relative to the site, as in Jekyll), else ``_site``.
    A ``_config.yml`` that cannot be read gives ``_site`` here; the build reports it."""
    if option:
        return Path(option).resolve()
    from .errors import DocumentError
    from .jekyll.site import JekyllSite

    try:
        destination = JekyllSite.load(site_root).config.get("destination")
    except DocumentError:
        destination = None
    return (site_root / destination).resolve() if isinstance(destination, str) and destination.strip() else site_root / "_site"


def command_build(args: argparse.Namespace) -> int:
    from pelican.log import init as init_logging

    from .build.stamp import BuildStamp

    folders = _site_and_output(args)
    if folders is None:
        return EXIT_USAGE
    site_root, output = folders
    stamp = BuildStamp.before_build(site_root, output, vars(args))
    if not logging.getLogger().handlers:
        init_logging(level=logging.WARNING)
    report.reset()
    if stamp.unchanged():  # the last build's output stands: what it said is said again
        stamp.replay()
        print("palimpsest: nothing changed since the last build: 0 documents rendered")
        return EXIT_FAILED if _print_report(site_root, strict=args.strict) else EXIT_OK
    counter = _ErrorCounter()
    logging.getLogger().addHandler(counter)
    try:
        with stamp.recording():
            _build(args, site_root, output)
    except Exception as err:  # bad input is logged by file and line where it is found: this is a bug
        logging.getLogger(__name__).error(
            "internal error (a bug in palimpsest; please report it with this traceback): %s", err, exc_info=True
        )
    finally:
        logging.getLogger().removeHandler(counter)
    errors = counter.count + _print_report(site_root, strict=args.strict)
    if errors:
        print(f"palimpsest: {errors} error(s); see the messages above", file=sys.stderr)
        return EXIT_FAILED
    stamp.save()
    return EXIT_OK


def _print_report(site_root: Path, *, strict: bool) -> int:
    """The migration report (``report.py``) on stderr; its number of errors (with ``--strict``, each line is one)."""
    lines = report.summary(report.collected(), site_root)
    if lines:
        what = "error" if strict else "warning"
        print(f"palimpsest: {what}: this site asks for what palimpsest does not understand:", file=sys.stderr)
        print("\n".join(lines), file=sys.stderr)
    return len(lines) if strict else 0


def config_overrides(args: argparse.Namespace) -> dict[str, str]:
    """``--url`` and ``--baseurl`` over ``_config.yml``'s values, as ``jekyll build --baseurl`` does."""
    given = {"url": getattr(args, "url", None), "baseurl": getattr(args, "baseurl", None)}
    return {key: value for key, value in given.items() if value is not None}


def _build(args: argparse.Namespace, site_root: Path, output: Path) -> None:
    """Load the site and run Pelican; bad input is logged by its ``file:line``, with no traceback."""
    from pelican.settings import read_settings

    from pelican import Pelican

    from .jekyll.site import JekyllSite
    from .resources import THEME_PATH
    from .settings import settings_from_jekyll

    log = logging.getLogger(__name__)
    try:
        # An unreadable _config.yml builds nothing: its exclude:, permalinks and URL are unknown.
        site = JekyllSite.load(site_root, fresh=True)
    except DocumentError as err:
        log.error("%s (nothing is built)", err)
        return
    config = config_overrides(args)
    site.config.update(config)  # before anything reads it (the site is shared with the reader: reader.site_for)
    report.note_plugins(site.config, site.config_path)
    report.note_ruby_plugins(site_root)
    overrides = settings_from_jekyll(site, output)
    overrides.setdefault("THEME", str(THEME_PATH))
    overrides["PLUGINS"] = ["pelican.plugins.palimpsest"]
    strict: dict[str, Any] = {"PALIMPSEST_STRICT_HISTORY": True} if args.strict else {}
    if getattr(args, "jobs", None) is not None:
        strict["PALIMPSEST_JOBS"] = args.jobs  # build/workers.py
    if config:
        strict["PALIMPSEST_CONFIG_OVERRIDES"] = config
    if args.settings:
        if config:  # a pelicanconf.py's SITEURL is replaced too
            strict["SITEURL"] = overrides["SITEURL"]
        settings = read_settings(str(args.settings), override={"OUTPUT_PATH": str(output), "PATH": str(site_root), **strict})
    else:
        settings = read_settings(None, override={**overrides, **strict})
    # Pelican's own chatter stays at WARNING; this plugin's progress (revision counts) is shown.
    logging.getLogger("pelican.plugins.palimpsest").setLevel(logging.INFO)
    try:
        Pelican(settings).run()
    except DocumentError as err:  # bad input that stopped the whole build: its file and line say why
        log.error("%s (the build stopped here)", err)


def command_history(args: argparse.Namespace) -> int:
    from .revisions.history import GitUnavailable, check_shallow, read_history, repository_root

    path = Path(args.file).resolve()
    if not path.is_file():
        print(f"palimpsest: no such file: {path}", file=sys.stderr)
        return EXIT_USAGE
    try:
        root = repository_root(path)
        check_shallow(root, strict=args.strict)
        revisions = read_history(root, [path])[path]
    except GitUnavailable as err:
        print(f"palimpsest: no git history for {path}: {err}", file=sys.stderr)
        return EXIT_FAILED
    except DocumentError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_FAILED
    for revision in revisions:
        print(f"{revision.date.isoformat()}  {revision.short}  {revision.message}")
    return EXIT_OK


def _jobs(text: str) -> int:
    """``-j N``: a whole number of processes, 0 for one per CPU."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"not a number of processes: {text!r} (1 builds in this process alone, 0 uses every CPU)")
    return value


def _add_jobs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        metavar="N",
        help="render documents in N processes (default: one per CPU, at most 8; 1: none besides this one)",
    )


def _add_url_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", help="the site's url (replaces _config.yml's url)")
    parser.add_argument("--baseurl", help="the site's baseurl (replaces _config.yml's baseurl)")


def command_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    folders = _site_and_output(args)
    if folders is None:
        return EXIT_USAGE
    site_root, output = folders
    if not 0 <= args.port < 65536:
        print(f"palimpsest: not a port: {args.port}", file=sys.stderr)
        return EXIT_USAGE
    settings = Path(args.settings).resolve() if args.settings else None
    watched = [Path(p).resolve() for p in args.watch]
    return serve(site_root, output, host=args.host, port=args.port, baseurl=args.baseurl, settings=settings, watch=watched, jobs=args.jobs)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="palimpsest", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    render = commands.add_parser("render", help="print one document's rendered body")
    render.add_argument("file")
    render.add_argument("--config", help="a Jekyll _config.yml (default: the nearest one above FILE)")
    render.add_argument("--plain", action="store_true", help="exactly what Jekyll + kramdown produce, no enhancements")
    render.add_argument("--format", choices=("html", "json"), default="html")
    render.set_defaults(run=command_render)

    build = commands.add_parser("build", help="build a Jekyll-style site folder with Pelican")
    build.add_argument("site", nargs="?", default=".")
    build.add_argument("-o", "--output", help="output folder (default: destination: of _config.yml, else SITE/_site)")
    build.add_argument("-s", "--settings", help="a pelicanconf.py to use instead of _config.yml")
    build.add_argument(
        "--strict",
        action="store_true",
        help="a shallow git clone, and what the migration report lists (unknown plugins, layouts, Liquid tags), are errors",
    )
    _add_url_options(build)
    _add_jobs_option(build)
    build.set_defaults(run=command_build)

    serve = commands.add_parser("serve", help="build SITE, serve it on 127.0.0.1, rebuild and reload the browser on change")
    serve.add_argument("site", nargs="?", default=".")
    serve.add_argument("-o", "--output", help="output folder (default: destination: of _config.yml, else SITE/_site)")
    serve.add_argument("-s", "--settings", help="a pelicanconf.py to use instead of _config.yml")
    serve.add_argument("-H", "--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    serve.add_argument("-P", "--port", type=int, default=4000, help="the port to listen on (default: 4000)")
    serve.add_argument("--baseurl", help="serve under this path instead of _config.yml's baseurl")
    serve.add_argument("--watch", action="append", default=[], help="a further file or folder to watch (repeatable)")
    _add_jobs_option(serve)
    serve.set_defaults(run=command_serve)

    history = commands.add_parser("history", help="list a file's revisions (date, id, message), newest first")
    history.add_argument("file")
    history.add_argument("--strict", action="store_true", help="a shallow clone is an error, not a warning")
    history.set_defaults(run=command_history)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code not in (0, None) else EXIT_OK
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
