"""A build that would change nothing is not run: ``palimpsest build`` compares a stamp of everything
it reads with the one its last successful build left, before Pelican starts.

The stamp covers the site's files (all but the folders the build does not read: the output folder,
``.git``, what ``exclude:`` leaves out, as :mod:`..jekyll.containment` scanned them last time), the
command line, the library's code with its theme and includes, the installed distributions and
Python, a ``-s pelicanconf.py`` and any theme folder it named, the git ``HEAD`` (revisions come from
history) and the environment's time zone and locale.  Equal stamps, every file the last build wrote
still there with the same size and modification time, and no document's date reached since (a post
dated in the future is published when its date comes): nothing is run, the last build's warnings
and migration notes are said again, and the command says so in one line.

Files are compared by their bytes (names and a blake2b of each): a ``touch`` or a checkout that
restores a file builds nothing.  A file's digest is taken again only when its size, modification
or change time or inode differ from those kept with it, so that large static files are not read on
every build; a file changed within :data:`RACY_NS` of the last walk is always read again (a coarse
file-system clock can give two writes the same time).  A build with errors writes no stamp, and any
build that runs removes the previous one first, so an interrupted build is never taken as done.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..common.atomic import replace_atomically
from .cache_folder import CACHE_FOLDER

logger = logging.getLogger(__name__)

__all__ = ["BuildStamp", "distributions_digest", "package_digest", "tree_digest"]

STAMP_FILE = "stamp.json"
FILES_FILE = "stamp-files.json"  # the digests of the site's files, kept across builds (not a stamp)
FORMAT = 1
RACY_NS = 2_000_000_000  # files changed this close to a walk are read again next time
PACKAGE = Path(__file__).resolve().parents[1]
# Folders never read by a build, left out of the first walk (before any build said what it left out).
FIRST_PRUNED = (".git", ".jekyll-cache", ".sass-cache", "node_modules", "vendor/bundle", "vendor/cache", "vendor/gems", "vendor/ruby")
# Command-line options that do not change the output (a parallel build writes what a serial one does).
UNKEYED_OPTIONS = frozenset({"run", "jobs"})
ENVIRONMENT = ("TZ", "LANG", "LC_ALL", "LC_TIME", "SOURCE_DATE_EPOCH")
_DIGEST_SIZE = 16
SITE_MARKER = "\0site\0"


def _hash() -> hashlib.blake2b:
    return hashlib.blake2b(digest_size=_DIGEST_SIZE)


def _file_digest(path: str) -> str:
    """The digest of a file's bytes (``unreadable:<errno>`` when it cannot be read)."""
    digest = _hash()
    try:
        with open(path, "rb") as file:
            while chunk := file.read(1 << 20):
                digest.update(chunk)
    except OSError as err:
        return f"unreadable:{err.errno}"
    return digest.hexdigest()


def tree_digest(root: Path) -> str:
    """Names and bytes of every file below *root* (compiled Python left out)."""
    digest = _hash()
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        for name in sorted(files):
            path = os.path.join(folder, name)
            digest.update(f"{os.path.relpath(path, root)}\0{_file_digest(path)}\0".encode())
    return digest.hexdigest()


_PACKAGE_DIGEST: list[str] = []


def package_digest() -> str:
    """The library's own files (code, theme, includes): read once per process."""
    if not _PACKAGE_DIGEST:
        _PACKAGE_DIGEST.append(tree_digest(PACKAGE))
    return _PACKAGE_DIGEST[0]


def distributions_digest() -> str:
    """Python and the installed distributions with their versions (the ``*.dist-info`` names)."""
    import pelican

    folders = {str(Path(pelican.__file__).resolve().parents[1]), *(p for p in sys.path if p.endswith("site-packages"))}
    names = []
    for folder in sorted(folders):
        try:
            names += [name for name in os.listdir(folder) if name.endswith((".dist-info", ".egg-info", ".egg-link", ".pth"))]
        except OSError:
            continue
    return _text_digest("\0".join([sys.version, sys.executable, *sorted(names)]))


