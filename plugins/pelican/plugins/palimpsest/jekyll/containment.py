"""What of a site may be read: nothing outside it, never the output folder, nothing Jekyll excludes.

Pelican finds files with ``os.walk(followlinks=True)``: a post that links to ``/etc/passwd`` is
published, a static folder that links to ``/etc`` is copied, a link to a parent folder is walked
again and again.  Jekyll's safe mode reads a symlink only when its target stays inside the site.
The site is scanned once, links not followed blindly: each link's target is resolved and checked,
a link back to a folder already being walked is a loop.  What may not be read becomes Pelican's own
exclusions (folders) and a filter of every generator's file list (files), so the reader, the static
files and any other generator see the same site.
"""

from __future__ import annotations

import fnmatch
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

logger = logging.getLogger(__name__)

# Jekyll 4.3's default ``exclude:`` (Jekyll::Configuration::DEFAULTS), always added to the site's own.
JEKYLL_EXCLUDES = (
    "_site",
    ".sass-cache",
    ".jekyll-cache",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor/bundle/",
    "vendor/cache/",
    "vendor/gems/",
    "vendor/ruby/",
)
# Generators whose ``get_files`` lists the site's files, by the settings naming their exclusions.
EXCLUDE_SETTINGS = ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES", "STATIC_EXCLUDES")
PATH_SETTINGS = ("ARTICLE_PATHS", "PAGE_PATHS", "STATIC_PATHS")
# Folders walked through links inside the site, at most (the setting PALIMPSEST_MAX_LINKED_FOLDERS).
MAX_LINKED_FOLDERS = 1_000


def _patterns(value: Any) -> list[str]:
    """A ``exclude:`` / ``include:`` value as a list of relative paths or globs (a lone string allowed)."""
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [str(item).lstrip("/") for item in items if isinstance(item, (str, int, float)) and str(item).strip("/")]


def jekyll_excluded(relative: str, exclude: Iterable[str], include: Iterable[str] = ()) -> bool:
    """Whether Jekyll's EntryFilter leaves *relative* (a path in the site) out: it matches an
    ``exclude:`` glob, or starts with one (Jekyll's prefix test), and no ``include:`` names it."""

    def matches(patterns: Iterable[str]) -> bool:
        return any(fnmatch.fnmatchcase(relative, p) or relative.startswith(p) or relative == p.rstrip("/") for p in patterns)

    return matches(exclude) and not matches(include)


@dataclass
class Containment:
    """The result of one scan: folders never walked, files never read, and why for the links."""

    root: Path
    excluded_folders: list[str] = field(default_factory=list)
    unreadable_files: set[str] = field(default_factory=set)
    problems: list[tuple[str, str]] = field(default_factory=list)

    def readable(self, relative: str) -> bool:
        """Whether Pelican may read *relative* (a path as Pelican's ``get_files`` lists it)."""
        path = PurePosixPath(os.path.normpath(relative).replace(os.sep, "/"))
        if path.as_posix() in self.unreadable_files:
            return False
        excluded = set(self.excluded_folders)
        return not any(folder.as_posix() in excluded for folder in (path, *path.parents))

    def leave_out(self, relative: str, folder: bool, problem: str = "") -> None:
        """Never read *relative*; say why when it is a link that cannot be followed."""
        if folder:
            self.excluded_folders.append(relative)
        else:
            self.unreadable_files.add(relative)
        # A link met again through another link is named once, by where it really is in the site.
        link = self.root / relative
        where = Path(os.path.realpath(link.parent)) / link.name
        if problem and where.is_relative_to(self.root.resolve()):
            named = (where.relative_to(self.root.resolve()).as_posix(), problem)
            if named not in self.problems:
                self.problems.append(named)

    def report(self) -> None:
        """Each link that is not followed, once, as an ERROR naming the link (never its target)."""
        for relative, reason in self.problems:
            logger.error("%s: %s", self.root / relative, reason)


