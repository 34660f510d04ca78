"""Write our own renderer's output into the expected parts of enhancement fixtures.

Usage: python tools/enhanced_fixture.py FIXTURE [FIXTURE ...]

For this project's own features (notices, updates) there is no reference
renderer: run this, then read every expected output before committing it.
"""

import sys
from pathlib import Path

from markdown_it.utils import read_fixture_file

from pelican.plugins.palimpsest.features import DOCUMENT_FEATURES, markdown_plugins
from pelican.plugins.palimpsest.kramdown import render_markdown


def main() -> None:
    for name in sys.argv[1:]:
        path = Path(name)
        cases = read_fixture_file(path)
        out = []
        for _, title, markdown, _ in cases:
            html = render_markdown(markdown, env={"lang": "en"}, extensions=markdown_plugins(DOCUMENT_FEATURES))
            out.append(f"{title}\n.\n{markdown}.\n{html.rstrip()}\n.\n\n")
        path.write_text("".join(out), encoding="utf-8")
        print(f"{path}: {len(cases)} cases")


if __name__ == "__main__":
    main()
