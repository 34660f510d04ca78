"""Every file a build writes goes through Pelican's Writer, once, and only if its bytes changed.

:class:`ClaimingWriter` is the plugin's Writer (Pelican's ``get_writer`` signal);
its :class:`BuildFiles` sits at the Writer's file opening, so that, for every file:

- a file that already holds exactly the new bytes is left alone (its time
  stamp too), and still counts as written in this build;
- a second write of a path in the same build is an ERROR naming both writers
  (a document as ``file:line``), and is not written: the first keeps the file,
  Pelican's ``override_output`` included, and the build goes on;
- what was written, and by whom, can be asked: ``path in files``, ``files.source(path)``.

Collisions are refused before writing starts (:mod:`.claims`); this is the last guard.
Another Writer gets the same :class:`BuildFiles` wrapped around its file opening.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from pelican.writers import FileOverwriteFailedError, Writer

logger = logging.getLogger(__name__)

PELICAN = "Pelican"
_ATTRIBUTE = "palimpsest_files"


class OutputCollision(FileOverwriteFailedError):
    """Two writers of the same build chose the same output file."""

    def __init__(self, path: str, first: str, second: str):
        super().__init__(f"{path} is written twice in this build: first by {first}, then by {second}")
        self.path, self.first, self.second = path, first, second


class BuildFiles:
    """The files one build writes (absolute path → who wrote it), through its Pelican Writer."""

    def __init__(self, writer: Any, pelican_open: Any = None):
        self.writer = writer
        self.output_path = Path(writer.output_path)
        self._sources: dict[str, Any] = dict.fromkeys(sorted(writer._written_files), PELICAN)
        self._source: Any = None  # the writer of the write under way: a name, or a document
        self.written = self.unchanged = self.refused = 0
        # Told of every file closed from now on (its path, absolute, and text), written or left unchanged.
        self.listeners: list[Callable[[str, str], None]] = []
        if pelican_open is None:  # not a ClaimingWriter: sit in front of its file opening
            pelican_open = writer._open_w
            writer._open_w = self._open
        self._pelican_open = pelican_open

    @classmethod
    def of(cls, writer: Any) -> BuildFiles:
        """The one :class:`BuildFiles` of *writer*, installed on first use."""
        files = getattr(writer, _ATTRIBUTE, None)
        if not isinstance(files, cls):
            files = cls(writer)
            setattr(writer, _ATTRIBUTE, files)
        return files

    def _absolute(self, path: str | Path) -> str:
        return os.path.abspath(self.output_path / path)

    def __contains__(self, path: str | Path) -> bool:
        """Whether *path* (absolute, or relative to the output folder) was written in this build."""
        return self._absolute(path) in self._sources

    def source(self, path: str | Path) -> str | None:
        """Who wrote *path* in this build, if anyone (a document as ``file:line``)."""
        from .claims import describe

        source = self._sources.get(self._absolute(path))
        return None if source is None else describe(source)

    def paths(self) -> frozenset[str]:
        """Every file written in this build so far, absolute."""
        return frozenset(self._sources)

    def write(self, name: str, template: Any, context: dict[str, Any], *, source: str, relative_urls: bool, **variables: Any) -> bool:
        """Render *template* into *name* (relative to the output folder) with Pelican's Writer.

        *source* names the writer in collision errors.  False when the file
        already held exactly the rendered bytes and was left as it was, or was
        another writer's.
        """
        before = self.written
        with self.writing(source):
            self.writer.write_file(name, template, context, relative_urls=relative_urls, **variables)
        return self.written > before

    def writing(self, source: Any) -> _Writing:
        """While the block runs, files opened are *source*'s (kept if a write is already under way)."""
        return _Writing(self, source)

    def _open(self, filename: str, encoding: str, override: bool = False) -> IO[str]:
        """The Writer's ``_open_w``: a second writer refused and named, unchanged bytes not rewritten."""
        source = self._source or PELICAN
        first = self._sources.get(filename)
        if first is None:
            self._sources[filename] = source
            return _UnlessUnchanged(self, filename, encoding, override)
        from .claims import describe

        collision = OutputCollision(os.path.relpath(filename, self.output_path), describe(first), describe(source))
        logger.error("%s; the second is not written", collision)
        self.refused += 1
        return io.StringIO()  # rendered, then dropped

    def _close(self, filename: str, encoding: str, override: bool, text: str) -> None:
        for listener in self.listeners:
            listener(filename, text)
        data = text.encode(encoding)
        target = Path(filename)
        if target.is_file() and target.read_bytes() == data:
            self.unchanged += 1
            self.writer._written_files.add(filename)  # as Pelican's own opening would
            if override:
                self.writer._overridden_files.add(filename)
            return
        with self._pelican_open(filename, encoding, override) as file:
            file.write(text)
        self.written += 1


class _UnlessUnchanged(io.StringIO):
    """A file the Writer writes into: on closing, written out unless the file holds these bytes already."""

    def __init__(self, files: BuildFiles, filename: str, encoding: str, override: bool):
        super().__init__()
        self._target = (files, filename, encoding, override)

    def close(self) -> None:
        if not self.closed:
            files, filename, encoding, override = self._target
            text = self.getvalue()
            super().close()
            files._close(filename, encoding, override, text)
        else:
            super().close()


class _Writing:
    """The source of the files opened while a write runs (see :meth:`BuildFiles.writing`)."""

    def __init__(self, files: BuildFiles, source: Any):
        self._files, self._source, self._outer = files, source, None

    def __enter__(self) -> None:
        self._outer = self._files._source
        if self._outer is None:
            self._files._source = self._source

    def __exit__(self, *exc: object) -> None:
        self._files._source = self._outer


class ClaimingWriter(Writer):
    """Pelican's Writer, for the ``get_writer`` signal: each file written once, by a named writer."""

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None):
        pelican: Any = super()  # Pelican's Writer is untyped
        pelican.__init__(output_path, settings=settings)
        setattr(self, _ATTRIBUTE, BuildFiles(self, pelican_open=pelican._open_w))

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> IO[str]:
        return BuildFiles.of(self)._open(filename, encoding, override)

    def write_file(self, name: Any, template: Any, context: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        document = kwargs.get("article") or kwargs.get("page")
        source = document if document is not None else f"Pelican's {getattr(template, 'name', 'template')} page"
        pelican: Any = super()
        with BuildFiles.of(self).writing(source):
            pelican.write_file(name, template, context, *args, **kwargs)

    def write_feed(self, elements: Any, context: dict[str, Any], path: Any = None, *args: Any, **kwargs: Any) -> Any:
        pelican: Any = super()
        with BuildFiles.of(self).writing(f"Pelican's feed {path}"):
            return pelican.write_feed(elements, context, path, *args, **kwargs)
