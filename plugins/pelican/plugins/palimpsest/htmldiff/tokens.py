"""Inline content as tokens: what a paired leaf block is diffed on.

Every CJK character is its own token (and so is every character of the other
scripts written without spaces), Latin text is split into words, whitespace
and punctuation are separate tokens.  A token remembers the inline elements
around it, so that the renderer can reopen them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..common.cjk import CJK_RANGES
from ..common.elements import EMBEDDED_ELEMENTS, VOID_ELEMENTS
from ..common.text import escape_html
from .parse import Element, Node, Raw
from .sequence import Key
from .serialise import serialise, start_tag
from .units import ATOMIC_ELEMENTS, VERBATIM_ELEMENTS, canonical, canonical_start_tag

# Scripts written without spaces between words: a character is the only
# boundary we can find without a dictionary.
_UNSPACED_RANGES = (
    CJK_RANGES
    + "\u0e00-\u0eff"  # Thai, Lao
    + "\u1000-\u109f"  # Myanmar
    + "\u1780-\u17ff"  # Khmer
)
# Only ASCII whitespace separates: a no-break space is a visible character.
_TOKEN = re.compile(rf"[{_UNSPACED_RANGES}]|[ \t\r\n\f]+|[^\W_{_UNSPACED_RANGES}]+|.", re.S)

Context = tuple[tuple[str, str], ...]
"""(name, start tag) of the open inline elements around a token, outermost first."""


@dataclass(slots=True)
class Token:
    key: Key  # what is compared
    html: str  # what is written
    ctx: Context  # inline elements around it, outermost first
    chars: int  # visible characters, for the counts
    media: int  # 1 for an image, iframe ...


class Tokenizer:
    """Turns inline content into tokens; one per diff so contexts are shared."""

    def __init__(self) -> None:
        self._ctx_ids: dict[tuple[int, str], int] = {}

    def _ctx_id(self, parent: int, el: Element) -> int:
        key = (parent, canonical_start_tag(el))
        found = self._ctx_ids.get(key)
        if found is None:
            found = self._ctx_ids[key] = len(self._ctx_ids) + 1
        return found

    def inline(self, nodes: Iterable[Node], old: bool, verbatim: bool = False) -> list[Token]:
        """Tokens of inline content, keyed by (context, text) so a word moved out of a link differs."""
        out: list[Token] = []
        self._walk(nodes, (), 0, old, verbatim, out)
        return out

    def _walk(self, nodes: Iterable[Node], ctx: Context, ctx_id: int, old: bool, verbatim: bool, out: list[Token]) -> None:
        for node in nodes:
            if isinstance(node, Element):
                if node.name in ATOMIC_ELEMENTS or node.name in VOID_ELEMENTS:
                    html = serialise(node, strip_id=old)
                    out.append(Token((ctx_id, canonical(node)), html, ctx, 0, int(node.name in EMBEDDED_ELEMENTS)))
                else:
                    sub = (*ctx, (node.name, start_tag(node, strip_id=old)))
                    before = len(out)
                    self._walk(node.children, sub, self._ctx_id(ctx_id, node), old, verbatim or node.name in VERBATIM_ELEMENTS, out)
                    if len(out) == before:  # an empty anchor or span: keep it, as one token
                        out.append(Token((ctx_id, canonical(node)), serialise(node, strip_id=old), ctx, 0, 0))
            elif isinstance(node, Raw):
                continue
            else:
                needs_escape = "&" in node or "<" in node or ">" in node
                for text in _TOKEN.findall(node):
                    html = escape_html(text) if needs_escape else text
                    if text[0] in " \t\r\n\f":
                        key = text if verbatim else " "
                        out.append(Token((ctx_id, key), html, ctx, len(text) if verbatim else 1, 0))
                    else:
                        out.append(Token((ctx_id, text), html, ctx, len(text), 0))

    def lines(self, el: Element, old: bool) -> list[list[Token]]:
        """Tokens of a ``<pre>``, grouped by line; compared on the line text."""
        pieces: list[Token] = []
        self._pieces(el.children, (), old, pieces)
        lines: list[list[Token]] = [[]]
        for piece in pieces:
            lines[-1].append(piece)
            if piece.key == "\n":
                lines.append([])
        if not lines[-1]:
            lines.pop()
        return lines

    def _pieces(self, nodes: Iterable[Node], ctx: Context, old: bool, out: list[Token]) -> None:
        for node in nodes:
            if isinstance(node, Element):
                if node.name in ATOMIC_ELEMENTS or node.name in VOID_ELEMENTS:
                    media = int(node.name in EMBEDDED_ELEMENTS)
                    out.append(Token("\x00" + canonical(node), serialise(node, strip_id=old), ctx, 0, media))
                else:
                    before = len(out)
                    self._pieces(node.children, (*ctx, (node.name, start_tag(node, strip_id=old))), old, out)
                    if len(out) == before:
                        out.append(Token("\x00" + canonical(node), serialise(node, strip_id=old), ctx, 0, 0))
            elif isinstance(node, Raw):
                continue
            else:
                for part in re.split(r"(\n)", node):
                    if part:
                        out.append(Token(part, escape_html(part), ctx, len(part), 0))
