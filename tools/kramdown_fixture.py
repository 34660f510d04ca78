"""Rewrite the expected outputs of kramdown fixture files with what real kramdown renders.

Usage: python tools/kramdown_fixture.py FIXTURE [FIXTURE ...]

A fixture file is in markdown-it's format (title, ``.``, markdown, ``.``,
expected HTML, ``.``); a new case may leave its expected part empty.  The
expected HTML comes from ``ruby tools/kramdown-reference.rb`` (Jekyll's
options; needs ``apt-get install ruby-kramdown ruby-kramdown-parser-gfm``).

A file may start with a header line of kramdown options, written as in
Jekyll's ``_config.yml`` (``kramdown: {hard_wrap: true, toc_levels: 2..3}``),
then a blank line: all its cases are rendered with those options, which go
over Jekyll's defaults as Jekyll passes them to kramdown.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from markdown_it.utils import read_fixture_file

REFERENCE = Path(__file__).with_name("kramdown-reference.rb")
HEADER = "kramdown:"


def fixture_header(path: Path) -> str | None:
    """The options line (``kramdown: {...}``) that starts *path*, if any."""
    with path.open(encoding="utf-8") as file:
        first = file.readline().rstrip("\n")
    return first if first.startswith(HEADER) else None


def kramdown(markdown: str, header: str | None = None) -> str:
    """*markdown* rendered by real kramdown, with the options of *header* over Jekyll's."""
    return subprocess.run(
        ["ruby", str(REFERENCE), *([header] if header else [])],
        input=markdown,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def main() -> None:
    for name in sys.argv[1:]:
        path = Path(name)
        header = fixture_header(path)
        cases = read_fixture_file(path)
        out = [f"{header}\n\n"] if header else []
        out += [f"{title}\n.\n{markdown}.\n{kramdown(markdown, header).rstrip()}\n.\n\n" for _, title, markdown, _ in cases]
        path.write_text("".join(out), encoding="utf-8")
        print(f"{path}: {len(cases)} cases")


if __name__ == "__main__":
    main()
