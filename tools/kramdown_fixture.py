"""Rewrite the expected outputs of kramdown fixture files with what real kramdown renders.

Usage: python tools/kramdown_fixture.py FIXTURE [FIXTURE ...]

A fixture file is in markdown-it's format (title, ``.``, markdown, ``.``,
expected HTML, ``.``); a new case may leave its expected part empty.  The
expected HTML comes from ``ruby tools/kramdown-reference.rb`` (Jekyll's
options; needs ``apt-get install ruby-kramdown ruby-kramdown-parser-gfm``).
"""

import subprocess
import sys
from pathlib import Path

from markdown_it.utils import read_fixture_file

REFERENCE = Path(__file__).with_name("kramdown-reference.rb")


def kramdown(markdown: str) -> str:
    return subprocess.run(
        ["ruby", str(REFERENCE)], input=markdown, capture_output=True, text=True, check=True
    ).stdout


def main() -> None:
    for name in sys.argv[1:]:
        path = Path(name)
        cases = read_fixture_file(path)
        out = [f"{title}\n.\n{markdown}.\n{kramdown(markdown).rstrip()}\n.\n\n" for _, title, markdown, _ in cases]
        path.write_text("".join(out), encoding="utf-8")
        print(f"{path}: {len(cases)} cases")


if __name__ == "__main__":
    main()
