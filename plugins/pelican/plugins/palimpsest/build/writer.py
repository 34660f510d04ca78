"""The build's Writer: :class:`.common.files.ClaimingWriter` (each file written once, by a named
writer, and only when its bytes changed), pages whose inputs did not change not rendered again
(:mod:`.page_memo`), and what the build wrote, said at its end and kept for the next build's stamp
(:mod:`.stamp`).

Pelican's ``get_writer`` signal names :class:`BuildWriter`; ``finalized`` calls :func:`finish`.
Every page goes through it: articles and pages, the plugin's site pages (``BuildFiles.write``),
feeds (``write_feed``: written unless unchanged, never memoized: they are built in Python, not read
through a template).  A page the memo keeps is still claimed (a second writer of its path is the same
error as ever), counted as unchanged, and announced with ``content_written`` as any page.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

from pelican.utils import sanitised_join
from pelican.writers import Writer

from ..common import files as claimed
from ..common.files import BuildFiles, ClaimingWriter
from .cache_folder import CACHE_FOLDER
from .page_memo import MEMO_SETTING, PageMemo, Places, Unusable, WatchingContext, digest

logger = logging.getLogger(__name__)

__all__ = ["BuildWriter", "KeptFiles", "finish", "last_build"]

_BUILDS: dict[str, BuildWriter] = {}  # the last build's writer, by output folder


class KeptFiles(BuildFiles):
    """:class:`BuildFiles` that can keep a file as it is, unrendered, with the same claim and count."""

    kept = 0

    def keep(self, filename: str, override: bool = False) -> IO[str]:
        """*filename* is this write's, as it already is on disk: claimed, counted as unchanged, not
        touched; a file to write into is given back (what is written there is dropped)."""
        if filename in self:  # a second writer: refused and named, as _open does
            return self._open(filename, "utf-8", override)
        self._sources[filename] = self._source or claimed.PELICAN
        self.writer._written_files.add(filename)
        if override:
            self.writer._overridden_files.add(filename)
        self.unchanged += 1
        self.kept += 1
        return io.StringIO()


class BuildWriter(ClaimingWriter):
    """Pelican's Writer for the ``get_writer`` signal: claims, unchanged bytes, the page memo."""

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None):
        super().__init__(output_path, settings=settings)
        self.files = KeptFiles(self, pelican_open=functools.partial(Writer._open_w, self))
        setattr(self, claimed._ATTRIBUTE, self.files)
        self.context: dict[str, Any] | None = None
        self.documents: list[Any] = []
        self.memo: PageMemo | None = None
        self.clock = False  # a document's rendering read site.time
        self._keep_next: str | None = None
        self._environments: dict[int, tuple[Any, str | None]] = {}
        self._documents_digest: str | None = None
        _BUILDS[os.path.abspath(output_path)] = self

    def write_file(self, name: Any, template: Any, context: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        if self.context is None:
            self._start(context)
        key = None
        if self.memo is not None and getattr(template, "name", None) and hasattr(template, "environment"):
            environment = self._environment_key(template.environment)
            key = f"{environment}:{template.name}" if environment is not None else None
        super().write_file(name, _WatchedTemplate(self, template, key), context, *args, **kwargs)

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> IO[str]:
        if filename == self._keep_next:
            self._keep_next = None
            return self.files.keep(filename, override)
        return super()._open_w(filename, encoding, override)

    def _start(self, context: dict[str, Any]) -> None:
        """The first page: every document is read (Pelican writes after all generators read)."""
        self.context = context
        self.documents = list(_documents(context))
        from .documents import current

        self.clock = bool(getattr(current(self.settings), "clock", False))
        if not self.settings.get(MEMO_SETTING, False) or self.settings.get("RELATIVE_URLS"):
            return
        key = _build_key(self.settings)
        if key is None:
            return
        places = Places(self.settings.get("PATH"))
        self.memo = PageMemo(Path(self.output_path) / CACHE_FOLDER, key, self._site_documents, places)
        self.memo.start(self.documents)

    def _site_documents(self) -> str:
        """The digest of every document of the site (for pages whose Liquid read ``site.posts``…)."""
        if self._documents_digest is None:
            from ..reader import site_for
            from .content_cache import site_fingerprint

            self._documents_digest = site_fingerprint(site_for(self.settings))
        return self._documents_digest

    def _environment_key(self, environment: Any) -> str | None:
        """What of a Jinja environment makes a page: its templates' files, filters, tests, globals,
        options (None when one cannot be compared: its pages are always rendered)."""
        known = self._environments.get(id(environment))
        if known is None:
            from jinja2.runtime import Context

            key = None
            if environment.context_class in (Context, WatchingContext):
                try:
                    key = _environment_digest(environment)
                    environment.context_class = WatchingContext
                except Unusable as err:
                    logger.debug("page memo off for a template environment: %s", err)
            known = self._environments[id(environment)] = (environment, key)
        return known[1]

    def finish(self) -> None:
        """The build is written: keep the memo, say what was written."""
        if self.memo is not None:
            self.clock |= self.memo.clock
            self.memo.save()
            self.memo.finish()
        files = self.files
        rendered = f" ({files.kept} not rendered again)" if self.memo is not None else ""
        logger.info("Pages: %d written, %d unchanged%s", files.written, files.unchanged, rendered)

    # What the stamp of the next build needs to know of this one.

    @property
    def time_dependent(self) -> bool:
        """Whether a document or a page printed the build's time: no build repeats it."""
        return self.clock

    def unread_folders(self, site_root: Path) -> list[str]:
        """The site's folders the build did not read (the output folder, ``exclude:``, dot folders)."""
        from ..jekyll.containment import MAX_LINKED_FOLDERS, PATH_SETTINGS, scan
        from ..reader import site_for

        settings = self.settings
        walked = [str(path) for name in PATH_SETTINGS for path in settings.get(name) or []]
        limit = int(settings.get("PALIMPSEST_MAX_LINKED_FOLDERS", MAX_LINKED_FOLDERS))
        found = scan(site_root, Path(settings["OUTPUT_PATH"]), site_for(settings).config, limit, walked)
        return list(found.excluded_folders)

    def theme_folders(self) -> list[Path]:
        """The theme and template folders the settings name."""
        named = [self.settings.get("THEME"), *(self.settings.get("THEME_TEMPLATES_OVERRIDES") or [])]
        return sorted({Path(str(folder)).resolve() for folder in named if folder and Path(str(folder)).is_dir()})

    def horizon(self, now: dt.datetime) -> dt.datetime | None:
        """The first date after *now* of any document (a post dated in the future is published then)."""
        later = [date for date in (_aware(getattr(d, "date", None)) for d in self.documents) if date is not None and date > now]
        return min(later, default=None)


class _WatchedTemplate:
    """A template whose rendering is watched: for the build's time (``site.time`` in the site's Liquid
    includes), and by the page memo, which may keep the page as it is (then nothing is rendered)."""

    def __init__(self, writer: BuildWriter, template: Any, key: str | None):
        self.writer, self.template, self.key = writer, template, key
        self.name = getattr(template, "name", None)

    def render(self, localcontext: dict[str, Any]) -> str:
        writer, memo = self.writer, self.writer.memo
        if memo is None or self.key is None:
            return self._render(localcontext)
        try:
            path = sanitised_join(writer.output_path, str(localcontext["output_file"]))
        except (KeyError, RuntimeError):
            return self._render(localcontext)
        globals_ = self.template.globals
        if memo.unchanged(path, self.key, localcontext, globals_):
            writer._keep_next = path
            return ""
        with memo.recording(path, self.key, localcontext, globals_):
            return str(self.template.render(localcontext))

    def _render(self, localcontext: dict[str, Any]) -> str:
        from .recording import recording

        with recording() as uses:
            text = str(self.template.render(localcontext))
        self.writer.clock |= uses.clock
        return text


def _documents(context: Mapping[str, Any]) -> Iterable[Any]:
    """The build's documents: every Content in the context, one level down (articles, drafts, pages…)."""
    from pelican.contents import Content

    seen: set[int] = set()
    for value in context.values():
        items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else [value]
        for item in items:
            if isinstance(item, Content) and id(item) not in seen:
                seen.add(id(item))
                yield item


def _aware(value: Any) -> dt.datetime | None:
    if not isinstance(value, dt.datetime):
        return None
    # No time zone: the earliest moment it can mean (UTC+14), so that it is never taken too late.
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone(dt.timedelta(hours=14)))