def _text_digest(text: str) -> str:
    digest = _hash()
    digest.update(text.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _git_head(root: Path) -> str:
    """The commit the site's repository is at (revisions come from its history), or ``none``."""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return _head_of(dot_git)
        if dot_git.is_file():  # a worktree or a submodule: "gitdir: <path>"
            text = dot_git.read_text(encoding="utf-8", errors="replace").strip()
            if text.startswith("gitdir:"):
                return _head_of((folder / text.removeprefix("gitdir:").strip()).resolve())
            return "unreadable .git file"
    return "none"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _head_of(git_dir: Path) -> str:
    common = git_dir / _read(git_dir / "commondir").strip() if (git_dir / "commondir").is_file() else git_dir
    head = _read(git_dir / "HEAD").strip()
    parts = [head, _read(common / "shallow")]
    if head.startswith("ref:"):
        ref = head.removeprefix("ref:").strip()
        value = _read(git_dir / ref).strip() or _read(common / ref).strip()
        if not value:
            packed = _read(common / "packed-refs").splitlines()
            value = next((line.split()[0] for line in packed if line.endswith(f" {ref}")), "unborn")
        parts.append(value)
    return _text_digest("\0".join(parts))


@dataclass
class _Walk:
    """The site's files: relative path -> [size, mtime_ns, ctime_ns, inode, digest] (and a link's target)."""

    taken_ns: int
    files: dict[str, list[Any]] = field(default_factory=dict)
    pruned: tuple[str, ...] = ()


def _walk(root: Path, pruned: tuple[str, ...], known: Mapping[str, list[Any]], known_taken_ns: int) -> _Walk:
    """Every file below *root* but the *pruned* folders (relative paths), with its digest: taken from
    *known* when the file's size and times are unchanged and were not racy, else from its bytes."""
    walk = _Walk(time.time_ns(), pruned=pruned)
    skipped = set(pruned)
    stack = [""]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(root / folder if folder else root))
        except OSError:
            continue
        for entry in entries:
            relative = f"{folder}/{entry.name}" if folder else entry.name
            if relative in skipped:
                continue
            try:
                if entry.is_symlink():  # where it points, and what it reads as (a folder: walked where it is)
                    target = "link:" + os.readlink(entry.path)
                    if os.path.isdir(entry.path):
                        walk.files[relative] = [0, 0, 0, 0, target]
                    else:
                        state = os.stat(entry.path)
                        walk.files[relative] = [*_state(state), _digest(entry.path, state, known.get(relative), known_taken_ns), target]
                elif entry.is_dir(follow_symlinks=False):
                    stack.append(relative)
                else:
                    state = entry.stat(follow_symlinks=False)
                    walk.files[relative] = [*_state(state), _digest(entry.path, state, known.get(relative), known_taken_ns)]
            except OSError as err:
                walk.files[relative] = [0, 0, 0, 0, f"unreadable:{err.errno}"]
    return walk


def _state(state: os.stat_result) -> list[int]:
    return [state.st_size, state.st_mtime_ns, state.st_ctime_ns, state.st_ino]


def _digest(path: str, state: os.stat_result, known: list[Any] | None, known_taken_ns: int) -> str:
    if known is not None and known[:4] == _state(state) and max(state.st_mtime_ns, state.st_ctime_ns) < known_taken_ns - RACY_NS:
        return str(known[4])
    return _file_digest(path)


def _under(relative: str, folders: tuple[str, ...]) -> bool:
    return any(relative == folder or relative.startswith(folder + "/") for folder in folders)


