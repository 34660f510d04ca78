"""Every kramdown behaviour, pinned as (input, expected HTML) pairs.

The expected HTML was produced by real kramdown 2.4 with Jekyll's options
(``tools/kramdown_fixture.py``); the comparison is canonical (attribute order,
whitespace between blocks and highlighter token spans do not count).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from pelican.plugins.palimpsest.canonical import canonical_html
from pelican.plugins.palimpsest.kramdown import render_markdown

FIXTURES = Path(__file__).parent / "fixtures" / "kramdown"
CASES = [
    pytest.param(markdown, expected, id=f"{path.stem}:{line}:{title}")
    for path in sorted(FIXTURES.glob("*.md"))
    for line, title, markdown, expected in read_fixture_file(path)
]


@pytest.mark.parametrize(("markdown", "expected"), CASES)
def test_kramdown_fixture(markdown: str, expected: str) -> None:
    actual = render_markdown(markdown)
    assert canonical_html(actual, strip_highlight_tokens=True) == canonical_html(expected, strip_highlight_tokens=True)
