"""What a document's rendering read besides its own file, so that its cached result is used only while
all of it is unchanged.

Three kinds of input are noted while a :func:`recording` is under way (the
hooks are in ``liquid/include_tag.py``, ``jekyll/site.py`` and
``jekyll/documents.py``):

- each include file looked up, found or not (a site's ``_includes/x`` added
  later hides the theme's ``x``): :func:`note_file`;
- the site's documents (``site.posts``, ``site.tags``, ``page.next``, ``post_url``,
  ``link``…): :func:`note_site_wide`;
- the clock (``site.time``): :func:`note_clock`, which no later build can reproduce.

Outside a recording the hooks cost one test of a module global.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["MISSING", "Uses", "file_digest", "forget_digests", "note_clock", "note_file", "note_site_wide", "recording", "recording_now"]

MISSING = "missing"  # the digest of a file that is not there (or cannot be read)


@dataclass
class Uses:
    """The inputs of one rendering beyond its file, the site's configuration and the library's code."""

    files: dict[str, str] = field(default_factory=dict)  # absolute path -> digest (or MISSING)
    site_wide: bool = False
    clock: bool = False


_CURRENT: Uses | None = None
_DIGESTS: dict[str, str] = {}  # this build's digests: each file read once per build


def file_digest(path: str | Path) -> str:
    """The digest of *path*'s bytes (:data:`MISSING` when it is no readable file), once per build."""
    key = str(path)
    known = _DIGESTS.get(key)
    if known is None:
        try:
            known = hashlib.sha256(Path(key).read_bytes()).hexdigest()[:32]
        except OSError:  # not there, a folder, unreadable
            known = MISSING
        _DIGESTS[key] = known
    return known


def forget_digests() -> None:
    """A new build: files may have changed since the digests were taken."""
    _DIGESTS.clear()


@contextmanager
def recording() -> Iterator[Uses]:
    """Note what the block reads (recordings nest: an inner one's uses are the outer one's too)."""
    global _CURRENT
    outer, uses = _CURRENT, Uses()
    _CURRENT = uses
    try:
        yield uses
    finally:
        _CURRENT = outer
        if outer is not None:
            outer.files.update(uses.files)
            outer.site_wide |= uses.site_wide
            outer.clock |= uses.clock


def note_file(path: str | Path) -> None:
    """The rendering looked *path* up (read it, or found it missing)."""
    if _CURRENT is not None:
        key = str(path)
        if key not in _CURRENT.files:
            _CURRENT.files[key] = file_digest(key)


def note_site_wide() -> None:
    """The rendering read the site's documents."""
    if _CURRENT is not None:
        _CURRENT.site_wide = True


def note_clock() -> None:
    """The rendering read the build's time."""
    if _CURRENT is not None:
        _CURRENT.clock = True


def recording_now() -> bool:
    """Whether a :func:`recording` is under way (a hook may skip its work when not)."""
    return _CURRENT is not None
