"""Compare our rendering of a folder of Markdown files with Jekyll's.

A folder holds ``name.md`` and, beside it, ``name.kramdown.html``: what Jekyll
+ kramdown produced for that file before the layout.  Both are reduced to
their canonical form (attribute and class order, whitespace between blocks,
comments and highlighter token spans do not count) and compared.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from ..document import render_document
from ..errors import DocumentError
from ..jekyll.site import JekyllSite
from .canonical import canonical_html


@dataclass
class Comparison:
    source: Path
    equal: bool
    diff: str = ""


def compare_folder(folder: Path, config: Path | None = None) -> list[Comparison]:
    folder = Path(folder)
    site = JekyllSite.for_file(folder / "_config.yml", config or (folder / "_config.yml"))
    results = []
    for source in sorted(folder.glob("*.md")):
        expected_path = source.with_suffix(".kramdown.html")
        if not expected_path.is_file():
            continue
        expected = canonical_html(expected_path.read_text(encoding="utf-8"), strip_highlight_tokens=True)
        try:
            actual_html = render_document(source, site, plain=True).html
        except DocumentError as err:
            results.append(Comparison(source, False, str(err)))
            continue
        actual = canonical_html(actual_html, strip_highlight_tokens=True)
        if actual == expected:
            results.append(Comparison(source, True))
        else:
            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    actual.splitlines(keepends=True),
                    "kramdown",
                    "palimpsest",
                    n=1,
                )
            )
            results.append(Comparison(source, False, diff))
    return results
