"""Token diffs written as HTML, with ``<ins>``/``<del>`` innermost.

``<ins>``/``<del>`` are opened inside the inline elements around a token
(``<a>``, ``<strong>`` ...) and closed whenever that context changes, which
keeps the output balanced whatever the inline markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from .sequence import merge_short_equalities, opcodes
from .tokens import Token

Mark = Literal["ins", "del"]


@dataclass
class Stats:
    """Characters and media marked so far, for ``DiffResult``."""

    inserted_chars: int = 0
    deleted_chars: int = 0
    inserted_media: int = 0
    deleted_media: int = 0

    def count(self, mark: Mark, tok: Token) -> None:
        if mark == "ins":
            self.inserted_chars += tok.chars
            self.inserted_media += tok.media
        else:
            self.deleted_chars += tok.chars
            self.deleted_media += tok.media


def render(items: Iterable[tuple[Mark | None, Token]], stats: Stats) -> str:
    """Write tokens, reopening their inline context as needed.

    ``<ins>``/``<del>`` are opened innermost and closed whenever the context
    changes, so they never straddle an element boundary.
    """
    out: list[str] = []
    stack: list[tuple[str, str]] = []
    mark: Mark | None = None
    for m, tok in items:
        ctx = tok.ctx
        k = 0
        limit = min(len(stack), len(ctx))
        while k < limit and (stack[k] is ctx[k] or stack[k] == ctx[k]):
            k += 1
        if mark is not None and (m != mark or k < len(stack) or len(ctx) > k):
            out.append(f"</{mark}>")
            mark = None
        while len(stack) > k:
            out.append(f"</{stack.pop()[0]}>")
        for entry in ctx[k:]:
            out.append(entry[1])
            stack.append(entry)
        if m is not None:
            stats.count(m, tok)
            if mark is None:
                out.append(f"<{m}>")
                mark = m
        out.append(tok.html)
    if mark is not None:
        out.append(f"</{mark}>")
    while stack:
        out.append(f"</{stack.pop()[0]}>")
    return "".join(out)


def diff_tokens(old: list[Token], new: list[Token], stats: Stats) -> str:
    """*new* with its differences from *old* marked, token by token."""
    ops = opcodes([t.key for t in old], [t.key for t in new])
    ops = merge_short_equalities(ops, [t.chars for t in old], [t.chars for t in new])

    def items() -> Iterator[tuple[Mark | None, Token]]:
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal":
                for tok in new[j1:j2]:
                    yield None, tok
                continue
            for tok in old[i1:i2]:
                yield "del", tok
            for tok in new[j1:j2]:
                yield "ins", tok

    return render(items(), stats)


def _line_text(line: list[Token]) -> str:
    return "".join(t.key for t in line if isinstance(t.key, str))


def diff_lines(old: list[list[Token]], new: list[list[Token]], stats: Stats) -> str:
    """*new* with its differences from *old* marked, line by line (for ``<pre>``)."""
    ops = opcodes([_line_text(line) for line in old], [_line_text(line) for line in new])

    def items() -> Iterator[tuple[Mark | None, Token]]:
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal":
                for line in new[j1:j2]:
                    for tok in line:
                        yield None, tok
                continue
            for line in old[i1:i2]:
                for tok in line:
                    yield "del", tok
            for line in new[j1:j2]:
                for tok in line:
                    yield "ins", tok

    return render(items(), stats)
