"""Front matter cost per document, and how often each document's YAML is parsed in a build.

Two measures over a generated site (``build_speed.py --keep DIR`` makes one):

* **per document**: milliseconds of front matter work for each post, as a build does it:
  :func:`split_front_matter`, then what a build derives and checks from it (``derive_page``,
  ``check_page_values``) and the output claims of the documents (``claims.claim_documents``);
* **parses per document**: ``palimpsest build SITE -o OUT -j 1`` run in this process, every YAML
  parse counted: ruamel's pure composer (a load or a line lookup) and the libyaml loader.

Usage::

    python benchmarks/front_matter_speed.py SITE [--repeat 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml.composer import Composer

from pelican.plugins.palimpsest.cli import main as palimpsest
from pelican.plugins.palimpsest.common import claims
from pelican.plugins.palimpsest.jekyll import frontmatter
from pelican.plugins.palimpsest.jekyll.page import derive_page
from pelican.plugins.palimpsest.jekyll.site import JekyllSite
from pelican.plugins.palimpsest.jekyll.values import check_page_values


class _Document:
    """What the output claims are given: a document's source path, url and ``save_as``."""

    def __init__(self, path: Path, page: dict[str, Any]) -> None:
        self.source_path = str(path)
        self.url = page["url"]
        self.save_as = page["save_as"]


def per_document(site_root: Path, repeat: int) -> tuple[float, int]:
    """Median over *repeat* runs of the front matter milliseconds per post; the number of posts."""
    site = JekyllSite.load(site_root)
    settings: dict[str, Any] = {}  # default features: revisions claim a folder per post
    posts = sorted((site_root / "_posts").glob("*.md"))
    texts = [(path, path.read_text(encoding="utf-8")) for path in posts]
    runs = []
    for _ in range(repeat):
        start = time.process_time()
        documents = []
        for path, text in texts:
            front = frontmatter.split_front_matter(text, path, site.limits.front_matter_size)
            place = site.place(path)
            page = dict(site.front_matter_defaults(place))
            page.update(front.data)
            derive_page(page, path, site, place, front)
            check_page_values(page, path, front)
            documents.append(_Document(path, page))
        claims.claim_documents(claims.Claims(), settings, documents)
        runs.append((time.process_time() - start) * 1000 / len(texts))
    return statistics.median(runs), len(texts)


@contextlib.contextmanager
def _counted(counts: Counter[str]) -> Iterator[None]:
    """Count every YAML parse: the pure composer's documents and the libyaml loader's."""
    patched: list[tuple[Any, str, Any]] = []

    def wrap(owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        def counting(*args: Any, **kwargs: Any) -> Any:
            counts[label] += 1
            return original(*args, **kwargs)

        patched.append((owner, name, original))
        setattr(owner, name, counting)

    wrap(Composer, "get_single_node", "pure")
    loader = getattr(frontmatter, "_LibyamlLoader", None)
    if loader is not None:
        wrap(loader, "get_single_node", "libyaml")
    try:
        yield
    finally:
        for owner, name, original in reversed(patched):
            setattr(owner, name, original)


def parses_per_document(site_root: Path, posts: int) -> Counter[str]:
    """The YAML parses of one serial build, by kind, divided by nothing (the caller divides)."""
    counts: Counter[str] = Counter()
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as out, _counted(counts), contextlib.redirect_stdout(io.StringIO()):
        clear: Callable[[], None] | None = getattr(frontmatter, "clear_shared", None)
        if clear is not None:
            clear()
        palimpsest(["build", str(site_root), "-o", out, "-j", "1"])
    logging.disable(logging.NOTSET)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ms, posts = per_document(args.site, args.repeat)
    print(f"front matter per document: {ms:.3f} ms (median of {args.repeat} runs over {posts} posts)")
    counts = parses_per_document(args.site, posts)
    total = sum(counts.values())
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(counts.items()))
    print(f"YAML parses in one build: {total} ({kinds}), {total / posts:.2f} per post")
    return 0


if __name__ == "__main__":
    sys.exit(main())