def scan(
    root: Path,
    output: Path | None,
    config: dict[str, Any] | None = None,
    max_linked_folders: int = MAX_LINKED_FOLDERS,
    walked: Iterable[str] | None = None,
) -> Containment:
    """What of the site at *root* may be read, with *output* (the output folder) and Jekyll's
    ``exclude:`` left out; the links out of the site and the loops are recorded as problems.
    Links inside the site are followed, but no more than *max_linked_folders* folders through them
    (links to links multiply the folders to walk: twenty folders with two links each make a million),
    and only below *walked* (the folders Pelican walks; everywhere when not given): elsewhere a link
    to a folder is checked, not followed."""
    config = config or {}
    real_root = root.resolve()
    exclude = [*JEKYLL_EXCLUDES, *_patterns(config.get("exclude"))]
    include = _patterns(config.get("include"))
    real_output = output.resolve() if output is not None else None
    result = Containment(root)
    roots = None if walked is None else [str(p).strip("/") for p in walked]

    def followed(relative: str) -> bool:
        return roots is None or any(not r or relative == r or relative.startswith(r + "/") for r in roots)

    if real_output is not None and real_output != real_root and real_output.is_relative_to(real_root):
        result.excluded_folders.append(real_output.relative_to(real_root).as_posix())

    def left_out(real: Path) -> bool:
        """A link into the output folder or into an excluded folder is left out with it."""
        if real_output is not None and real.is_relative_to(real_output):
            return True
        return jekyll_excluded(real.relative_to(real_root).as_posix(), exclude, include) if real != real_root else False

    # Walk as Pelican would (links to folders followed), carrying the real folders above each one
    # and whether a link led there.
    stack: list[tuple[str, tuple[Path, ...], bool]] = [("", (real_root,), False)]
    linked_folders = 0
    while stack:
        folder, chain, linked = stack.pop()
        try:
            entries = sorted(os.scandir(root / folder), key=lambda e: e.name, reverse=True)  # popped in name order
        except OSError:
            continue
        for entry in entries:
            relative = f"{folder}/{entry.name}" if folder else entry.name
            is_link = entry.is_symlink()
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if relative in result.excluded_folders:
                continue
            # Jekyll leaves out dot folders, and underscore folders below the top (where collections live).
            hidden = is_dir and (entry.name.startswith(".") or bool(folder and entry.name.startswith("_")))
            if jekyll_excluded(relative, exclude, include) or (hidden and not jekyll_excluded(relative, include)):
                result.leave_out(relative, is_dir)
                continue
            if is_dir and (linked or is_link):
                linked_folders += 1
                if linked_folders > max_linked_folders:
                    if linked_folders == max_linked_folders + 1:  # said once, where the walk stopped
                        limit = f"more than {max_linked_folders} folders through symlinks (PALIMPSEST_MAX_LINKED_FOLDERS)"
                        result.problems.append((relative, f"{limit}: not read from here on"))
                    result.leave_out(relative, is_dir)
                    continue
            if not is_link:
                if is_dir:
                    stack.append((relative, (*chain, chain[-1] / entry.name), linked))
                continue
            target = Path(os.path.realpath(chain[-1] / entry.name))  # from the link's real folder: one hop
            if not target.exists():
                result.leave_out(relative, is_dir, "symlink to nothing (its target is missing, or a loop) is not read")
            elif not target.is_relative_to(real_root):
                kind = "folder" if is_dir else "file"
                result.leave_out(relative, is_dir, f"symlink to a {kind} outside the site is not read")
            elif left_out(target):
                result.leave_out(relative, is_dir)
            elif is_dir and target in chain:
                result.leave_out(relative, is_dir, "symlink loop (a link to a folder that contains it) is not followed")
            elif is_dir and followed(relative):
                stack.append((relative, (*chain, target), True))
    result.excluded_folders.sort()
    result.problems.sort()
    return result


# One scan per build, keyed by the site and output folders: found when Pelican starts, used by
# every generator's file list.
_SCANS: dict[tuple[str, str], Containment] = {}


def _key(settings: dict[str, Any]) -> tuple[str, str]:
    return (str(Path(settings["PATH"]).resolve()), str(Path(settings["OUTPUT_PATH"]).resolve()))


def contain_build(pelican: Any) -> None:
    """Pelican's ``initialized``: scan the site, report each link not followed, and exclude the
    folders that may not be read from every generator's walk (Pelican prunes them, never enters them)."""
    from ..errors import DocumentError
    from .site import JekyllSite

    settings = pelican.settings
    try:
        config = JekyllSite.load(settings["PATH"], settings.get("PALIMPSEST_CONFIG")).config
    except DocumentError:  # reported where the site is read; Jekyll's default excludes still apply
        config = {}
    limit = int(settings.get("PALIMPSEST_MAX_LINKED_FOLDERS", MAX_LINKED_FOLDERS))
    walked = [str(path) for name in PATH_SETTINGS for path in settings.get(name) or []]
    containment = scan(Path(settings["PATH"]), Path(settings["OUTPUT_PATH"]), config, limit, walked)
    _SCANS[_key(settings)] = containment
    containment.report()
    for name in PATH_SETTINGS:  # a walk's own root is never pruned: drop the roots that may not be read
        if isinstance(settings.get(name), list):
            settings[name] = [path for path in settings[name] if containment.readable(str(path))]
    for name in EXCLUDE_SETTINGS:
        known = list(settings.get(name) or [])
        settings[name] = known + [folder for folder in containment.excluded_folders if folder not in known]


class SortedPaths(set[str]):
    """A generator's file list, read in path order: Pelican keeps it in a set, whose order changes with
    each process's hash seed, and reads (and logs, and breaks ties between same-dated posts) in it."""

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(set.__iter__(self)))


def filter_files(generator: Any) -> None:
    """Pelican's ``generator_init``: the generator's file list drops the files that may not be read
    (links out of the site, excluded files); Pelican's exclusions can name folders only."""
    containment = _SCANS.get(_key(generator.settings))
    if containment is None:
        return
    list_files = generator.get_files

    def get_files(paths: Any, exclude: list[str] | None = None, extensions: Any = None) -> set[str]:
        return SortedPaths(path for path in list_files(paths, exclude, extensions) if containment.readable(path))

    generator.get_files = get_files


def drop_unreadable_static(generator: Any) -> None:
    """Pelican's ``static_generator_finalized``: a ``{static}`` or ``{attach}`` link in a document
    adds its target to the static files, even ``{static}/../../etc/passwd`` (copied to the same path
    below the output folder, so outside it too); each such file that may not be read is dropped,
    with an ERROR naming the documents that link it."""
    containment = _SCANS.get(_key(generator.settings))
    kept = []
    for static in generator.staticfiles:
        relative = PurePosixPath(os.path.normpath(static.get_relative_source_path()).replace(os.sep, "/"))
        inside = relative.parts[:1] != ("..",) and not relative.is_absolute()
        if inside and (containment is None or containment.readable(relative.as_posix())):
            kept.append(static)
            continue
        linking = sorted(
            str(content.source_path)
            for content in generator.context.get("generated_content", {}).values()
            if content is not None
            and hasattr(content, "get_static_links")
            and static.get_relative_source_path() in content.get_static_links()
        )
        where = ", ".join(linking) or "a document"
        logger.error("%s: a {static} or {attach} link to a file outside the site (or left out) is not copied", where)
        generator.context.get("static_content", {}).pop(static.get_relative_source_path(), None)
    generator.staticfiles = kept
    generator.context["staticfiles"] = kept  # what Pelican copies
