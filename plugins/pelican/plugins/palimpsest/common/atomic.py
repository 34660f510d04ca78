"""A file replaced whole or not at all: what the build's caches and stamps are written with.

A build stopped halfway (Ctrl-C, a full disk) must leave either the last complete file or the new
one, never half of one, so the bytes go to a temporary file in the same folder, renamed over the old.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def replace_atomically(path: Path, data: bytes) -> None:
    """Write *data* to *path* atomically (its folder made if missing); an error leaves no temporary file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
