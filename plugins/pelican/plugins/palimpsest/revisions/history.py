"""An article's git history is its revision history.

Read with the ``git`` command: one ``git log`` walk over the content paths
with raw blob ids and rename detection, and one ``git cat-file --batch`` for
the blobs.  Renames are followed by walking newest first with a map from
path to document (``git log --follow`` takes one path per call).  The
working tree is the current version; committed history is the past.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import DocumentError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Revision:
    """One commit that changed a document's file."""

    commit: str
    date: dt.datetime  # author date, with its offset
    message: str  # the subject line
    path: str  # the file's path in that commit, relative to the repository
    blob: str  # the file's blob id: a content hash, hence a perfect cache key

    @property
    def short(self) -> str:
        return self.commit[:7]

    @property
    def slug(self) -> str:
        """``YYYY-MM-DD-sha7``: the revision's folder under ``history/``."""
        return f"{self.date.date().isoformat()}-{self.short}"


class GitUnavailable(Exception):
    """No git, or not a repository: there is no history to read."""


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        return subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, check=True).stdout
    except FileNotFoundError as err:
        raise GitUnavailable("the git command is not installed") from err
    except subprocess.CalledProcessError as err:
        raise GitUnavailable(err.stderr.decode("utf-8", "replace").strip()) from err


def repository_root(path: Path) -> Path:
    if shutil.which("git") is None:
        raise GitUnavailable("the git command is not installed")
    folder = path if path.is_dir() else path.parent
    return Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip())


def is_shallow(root: Path) -> bool:
    return _git(root, "rev-parse", "--is-shallow-repository").decode().strip() == "true"


def check_shallow(root: Path, strict: bool = False) -> None:
    """A shallow clone silently has one revision: say so, and how to fix it."""
    if not is_shallow(root):
        return
    message = f"{root} is a shallow clone: its history is incomplete, so archived revisions are missing. Fix: git fetch --unshallow"
    if strict:
        raise DocumentError(root, None, message)
    logger.warning("%s", message)


def read_history(root: Path, documents: list[Path], scope: Path | None = None) -> dict[Path, list[Revision]]:
    """Revisions of each of *documents* (absolute paths), newest first.

    *scope* (default: the repository) limits the walk; renames from outside
    it look like additions.
    """
    relative = {path.resolve().relative_to(root.resolve()).as_posix(): path for path in documents}
    if not relative:
        return {}
    tracked: dict[str, Path] = dict(relative)  # path at the commit being read -> document
    history: dict[Path, list[Revision]] = {path: [] for path in documents}
    pathspec = scope.resolve().relative_to(root.resolve()).as_posix() if scope else "."
    log = _git(root, "log", "-M", "--raw", "--no-abbrev", "-z", "--format=%x01%H%x00%aI%x00%s", "--", pathspec or ".")
    for record in log.decode("utf-8", "replace").split("\x01")[1:]:
        fields = record.split("\0")
        commit, date, message = fields[0], dt.datetime.fromisoformat(fields[1]), fields[2]
        index = 3
        while index < len(fields) and fields[index].lstrip("\n").startswith(":"):
            raw = fields[index].lstrip("\n")[1:].split()
            new_blob, status = raw[3], raw[4]
            if status[0] in "RC":
                old_path, new_path = fields[index + 1], fields[index + 2]
                index += 3
            else:
                old_path = new_path = fields[index + 1]
                index += 2
            document = tracked.get(new_path)
            if document is None or status[0] == "D":
                continue
            history[document].append(Revision(commit, date, message, new_path, new_blob))
            if status[0] == "R":
                tracked[old_path] = tracked.pop(new_path)
            elif status[0] == "A":
                del tracked[new_path]  # the file did not exist before this commit
    return history


_FIRST_ADDED: dict[str, tuple[str, dict[str, dt.datetime]]] = {}  # repository -> (HEAD, path -> first added)


def first_commit_date(path: Path) -> dt.datetime | None:
    """When *path* was first committed, renames followed back (as ``git log --follow --diff-filter=A``
    says): a stable date for a document that gives none.  One ``git log`` per repository and commit,
    however many documents ask (:func:`first_added`); one ``git rev-parse`` each."""
    try:
        found = _git(path.parent, "rev-parse", "--show-toplevel", "HEAD").decode().split("\n")
    except GitUnavailable:  # no git, no repository, or no commit yet
        return None
    if len(found) < 2:
        return None
    root, head = Path(found[0]), found[1]
    known = _FIRST_ADDED.get(str(root))
    if known is None or known[0] != head:
        try:
            known = _FIRST_ADDED[str(root)] = (head, first_added(root))
        except GitUnavailable:
            return None
    try:
        relative = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
    return known[1].get(relative)


def first_added(root: Path) -> dict[str, dt.datetime]:
    """Each path's first addition in the history of *root*'s ``HEAD``, renames followed back: walking
    oldest first, an added path keeps its first date, a renamed one takes its old name's."""
    log = _git(root, "log", "-M", "--raw", "--no-abbrev", "-z", "--format=%x01%aI", "--", ".")
    added: dict[str, dt.datetime] = {}
    for record in reversed(log.decode("utf-8", "replace").split("\x01")[1:]):
        fields = record.split("\0")
        date, index = dt.datetime.fromisoformat(fields[0]), 1
        while index < len(fields) and fields[index].lstrip("\n").startswith(":"):
            status = fields[index].lstrip("\n")[1:].split()[4]
            if status[0] in "RC":
                old_path, new_path = fields[index + 1], fields[index + 2]
                index += 3
                if status[0] == "R":
                    if old_path in added:
                        added[new_path] = added[old_path]
                    else:
                        added.pop(new_path, None)
            else:
                if status[0] == "A":
                    added.setdefault(fields[index + 1], date)
                index += 2
    return added


def blob_id(data: bytes, like: str) -> str:
    """The id git gives *data* as a blob (with no filter), hashed as *like*, another blob id, is (SHA-1 or SHA-256)."""
    algorithm = "sha1" if len(like) == 40 else "sha256"
    return hashlib.new(algorithm, b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def read_blobs(root: Path, blobs: list[str]) -> dict[str, bytes]:
    """The contents of *blobs*, in one ``git cat-file --batch`` call."""
    unique = sorted(set(blobs))
    if not unique:
        return {}
    output = _git(root, "cat-file", "--batch", stdin=("\n".join(unique) + "\n").encode())
    contents: dict[str, bytes] = {}
    position = 0
    for blob in unique:
        header_end = output.index(b"\n", position)
        header = output[position:header_end].split()
        if len(header) < 3:  # "<id> missing"
            position = header_end + 1
            continue
        size = int(header[2])
        contents[blob] = output[header_end + 1 : header_end + 1 + size]
        position = header_end + 1 + size + 1
    return contents
