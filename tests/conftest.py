"""Shared test helpers: where the reference corpora are, and skipping without them."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"

needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason=f"the reference corpora are not here ({CORPUS}); they ship beside the project's own checkout only",
)
pytest_plugins = ["pytester"]
