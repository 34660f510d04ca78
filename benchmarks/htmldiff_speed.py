"""Speed of ``diff_html``, in CPU time (other jobs on the machine do not count).

Three inputs, the ones ``tests/test_htmldiff.py`` checks for correctness:

- a 200 KB article (Chinese paragraphs with French links, a table every ten
  paragraphs), with a paragraph added, a block removed and 40 characters
  replaced: the chunked path of the sequence diff;
- one paragraph of 60,000 Chinese characters with 30 replaced;
- the 17 consecutive revisions of the ANEF article in the shared corpus, if
  it is there.

The diff was meant to stay under a second for the first and the corpus pairs,
under two for the second; this prints the times and checks nothing.

Usage::

    python benchmarks/htmldiff_speed.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

from pelican.plugins.palimpsest.htmldiff import DiffResult, diff_html

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "anef-revisions"


def long_article() -> tuple[str, str]:
    """(old, new): 200 KB per side, a few scattered changes."""
    rng = random.Random(7)
    vocabulary = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后"
    words = ["titre", "séjour", "préfecture", "demande", "ligne", "plateforme", "étranger", "récépissé"]

    def paragraph() -> str:
        parts = []
        for _ in range(12):
            parts.append("".join(rng.choice(vocabulary) for _ in range(rng.randint(5, 20))))
            parts.append(f' <a href="/x">{rng.choice(words)}</a> ')
        return "<p>" + "".join(parts) + "。</p>"

    blocks: list[str] = []
    while sum(map(len, blocks)) < 200_000:
        blocks.append(paragraph())
        if len(blocks) % 10 == 0:
            rows = "".join(f"<tr><td>{k}</td><td>{rng.choice(words)}</td></tr>" for k in range(20))
            blocks.append(f"<table><tbody>{rows}</tbody></table>")
    old_blocks = blocks[:]
    for _ in range(40):
        k = rng.randrange(len(blocks))
        blocks[k] = blocks[k].replace(rng.choice(vocabulary), "变", 1)
    blocks.insert(len(blocks) // 2, paragraph())
    del blocks[len(blocks) // 3]
    return "\n".join(old_blocks), "\n".join(blocks)


def huge_paragraph() -> tuple[str, str]:
    """(old, new): one paragraph of 60,000 characters, 30 replaced."""
    rng = random.Random(3)
    text = [rng.choice("的一是在不了有和人这中大为上个国我以要他时来") for _ in range(60_000)]
    changed = text[:]
    for _ in range(30):
        changed[rng.randrange(len(changed))] = "X"
    return f"<p>{''.join(text)}</p>", f"<p>{''.join(changed)}</p>"


def corpus_pairs() -> list[tuple[str, str, str]]:
    """(label, old, new) for consecutive revisions of the ANEF article; empty without the corpus."""
    if not CORPUS.is_dir():
        return []
    revisions = json.loads((CORPUS / "revisions.json").read_text(encoding="utf-8"))["revisions"]
    files = [CORPUS / re.sub(r"\.md$", ".kramdown.html", r["file"]) for r in revisions]
    return [
        (f"{older.name[11:18]} -> {newer.name[11:18]}", older.read_text(encoding="utf-8"), newer.read_text(encoding="utf-8"))
        for older, newer in itertools.pairwise(files)
    ]


def best_cpu_seconds(run: Callable[[], DiffResult], repeat: int) -> float:
    """The fastest of *repeat* runs, in CPU seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per input; the fastest is reported")
    args = parser.parse_args()
    cases = [("200 KB article", *long_article()), ("60,000-character paragraph", *huge_paragraph()), *corpus_pairs()]
    for label, old, new in cases:
        seconds = best_cpu_seconds(functools.partial(diff_html, old, new), args.repeat)
        size = max(len(old.encode()), len(new.encode())) // 1000
        print(f"{label:<28} {size:>5} KB (UTF-8)  {seconds * 1000:8.1f} ms CPU")


if __name__ == "__main__":
    main()
