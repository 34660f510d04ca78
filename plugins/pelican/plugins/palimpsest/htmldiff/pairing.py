"""Pairing old and new units in a changed region, by text similarity.

An edited paragraph must be shown as one edited paragraph, not as a removed
one plus an added one: in a region where the unit alignment found only
differences, old and new units of the same element are paired when they
share enough character bigrams, keeping their order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..common.elements import BLOCK_ELEMENTS, LIST_AND_TABLE_GROUPS, RAW_TEXT_ELEMENTS
from .parse import Element, Node, Raw
from .units import Unit, unit_canonical, units

PAIR_THRESHOLD = 0.4
"""Similarity under which two units are shown as removed + added."""
_DP_LIMIT = 10_000  # old x new units in one changed region before pairing greedily
_LOOKAHEAD = 4
_SPACES = re.compile(r"[ \t\r\n\f]+")


def _plain_text(nodes: Iterable[Node]) -> str:
    parts: list[str] = []
    stack = list(reversed(list(nodes)))
    while stack:
        node = stack.pop()
        if isinstance(node, Element):
            if node.name in BLOCK_ELEMENTS:
                parts.append(" ")  # "a</td><td>b" reads "a b", not "ab"
            if node.name not in RAW_TEXT_ELEMENTS:
                stack.extend(reversed(node.children))
        elif not isinstance(node, Raw):
            parts.append(node)
    return _SPACES.sub(" ", "".join(parts)).strip()


def _unit_text(unit: Unit) -> str:
    if unit.cached_text is None:
        unit.cached_text = _plain_text(unit.children if isinstance(unit, Element) else unit.nodes)
    return unit.cached_text


def _unit_features(unit: Unit) -> frozenset[str]:
    """Character bigrams, a cheap similarity measure for pairing units."""
    if unit.cached_features is None:
        text = _unit_text(unit) or unit_canonical(unit)
        padded = f"\x02{text}\x03"
        unit.cached_features = frozenset(padded[k : k + 2] for k in range(len(padded) - 1))
    return unit.cached_features


def _unit_name(unit: Unit) -> str:
    return unit.name if isinstance(unit, Element) else "#run"


def similarity(a: Unit, b: Unit) -> float:
    """0..1; pairs under ``PAIR_THRESHOLD`` are shown as removed + added."""
    name = _unit_name(a)
    if name != _unit_name(b):
        return 0.0
    fa, fb = _unit_features(a), _unit_features(b)
    sim = 2 * len(fa & fb) / (len(fa) + len(fb))
    if name in LIST_AND_TABLE_GROUPS:
        # Their identity is their position: a changed table is still the table,
        # to be diffed row by row, however little text the rows share.
        return max(sim, PAIR_THRESHOLD)
    if name == "tr" and isinstance(a, Element) and isinstance(b, Element):
        # A row keeping most of its cells is the same row, even when the
        # cells are too short for the bigrams to say so.
        ca, cb = [unit_canonical(u) for u in units(a)], [unit_canonical(u) for u in units(b)]
        same = sum(x == y for x, y in zip(ca, cb, strict=False))
        sim = max(sim, same / max(len(ca), len(cb), 1))
    return sim


def pair_units(olds: list[Unit], news: list[Unit]) -> list[tuple[int, int]]:
    """(old index, new index) of the paired units, in order."""
    if len(olds) * len(news) <= _DP_LIMIT:
        return _pairs_dp(olds, news)
    return _pairs_greedy(olds, news)


def _pairs_dp(olds: list[Unit], news: list[Unit]) -> list[tuple[int, int]]:
    """Order-preserving pairing with the largest total similarity."""
    n, m = len(olds), len(news)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    sims: dict[tuple[int, int], float] = {}
    for i in range(1, n + 1):
        row, prev = score[i], score[i - 1]
        for j in range(1, m + 1):
            best = prev[j] if prev[j] >= row[j - 1] else row[j - 1]
            sim = similarity(olds[i - 1], news[j - 1])
            if sim >= PAIR_THRESHOLD:
                sims[i, j] = sim
                if prev[j - 1] + sim > best:
                    best = prev[j - 1] + sim
            row[j] = best
    pairs: list[tuple[int, int]] = []
    i, j = n, m
    while i and j:
        paired_sim = sims.get((i, j))
        if paired_sim is not None and score[i][j] == score[i - 1][j - 1] + paired_sim:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif score[i - 1][j] >= score[i][j - 1]:
            i -= 1
        else:
            j -= 1
    pairs.reverse()
    return pairs


def _pairs_greedy(olds: list[Unit], news: list[Unit]) -> list[tuple[int, int]]:
    """Linear pairing for huge regions: look a few units ahead on each side."""
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < len(olds) and j < len(news):
        if similarity(olds[i], news[j]) >= PAIR_THRESHOLD:
            pairs.append((i, j))
            i, j = i + 1, j + 1
            continue
        for step in range(1, _LOOKAHEAD + 1):
            if j + step < len(news) and similarity(olds[i], news[j + step]) >= PAIR_THRESHOLD:
                j += step
                break
            if i + step < len(olds) and similarity(olds[i + step], news[j]) >= PAIR_THRESHOLD:
                i += step
                break
        else:
            i, j = i + 1, j + 1
    return pairs
