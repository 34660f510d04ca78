"""The two reference corpora render exactly as Jekyll + kramdown rendered them.

``invoke conformance`` prints the same counts.
"""

from __future__ import annotations

import pytest

from pelican.plugins.palimpsest.testing.conformance import compare_folder

from .conftest import CORPUS, needs_corpus


@needs_corpus
@pytest.mark.parametrize(("folder", "count"), [("anef-revisions", 18), ("minimal-mistakes-docs", 70)])
def test_corpus_renders_like_jekyll(folder: str, count: int) -> None:
    results = compare_folder(CORPUS / folder)
    assert len(results) == count
    differing = {result.source.name: result.diff for result in results if not result.equal}
    assert not differing, "\n\n".join(f"{name}\n{diff[:3000]}" for name, diff in differing.items())
