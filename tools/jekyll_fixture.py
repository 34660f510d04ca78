"""Fill the expected parts of tests/fixtures/jekyll/*.txt with what real Jekyll gives.

Usage: python tools/jekyll_fixture.py [FIXTURE ...]   (default: every file in tests/fixtures/jekyll)

Needs Debian's ``jekyll`` (4.3) and ``ruby``; the answers come from
``ruby tools/jekyll-reference.rb``, never from our code.

Format: one case per block.  ``== id`` starts a case; ``-- name`` starts a
section whose text runs to the next ``--``/``==`` line (trailing blank lines
dropped).  The file's name says the kind and which sections are inputs:

* slugify.txt     ``input``, ``mode`` (``nil`` for none), ``cased`` -> ``expected``
* filters.txt     ``config``, ``front matter``, ``template`` -> ``expected`` (``ERROR: ...`` if Jekyll fails)
  (Liquid output with the front matter as ``page``; templates wrap it in ``[...]``)
* permalinks.txt  ``config``, ``file``, ``front matter`` -> ``url``, ``title``,
  ``slug``, ``categories``, ``tags``, ``date`` (lists joined by `` | ``)

A new case may leave its outputs out; this tool writes them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = Path(__file__).with_name("jekyll-reference.rb")
FIXTURES = ROOT / "tests" / "fixtures" / "jekyll"
OUTPUTS = {
    "slugify": ("expected",),
    "filters": ("expected",),
    "permalinks": ("url", "title", "slug", "categories", "tags", "date"),
}
Case = dict[str, str]


def read_cases(path: Path) -> list[Case]:
    """The cases of a fixture file, each a mapping of section name to text (``id`` included)."""
    blocks: list[tuple[str, dict[str, list[str]]]] = []
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("== "):
            blocks.append((line[3:].strip(), {}))
            current = None
        elif line.startswith("-- ") and blocks:
            current = blocks[-1][1].setdefault(line[3:].strip(), [])
        elif current is not None:
            current.append(line)
    return [{"id": name, **{key: "\n".join(lines).rstrip("\n") for key, lines in sections.items()}} for name, sections in blocks]


def write_cases(path: Path, cases: list[Case]) -> None:
    header, _, _ = path.read_text(encoding="utf-8").partition("\n== ")
    blocks = [header.rstrip("\n") + "\n"]
    for case in cases:
        lines = [f"== {case['id']}"] + [f"-- {key}\n{value}" for key, value in case.items() if key != "id"]
        blocks.append("\n".join(lines) + "\n")
    path.write_text("\n".join(blocks), encoding="utf-8")


def jekyll(kind: str, cases: list[Case]) -> list[object]:
    request = {"kind": kind, "cases": [_request(kind, case) for case in cases]}
    result = subprocess.run(
        ["ruby", str(REFERENCE)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        env=dict(os.environ, TZ="UTC", LANG="C.UTF-8"),
        check=False,
    )
    if result.returncode:
        sys.exit(f"{REFERENCE.name} failed for {kind}:\n{result.stderr}")
    answers: list[object] = json.loads(result.stdout)
    return answers


def _request(kind: str, case: Case) -> dict[str, object]:
    if kind == "slugify":
        mode = case.get("mode", "nil")
        return {"id": case["id"], "input": case["input"], "mode": None if mode == "nil" else mode, "cased": case.get("cased") == "true"}
    return {key.replace(" ", "_"): value for key, value in case.items() if key not in OUTPUTS[kind]}


def main() -> None:
    paths = [Path(name) for name in sys.argv[1:]] or sorted(FIXTURES.glob("*.txt"))
    for path in paths:
        kind = path.stem
        cases = read_cases(path)
        for case, answer in zip(cases, jekyll(kind, cases), strict=True):
            for key in OUTPUTS[kind]:
                case.pop(key, None)
            if isinstance(answer, dict):
                case.update({key: str(answer[key]) for key in OUTPUTS[kind]})
            else:
                case["expected"] = "" if answer is None else str(answer)
        write_cases(path, cases)
        print(f"{path}: {len(cases)} cases")


if __name__ == "__main__":
    main()
