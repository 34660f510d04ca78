"""Every file a build writes goes through Pelican's Writer, once, and only if its bytes changed.

:class:`BuildFiles` sits in front of the Writer's file opening (``_open_w``,
where Pelican checks that no file is written twice), so that, for every file
the Writer opens once it is installed:

- a file that already holds exactly the new bytes is left alone (its time
  stamp too), and still counts as written in this build;
- a second write of a path in the same build fails with :class:`OutputCollision`,
  which names both writers (Pelican's own rules for ``override_output`` stay);
- what was written, and by whom, can be asked: ``path in files``, ``files.source(path)``.

Pelican's generators write before the plugin's, so their files are taken over
from the Writer when :class:`BuildFiles` is installed (their source: ``Pelican``).
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import IO, Any

from pelican.writers import FileOverwriteFailedError

PELICAN = "Pelican"
_ATTRIBUTE = "palimpsest_files"


class OutputCollision(FileOverwriteFailedError):
    """Two writers of the same build chose the same output file."""

    def __init__(self, path: str, first: str, second: str):
        super().__init__(f"{path} is written twice in this build: first by {first}, then by {second}")
        self.path, self.first, self.second = path, first, second


class BuildFiles:
    """The files one build writes (absolute path → who wrote it), through its Pelican Writer."""

    def __init__(self, writer: Any):
        self.writer = writer
        self.output_path = Path(writer.output_path)
        self._sources: dict[str, str] = dict.fromkeys(sorted(writer._written_files), PELICAN)
        self._source: str | None = None  # the writer of the write under way
        self.written = self.unchanged = 0
        self._pelican_open = writer._open_w
        writer._open_w = self._open

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
        """Who wrote *path* in this build, if anyone."""
        return self._sources.get(self._absolute(path))

    def paths(self) -> frozenset[str]:
        """Every file written in this build so far, absolute."""
        return frozenset(self._sources)

    def write(self, name: str, template: Any, context: dict[str, Any], *, source: str, relative_urls: bool, **variables: Any) -> bool:
        """Render *template* into *name* (relative to the output folder) with Pelican's Writer.

        *source* names the writer in collision errors.  False when the file
        already held exactly the rendered bytes and was left as it was.
        """
        before = self.written
        self._source = source
        try:
            self.writer.write_file(name, template, context, relative_urls=relative_urls, **variables)
        finally:
            self._source = None
        return self.written > before

    def _open(self, filename: str, encoding: str, override: bool = False) -> IO[str]:
        """The Writer's ``_open_w``: collisions named, unchanged bytes not rewritten."""
        source = self._source or PELICAN
        first = self._sources.get(filename)
        if first is None:
            self._sources[filename] = source
            return _UnlessUnchanged(self, filename, encoding, override)
        if not override and filename not in self.writer._overridden_files:
            raise OutputCollision(filename, first, source)
        if override:
            self._sources[filename] = source
        opened: IO[str] = self._pelican_open(filename, encoding, override)  # Pelican's rules for overriding
        return opened

    def _close(self, filename: str, encoding: str, override: bool, text: str) -> None:
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
