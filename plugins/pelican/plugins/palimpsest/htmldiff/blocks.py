"""The block diff: containers unit by unit, paired leaves token by token.

Units of a container are aligned on their canonical form; in the regions
that differ, similar units are paired.  A paired container is diffed
recursively (a changed row is marked inside its table), a paired leaf block
inline, a ``<pre>`` line by line.  Unpaired units stay at their place,
marked ``diff-added`` or ``diff-removed`` with their text in ``<ins>`` or
``<del>``; removed content loses its ``id`` so anchors keep pointing at the
new version.
"""

from __future__ import annotations

from ..common.elements import VOID_ELEMENTS
from .pairing import pair_units
from .parse import Element
from .render import Mark, Stats, diff_lines, diff_tokens, render
from .sequence import opcodes
from .serialise import end_tag, serialise, start_tag
from .tokens import Tokenizer
from .units import VERBATIM_ELEMENTS, Run, Unit, is_container, unit_canonical, units


def _own_attrs(el: Element) -> list[tuple[str, str | None]]:
    return sorted((name, " ".join(sorted(v.split())) if name == "class" and v else v) for name, v in el.attrs if name != "id")


class Differ:
    """One diff: the counts so far and the tokenizer's shared contexts."""

    def __init__(self) -> None:
        self.stats = Stats()
        self.tokens = Tokenizer()

    # -- whole units, all added or all removed -----------------------------

    def mark(self, unit: Unit, mark: Mark) -> str:
        """*unit* as added (``ins``) or removed (``del``)."""
        old = mark == "del"
        if isinstance(unit, Run):
            return render(((mark, t) for t in self.tokens.inline(unit.nodes, old)), self.stats)
        css = "diff-added" if mark == "ins" else "diff-removed"
        return self._mark_element(unit, mark, css)

    def _mark_element(self, el: Element, mark: Mark, css: str | None) -> str:
        old = mark == "del"
        head = start_tag(el, strip_id=old, add_class=css)
        if el.name in VOID_ELEMENTS:
            return head
        if is_container(el):
            body = "\n".join(self._mark_element(u, mark, None) if isinstance(u, Element) else self.mark(u, mark) for u in units(el))
            return f"{head}\n{body}\n{end_tag(el)}"
        toks = self.tokens.inline(el.children, old, verbatim=el.name in VERBATIM_ELEMENTS)
        return head + render(((mark, t) for t in toks), self.stats) + end_tag(el)

    # -- pairs -------------------------------------------------------------

    def pair(self, old: Unit, new: Unit) -> str:
        """*new* with its differences from *old* marked."""
        if unit_canonical(old) == unit_canonical(new):
            return self.same(new)
        if isinstance(old, Run) or isinstance(new, Run):
            old_nodes = old.nodes if isinstance(old, Run) else [old]
            new_nodes = new.nodes if isinstance(new, Run) else [new]
            return diff_tokens(self.tokens.inline(old_nodes, True), self.tokens.inline(new_nodes, False), self.stats)
        css = "diff-changed" if old.name != new.name or _own_attrs(old) != _own_attrs(new) else None
        head = start_tag(new, add_class=css)
        if new.name in VOID_ELEMENTS:
            return head
        if new.name == "pre" and old.name == "pre":
            return head + diff_lines(self.tokens.lines(old, True), self.tokens.lines(new, False), self.stats) + end_tag(new)
        if is_container(old) or is_container(new):
            return f"{head}\n{self.children(old, new)}\n{end_tag(new)}"
        verbatim = new.name in VERBATIM_ELEMENTS
        body = diff_tokens(self.tokens.inline(old.children, True, verbatim), self.tokens.inline(new.children, False, verbatim), self.stats)
        return head + body + end_tag(new)

    @staticmethod
    def same(unit: Unit) -> str:
        if isinstance(unit, Element):
            return serialise(unit)
        return "".join(serialise(n) for n in unit.nodes).strip()

    # -- sequences of units ----------------------------------------------

    def children(self, old: Element, new: Element) -> str:
        """The units of *new*, aligned with those of *old*."""
        olds, news = units(old), units(new)
        out: list[str] = []
        if new.name == "tr" and old.name == "tr" and len(olds) == len(news):
            # Cells are positions: pairing them by similarity would shift columns.
            out.extend(self.pair(o, n) for o, n in zip(olds, news, strict=True))
            return "\n".join(out)
        ops = opcodes([unit_canonical(u) for u in olds], [unit_canonical(u) for u in news])
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal":
                out.extend(self.same(u) for u in news[j1:j2])
            elif tag == "delete":
                out.extend(self.mark(u, "del") for u in olds[i1:i2])
            elif tag == "insert":
                out.extend(self.mark(u, "ins") for u in news[j1:j2])
            else:
                out.extend(self.region(olds[i1:i2], news[j1:j2]))
        return "\n".join(out)

    def region(self, olds: list[Unit], news: list[Unit]) -> list[str]:
        """A changed region: pair similar units, the rest is removed/added."""
        out: list[str] = []
        i = j = 0
        for pi, pj in [*pair_units(olds, news), (len(olds), len(news))]:
            out.extend(self.mark(u, "del") for u in olds[i:pi])
            out.extend(self.mark(u, "ins") for u in news[j:pj])
            if pi < len(olds) and pj < len(news):
                out.append(self.pair(olds[pi], news[pj]))
            i, j = pi + 1, pj + 1
        return out
