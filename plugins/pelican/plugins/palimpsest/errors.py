"""One error type for everything a document can get wrong, with file and line."""

from __future__ import annotations

from pathlib import Path


class DocumentError(Exception):
    """A problem in a source file; its message names the file and the line."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path = Path(path)
        self.line = line
        self.reason = message
        where = f"{self.path}:{line}" if line else str(self.path)
        super().__init__(f"{where}: {message}")
