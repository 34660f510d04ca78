"""Every kramdown behaviour, pinned as (input, expected HTML) pairs.

The expected HTML was produced by real kramdown 2.4 with Jekyll's options
(``tools/kramdown_fixture.py``); the comparison is canonical (attribute order,
whitespace between blocks and highlighter token spans do not count).  A file
whose first line is ``kramdown: {...}`` (as in ``_config.yml``) pins those
options: kramdown rendered it with them, and ours reads them with
``KramdownOptions.from_config``, as a site's ``_config.yml`` is read.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file
from ruamel.yaml import YAML

from pelican.plugins.palimpsest.kramdown import KramdownOptions, render_markdown
from pelican.plugins.palimpsest.testing.canonical import canonical_html

FIXTURES = Path(__file__).parent / "fixtures" / "kramdown"


def fixture_options(path: Path) -> KramdownOptions:
    """The options of the ``kramdown: {...}`` line that starts *path*, or Jekyll's defaults."""
    first = path.read_text(encoding="utf-8").partition("\n")[0]
    if not first.startswith("kramdown:"):
        return KramdownOptions()
    config = YAML(typ="safe").load(first)
    return KramdownOptions.from_config(config["kramdown"])


CASES = [
    pytest.param(markdown, expected, fixture_options(path), id=f"{path.stem}:{line}:{title}")
    for path in sorted(FIXTURES.glob("*.md"))
    for line, title, markdown, expected in read_fixture_file(path)
]


@pytest.mark.parametrize(("markdown", "expected", "options"), CASES)
def test_kramdown_fixture(markdown: str, expected: str, options: KramdownOptions) -> None:
    actual = render_markdown(markdown, options)
    assert canonical_html(actual, strip_highlight_tokens=True) == canonical_html(expected, strip_highlight_tokens=True)


def test_headings_are_recorded_in_env() -> None:
    env: dict[str, object] = {}
    render_markdown('# Le "titre" *ici*\n\n## Named {#named}\n\n## Le "titre" *ici*\n', env=env)
    assert env["headings"] == [
        {"level": 1, "id": "le-titre-ici", "text": "Le \u201ctitre\u201d ici"},
        {"level": 2, "id": "named", "text": "Named"},
        {"level": 2, "id": "le-titre-ici-1", "text": "Le \u201ctitre\u201d ici"},
    ]


def test_headings_without_auto_ids_have_no_id() -> None:
    env: dict[str, object] = {}
    render_markdown("## Title\n", KramdownOptions(auto_ids=False), env=env)
    assert env["headings"] == [{"level": 2, "id": None, "text": "Title"}]
