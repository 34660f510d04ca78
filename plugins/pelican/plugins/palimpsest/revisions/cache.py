"""Rendered revisions and diffs, kept between builds.

A revision's body depends only on its blob (the file's content hash), the
library's code (:func:`pipeline_fingerprint`) and the site's settings, so
these three are the key: a second build renders nothing it rendered before.
Entries are JSON files in ``<output>/.palimpsest-cache/revisions/``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..htmldiff import DiffResult, diff_html

logger = logging.getLogger(__name__)

CACHE_FOLDER = ".palimpsest-cache"
PACKAGE = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=1)
def pipeline_fingerprint() -> str:
    """A hash of the library's code and includes: any change re-renders every revision."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", "") and "__pycache__" not in path.parts and "theme" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def settings_key(config: Any, features: Iterable[str]) -> str:
    """What of a build's settings a rendered body depends on: the site's ``_config.yml`` and the features on."""
    data = json.dumps([config, sorted(features)], sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


class RevisionCache:
    """Rendered revision bodies and diffs, one JSON file per key."""

    def __init__(self, folder: Path, settings_key: str):
        self.folder = folder
        self.settings_key = settings_key
        self.hits = self.misses = 0

    @classmethod
    def in_output(cls, output_path: str | Path, settings_key: str) -> RevisionCache:
        """The cache kept inside a build's output folder."""
        return cls(Path(output_path) / CACHE_FOLDER / "revisions", settings_key)

    def key(self, path: str, blob: str) -> str:
        return hashlib.sha256(f"{pipeline_fingerprint()}\0{self.settings_key}\0{path}\0{blob}".encode()).hexdigest()[:32]

    def get(self, key: str) -> dict[str, Any] | None:
        """A rendered revision, counted as a hit or a miss."""
        value = self._load(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key: str, value: dict[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / f"{key}.json").write_text(json.dumps(value, ensure_ascii=False, default=str), encoding="utf-8")

    def diff(self, old_id: str, new_id: str, old: str, new: str) -> DiffResult:
        """The diff of two rendered bodies identified by *old_id* and *new_id* (blob or content hashes)."""
        key = self.key("diff", f"{old_id}\0{new_id}")
        cached = self._load(key)
        if cached is not None:
            return DiffResult(**cached)
        result = diff_html(old, new)
        self.put(key, asdict(result))
        return result

    def _load(self, key: str) -> dict[str, Any] | None:
        """The entry stored under *key*; a damaged one (a build killed while writing it, a disk
        error) is discarded with a warning, so that it is rendered again and the build goes on."""
        file = self.folder / f"{key}.json"
        if not file.is_file():
            return None
        try:
            value = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            problem = str(err)
        else:
            if isinstance(value, dict):
                return value
            problem = f"a {type(value).__name__}, not an object"
        logger.warning("%s: damaged revision cache entry (%s); discarded and rendered again", file, problem)
        with contextlib.suppress(OSError):  # rewritten by the next put() anyway
            file.unlink()
        return None
