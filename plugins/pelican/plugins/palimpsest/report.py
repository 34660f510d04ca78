"""The migration report: what a build met in a Jekyll site and did not understand.

A Jekyll site moved over as it is may ask for plugins this library does not implement, a layout the
theme does not have, a Liquid tag nobody registered. Each is noted where it is found (with the file
that asked for it) and ``palimpsest build`` prints them together at the end, in one short summary,
so that the author sees the whole migration's gaps at once; ``--strict`` makes them errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "IMPLEMENTED_PLUGINS",
    "Unknown",
    "collected",
    "note_plugins",
    "note_ruby_plugins",
    "note_unknown",
    "note_unknown_tag",
    "reset",
    "summary",
]

# The Jekyll plugins this library does itself (add yours here when you implement one): a site's
# ``plugins:`` (or the older ``gems:``) naming any other is reported.
IMPLEMENTED_PLUGINS: frozenset[str] = frozenset(
    {
        "jekyll-feed",
        "jekyll-gist",
        "jekyll-paginate",
        "jekyll-sitemap",
        "jemoji",
    }
)

# Liquid's own block parts: "unexpected tag 'endif'" is a misplaced tag, not an unknown one.
_BLOCK_PARTS = re.compile(r"end\w*|else|elsif|when|break|continue")
_UNEXPECTED_TAG = re.compile(r"unexpected tag '([^']+)'")


@dataclass(frozen=True)
class Unknown:
    """One thing not understood: its *kind* (``plugin``, ``layout``, ``Liquid tag``), its name, and
    the file (and line, when known) that asked for it."""

    kind: str
    name: str
    file: Path
    line: int | None = None


_NOTED: dict[Unknown, None] = {}  # insertion-ordered, each noted once


def reset() -> None:
    """Forget what was noted: a new build starts."""
    _NOTED.clear()


def note_unknown(kind: str, name: str, file: Path | str, line: int | None = None) -> None:
    """Note that *file* (at *line*) asked for the *kind* named *name*, which this library does not know."""
    _NOTED.setdefault(Unknown(kind, name, Path(file), line), None)


def note_unknown_tag(message: str, file: Path | str, line: int | None = None) -> None:
    """Note the tag of a Liquid error *message* when it is an unknown tag (not a misplaced ``endif``)."""
    found = _UNEXPECTED_TAG.fullmatch(message.strip())
    if found and not _BLOCK_PARTS.fullmatch(found.group(1)):
        note_unknown("Liquid tag", found.group(1), file, line)


def note_plugins(config: dict[str, Any], config_path: Path | None) -> None:
    """Note each plugin of ``plugins:`` and ``gems:`` (Jekyll 3's name) that is not in
    :data:`IMPLEMENTED_PLUGINS`, at its line of the site's ``_config.yml``."""
    from .jekyll.config import ConfigCheck

    check = ConfigCheck(config_path, config_path.read_text(encoding="utf-8", errors="replace")) if config_path else None
    for key in ("plugins", "gems"):
        value = config.get(key)
        names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        for index, name in enumerate(names):
            if isinstance(name, str) and name not in IMPLEMENTED_PLUGINS:
                where: tuple[str | int, ...] = (key,) if isinstance(value, str) else (key, index)
                note_unknown("plugin", name, config_path or "_config.yml", check.line(where) if check else None)


def note_ruby_plugins(root: Path) -> None:
    """Note each Ruby file of the site's ``_plugins/`` folder: Jekyll runs them, this library cannot."""
    folder = root / "_plugins"
    if folder.is_dir() and folder.resolve().is_relative_to(root.resolve()):
        for path in sorted(folder.rglob("*.rb")):
            note_unknown("Ruby plugin", path.stem, path)


def collected() -> list[Unknown]:
    """What was noted since the last :func:`reset`, in the order it was found."""
    return list(_NOTED)


def summary(unknowns: list[Unknown], root: Path, *, limit: int = 3) -> list[str]:
    """The report's lines: one per kind and name, with at most *limit* files (then how many more),
    paths shown relative to the site *root*."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for unknown in unknowns:
        shown = unknown.file.relative_to(root) if unknown.file.is_relative_to(root) else unknown.file
        where = f"{shown}:{unknown.line}" if unknown.line else str(shown)
        files = grouped.setdefault((unknown.kind, unknown.name), [])
        if where not in files:
            files.append(where)
    lines = []
    for (kind, name), files in grouped.items():
        more = f" and {len(files) - limit} more" if len(files) > limit else ""
        lines.append(f"  {kind} {name!r}: {', '.join(files[:limit])}{more}")
    return lines
