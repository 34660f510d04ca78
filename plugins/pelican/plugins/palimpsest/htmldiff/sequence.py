"""Sequence alignment: ``difflib`` opcodes, kept near-linear on long inputs.

Used for both levels of the diff: units of a container (keyed by their
canonical form) and tokens of a leaf block (keyed by context and text).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from difflib import SequenceMatcher

Key = tuple[int, str] | str
"""What is compared: (context id, text) of an inline token, or the text of a unit or line."""

Opcode = tuple[str, int, int, int, int]
"""(tag, i1, i2, j1, j2), as ``SequenceMatcher.get_opcodes`` gives them."""

_CHUNK_ABOVE = 3000  # tokens (both sides) above which a first, coarser pass runs
_GIVE_UP_ABOVE = 12000  # tokens left in one changed region: show it as replaced
_STOPS = frozenset("。！？；…\n.!?;")
_QUAD = struct.Struct("<4I")


def _chunks(keys: Sequence[Key]) -> list[int]:
    """Chunk ends, chosen from content only so both sides cut alike.

    A chunk ends after a sentence stop, or where a hash of the last four
    tokens says so (about one token in twenty): content-defined chunking, as
    in rsync, so an insertion shifts no boundary outside itself.
    """
    ends: list[int] = []
    hashes: dict[str, int] = {}
    h1 = h2 = h3 = 0
    for k, key in enumerate(keys):
        text = key[1] if isinstance(key, tuple) else key
        h4 = hashes.get(text)
        if h4 is None:
            # crc32, not hash(): string hashes change between runs, and the
            # site must build the same output twice.
            h4 = hashes[text] = zlib.crc32(text.encode())
        # Four tokens, not two: words alternate with spaces, so pairs repeat.
        if text in _STOPS or zlib.crc32(_QUAD.pack(h1, h2, h3, h4)) % 20 == 0:
            ends.append(k + 1)
        h1, h2, h3 = h2, h3, h4
    if not ends or ends[-1] != len(keys):
        ends.append(len(keys))
    return ends


def opcodes(a: Sequence[Key], b: Sequence[Key], coarse: bool = True) -> list[Opcode]:
    """SequenceMatcher opcodes, kept near-linear on long inputs.

    The common ends are trimmed first; a long middle is first aligned by
    chunks, so the quadratic token matcher only sees the chunks that differ.
    """
    n, m = len(a), len(b)
    p = 0
    while p < n and p < m and a[p] == b[p]:
        p += 1
    s = 0
    while s < n - p and s < m - p and a[n - 1 - s] == b[m - 1 - s]:
        s += 1
    ops: list[Opcode] = []
    if p:
        ops.append(("equal", 0, p, 0, p))
    mid_a, mid_b = a[p : n - s], b[p : m - s]
    size = len(mid_a) + len(mid_b)
    if not mid_a and not mid_b:
        pass
    elif not mid_a or not mid_b:
        ops.append(("delete" if mid_a else "insert", p, n - s, p, m - s))
    elif coarse and size > _CHUNK_ABOVE:
        ops.extend(_chunked_opcodes(mid_a, mid_b, p))
    elif size > _GIVE_UP_ABOVE:
        ops.append(("replace", p, n - s, p, m - s))
    else:
        matcher = SequenceMatcher(None, mid_a, mid_b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            ops.append((tag, i1 + p, i2 + p, j1 + p, j2 + p))
    if s:
        ops.append(("equal", n - s, n, m - s, m))
    return ops


def _chunked_opcodes(a: Sequence[Key], b: Sequence[Key], offset: int) -> list[Opcode]:
    ends_a, ends_b = _chunks(a), _chunks(b)
    starts_a, starts_b = [0, *ends_a[:-1]], [0, *ends_b[:-1]]
    keys_a = [tuple(a[x:y]) for x, y in zip(starts_a, ends_a, strict=True)]
    keys_b = [tuple(b[x:y]) for x, y in zip(starts_b, ends_b, strict=True)]
    ops: list[Opcode] = []
    for tag, c1, c2, d1, d2 in SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes():
        i1, i2 = (starts_a[c1], ends_a[c2 - 1]) if c2 > c1 else (starts_a[c1] if c1 < len(starts_a) else len(a),) * 2
        j1, j2 = (starts_b[d1], ends_b[d2 - 1]) if d2 > d1 else (starts_b[d1] if d1 < len(starts_b) else len(b),) * 2
        if tag == "equal":
            ops.append(("equal", i1 + offset, i2 + offset, j1 + offset, j2 + offset))
        else:
            for op in opcodes(a[i1:i2], b[j1:j2], coarse=False):
                ops.append((op[0], op[1] + i1 + offset, op[2] + i1 + offset, op[3] + j1 + offset, op[4] + j1 + offset))
    return ops


def merge_short_equalities(ops: list[Opcode], old_chars: list[int], new_chars: list[int]) -> list[Opcode]:
    """Fold short equal islands into the changes around them.

    Character-level CJK diffs of a rewritten sentence otherwise come out as
    confetti (every shared 的 or space kept).  Same rule as diff-match-patch's
    semantic cleanup: an equality no longer than the changes on both sides
    goes.  One pass with a stack, so linear in the number of operations.
    """
    prefix_old = [0]
    for c in old_chars:
        prefix_old.append(prefix_old[-1] + c)
    prefix_new = [0]
    for c in new_chars:
        prefix_new.append(prefix_new[-1] + c)

    def size(op: Opcode) -> int:
        return max(prefix_old[op[2]] - prefix_old[op[1]], prefix_new[op[4]] - prefix_new[op[3]])

    stack: list[Opcode] = []
    for op in ops:
        if op[1] == op[2] and op[3] == op[4]:
            continue
        if stack and (op[0] == "equal") == (stack[-1][0] == "equal"):
            prev = stack.pop()
            op = ("equal" if op[0] == "equal" else "replace", prev[1], op[2], prev[3], op[4])
        stack.append(op)
        while (
            len(stack) >= 3
            and stack[-1][0] != "equal"
            and stack[-2][0] == "equal"
            and stack[-3][0] != "equal"
            and size(stack[-2]) <= min(size(stack[-1]), size(stack[-3]))
        ):
            after, _, before = stack.pop(), stack.pop(), stack.pop()
            stack.append(("replace", before[1], after[2], before[3], after[4]))
    return stack