def _site_digest(files: Mapping[str, list[Any]], pruned: tuple[str, ...]) -> str:
    digest = _hash()
    for relative in sorted(files):
        if not _under(relative, pruned):
            digest.update(f"{relative}\0{files[relative][4:]}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _outputs(output: Path) -> dict[str, list[int]]:
    """Every file of the output folder but the caches: relative path -> [size, mtime_ns]."""
    found: dict[str, list[int]] = {}
    for folder, folders, files in os.walk(output):
        if folder == str(output):
            folders[:] = [name for name in folders if name != CACHE_FOLDER]
        for name in files:
            path = os.path.join(folder, name)
            try:
                state = os.stat(path)
            except OSError:
                continue
            found[os.path.relpath(path, output)] = [state.st_size, state.st_mtime_ns]
    return found


def _outputs_intact(output: Path, recorded: Mapping[str, list[int]]) -> bool:
    for relative, (size, mtime_ns) in recorded.items():
        try:
            state = os.stat(output / relative)
        except OSError:
            return False
        if state.st_size != size or state.st_mtime_ns != mtime_ns:
            return False
    return True


def _load(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) and value.get("format") == FORMAT else {}


def _write_json(path: Path, value: Any) -> None:
    """Atomically (common/atomic.py)."""
    replace_atomically(path, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


class _Warnings(logging.Handler):
    """The WARNING records of a build, kept to be said again when the next build is not run; the site's
    folder in them named by a marker (an output folder may be published whole)."""

    def __init__(self, site_root: Path) -> None:
        super().__init__(level=logging.WARNING)
        self.site_root = str(site_root)
        self.records: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.ERROR:
            kept = ("name", "levelno", "levelname", "filename", "module", "lineno", "funcName")
            message = record.getMessage().replace(self.site_root, SITE_MARKER)
            self.records.append({name: getattr(record, name, None) for name in kept} | {"msg": message, "pathname": record.filename})


class BuildStamp:
    """The stamp of one ``palimpsest build`` of *site_root* into *output*, taken before it runs."""

    def __init__(self, site_root: Path, output: Path, options: Mapping[str, Any]):
        self.site_root, self.output = site_root, output
        self.folder = output / CACHE_FOLDER
        self.stored = _load(self.folder / STAMP_FILE)
        known = _load(self.folder / FILES_FILE)
        pruned = tuple(known.get("pruned") or FIRST_PRUNED)
        if output.is_relative_to(site_root) and output != site_root:
            pruned = (*pruned, output.relative_to(site_root).as_posix())
        self.walk = _walk(site_root, pruned, known.get("files") or {}, int(known.get("taken_ns") or 0))
        self.parts = self._parts(options)
        self._warnings: _Warnings | None = None

    @classmethod
    def before_build(cls, site_root: Path, output: Path, options: Mapping[str, Any]) -> BuildStamp:
        """The stamp of the inputs as they are now (*options*: the command line's, ``vars(args)``)."""
        return cls(site_root.resolve(), output.resolve(), options)

    def _parts(self, options: Mapping[str, Any]) -> dict[str, str]:
        keyed = {key: value for key, value in options.items() if key not in UNKEYED_OPTIONS}
        keyed |= {"site": str(self.site_root), "output": str(self.output)}
        parts = {
            "site": _site_digest(self.walk.files, self.walk.pruned),
            "options": _text_digest(json.dumps(keyed, sort_keys=True, default=str)),
            "code": package_digest(),
            "python": distributions_digest(),
            "git": _git_head(self.site_root),
            "environment": _text_digest(json.dumps({name: os.environ.get(name) for name in ENVIRONMENT}, sort_keys=True)),
        }
        if options.get("settings"):
            parts["settings file"] = _file_digest(str(options["settings"]))
        for folder in self.stored.get("folders") or []:  # a theme named by the settings file, last time
            parts[f"folder {folder}"] = tree_digest(Path(folder))
        return parts

    def unchanged(self) -> bool:
        """Whether the last successful build had these inputs, its files are all there as it left
        them, and no document's date has come since; why not is logged at DEBUG."""
        stored = self.stored
        if not stored:
            logger.debug("no stamp of a previous build in %s", self.folder)
            return False
        changed = sorted(name for name in {*self.parts, *(stored.get("parts") or {})} if self.parts.get(name) != stored["parts"].get(name))
        if changed:
            logger.debug("build inputs changed since the last build: %s", ", ".join(changed))
            return False
        until = stored.get("valid_until")
        if until is not None and time.time() >= float(until):
            logger.debug("a document's date has come since the last build")
            return False
        if not _outputs_intact(self.output, stored.get("outputs") or {}):
            logger.debug("a file of the last build was changed or removed")
            return False
        return True

    def replay(self) -> None:
        """Say again what the last build said: its warnings (logged again) and its migration notes
        (noted again, for the command's report)."""
        from .. import report
        from .logs import replay

        records = []
        for fields in self.stored.get("warnings") or []:
            message = str(fields.get("msg") or "").replace(SITE_MARKER, str(self.site_root))
            records.append(logging.makeLogRecord({**fields, "msg": message, "args": None}))
        replay(records)
        for kind, name, file, line in self.stored.get("notes") or []:
            report.note_unknown(kind, name, str(file).replace(SITE_MARKER, str(self.site_root)), line)

    @contextmanager
    def recording(self) -> Iterator[None]:
        """While the build runs: the previous stamp is gone (an interrupted build is not a build),
        and its warnings are kept for the next."""
        (self.folder / STAMP_FILE).unlink(missing_ok=True)
        handler = self._warnings = _Warnings(self.site_root)
        logging.getLogger().addHandler(handler)
        try:
            yield
        finally:
            logging.getLogger().removeHandler(handler)

    def save(self) -> bool:
        """After a build without errors: keep the stamp for the next one.  Not kept (False) when the
        build cannot be repeated from its inputs (a document printed ``site.time``), when the build
        did not say what it read, or when it reads a folder the walk before it left out."""
        from .writer import last_build

        build = last_build(self.output)
        if build is None or build.time_dependent:
            return False
        try:
            pruned = tuple(build.unread_folders(self.site_root))
        except Exception as err:  # the site cannot be scanned as the build did: no stamp, the next one builds
            logger.debug("no stamp: the folders the build read are not known (%s)", err)
            return False
        if not all(_under(folder, pruned) for folder in self.walk.pruned if os.path.lexists(self.site_root / folder)):
            logger.debug("the build reads a folder the stamp left out: no stamp this time")
            return False
        parts = dict(self.parts)
        parts["site"] = _site_digest(self.walk.files, pruned)
        folders = [str(folder) for folder in build.theme_folders() if not folder.is_relative_to(PACKAGE)]
        for folder in folders:  # as before the build when it was named last time too
            parts[f"folder {folder}"] = self.parts.get(f"folder {folder}") or tree_digest(Path(folder))
        from .. import report

        notes = [[u.kind, u.name, str(u.file).replace(str(self.site_root), SITE_MARKER), u.line] for u in report.collected()]
        horizon = build.horizon(dt.datetime.fromtimestamp(self.walk.taken_ns / 1e9, dt.timezone.utc))
        stamp = {
            "format": FORMAT,
            "parts": parts,
            "folders": folders,
            "valid_until": horizon.timestamp() if horizon else None,
            "outputs": _outputs(self.output),
            "warnings": self._warnings.records if self._warnings else [],
            "notes": notes,
        }
        kept = {relative: state for relative, state in self.walk.files.items() if not _under(relative, pruned)}
        _write_json(self.folder / FILES_FILE, {"format": FORMAT, "taken_ns": self.walk.taken_ns, "pruned": list(pruned), "files": kept})
        _write_json(self.folder / STAMP_FILE, stamp)
        return True