def _build_key(settings: Mapping[str, Any]) -> str | None:
    """The library, Python and its packages, the settings: any change renders every page again."""
    from .stamp import distributions_digest, package_digest

    try:
        return digest([package_digest(), distributions_digest(), dict(settings)])
    except Unusable as err:
        logger.debug("page memo off: a setting cannot be compared (%s)", err)
        return None


def _environment_digest(environment: Any) -> str:
    from .stamp import tree_digest

    def folders(loader: Any) -> list[Any]:
        if hasattr(loader, "loaders"):  # ChoiceLoader
            return [folders(inner) for inner in loader.loaders]
        if hasattr(loader, "mapping"):  # PrefixLoader, DictLoader
            return [[key, folders(inner) if hasattr(inner, "get_source") else inner] for key, inner in loader.mapping.items()]
        if hasattr(loader, "searchpath"):  # FileSystemLoader
            return [[str(path), tree_digest(Path(path))] for path in loader.searchpath]
        if hasattr(loader, "_template_root"):  # PackageLoader
            return [str(loader._template_root), tree_digest(Path(loader._template_root))]
        raise Unusable(f"a {type(loader).__qualname__} template loader")

    options: tuple[str, ...] = ("block_start_string", "variable_start_string", "comment_start_string", "line_statement_prefix")
    options += ("trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "autoescape", "finalize", "undefined")
    return digest(
        [
            folders(environment.loader),
            sorted(environment.extensions),
            [getattr(environment, option) for option in options],
            {name: _callable(value) for name, value in sorted(environment.filters.items())},
            {name: _callable(value) for name, value in sorted(environment.tests.items())},
            {name: _callable(value) for name, value in sorted(environment.globals.items())},
            dict(sorted(environment.policies.items())),
        ]
    )


def _callable(value: Any) -> Any:
    """A filter, test or global: an object called as a function (Pelican's ``strftime``) by its class and state."""
    if callable(value) and not isinstance(value, type) and hasattr(value, "__dict__") and not hasattr(value, "__code__"):
        return [type(value), dict(vars(value))]
    return value


def last_build(output: Path) -> BuildWriter | None:
    """The writer of the last build into *output* in this process, if any."""
    return _BUILDS.get(os.path.abspath(output))


def finish(pelican: Any) -> None:
    """Pelican's ``finalized``: the build's memo kept, what it wrote said."""
    writer = _BUILDS.get(os.path.abspath(pelican.output_path))
    if writer is not None:
        writer.finish()
