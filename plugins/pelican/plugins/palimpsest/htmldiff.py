"""Show what changed between two renderings of an article body.

A history view needs the *new* article, readable as an article, with the
changes marked in place: a table must stay a table and a list a list, so a
text diff of the HTML source will not do.  ``diff_html`` therefore works on
the block structure:

1. both fragments are parsed into a small tree by a regular-expression
   scanner (BeautifulSoup and even ``html.parser`` are several times slower;
   200 KB per side diffs in a fraction of a second);
2. the children of a container (the fragment itself, ``ul``, ``table``,
   ``tr``, ``blockquote``, ``div`` ...) are cut into *units*: block elements,
   and runs of inline content between them;
3. units are aligned with ``difflib.SequenceMatcher`` on their canonical form;
   in the regions that differ, old and new units are paired by text
   similarity, so an edited paragraph is shown as one edited paragraph and not
   as a removed one plus an added one;
4. a paired container is diffed recursively (a changed row is marked inside
   its table); a paired leaf block is diffed inline, on tokens: every CJK
   character is its own token, Latin text is split into words, whitespace
   and punctuation are separate tokens.  ``<pre>`` is diffed line by line;
5. unpaired units are kept at their place, marked ``diff-added`` or
   ``diff-removed`` with their text in ``<ins>`` or ``<del>``.

``<ins>``/``<del>`` are always emitted *innermost* (inside ``<a>``,
``<strong>`` ...), which is what keeps the output balanced whatever the inline
markup.  Removed content loses its ``id`` attributes so that anchors keep
pointing at the new version.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from html import unescape
from typing import Union

from .html_elements import VOID_ELEMENTS

__all__ = ["DiffResult", "diff_html"]


@dataclass(frozen=True)
class DiffResult:
    """The new HTML with the changes marked, and how much changed.

    ``changed`` is False only when both versions are the same once
    attribute order, class order, comments and insignificant whitespace are
    normalised away; then ``html`` is the new fragment untouched.  An
    attribute-only change (a resized image) is a change: its old and new
    elements are shown in ``<del>``/``<ins>`` (or, for a block element whose
    own attributes changed, with the class ``diff-changed``).  Character
    counts collapse runs of whitespace to one character; ``inserted_media``
    and ``deleted_media`` count images, iframes, videos ... which have no text.
    """

    html: str
    changed: bool
    inserted_chars: int = 0
    deleted_chars: int = 0
    inserted_media: int = 0
    deleted_media: int = 0


# --------------------------------------------------------------------------
# A small HTML tree: elements, text (str), and _Raw declarations.

BLOCK = frozenset(
    ["address", "article", "aside", "blockquote", "body", "caption", "colgroup", "dd", "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"]
)
# Compared and shown as one token: their inside is not prose.
ATOMIC = frozenset(
    ["audio", "canvas", "embed", "iframe", "img", "input", "math", "object", "picture", "script", "select", "style", "svg", "textarea", "video", "br", "wbr"]
)
MEDIA = frozenset(["audio", "canvas", "embed", "iframe", "img", "math", "object", "picture", "svg", "video"])
RAW_TEXT = frozenset(("script", "style"))
VERBATIM = frozenset(("pre", "textarea", "script", "style"))


class _Raw(str):
    """A doctype or processing instruction, kept as written."""


class _El:
    __slots__ = ("_canon", "_feat", "_text", "_units", "attrs", "children", "name")

    def __init__(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
        self.name = name
        self.attrs = attrs
        self.children: list[_Node] = []
        self._canon: str | None = None
        self._units: list[_Unit] | None = None
        self._text: str | None = None
        self._feat: frozenset[str] | None = None


_Node = Union[_El, str]


_MARKUP = re.compile(
    r"<(?:"
    r"!--(?P<comment>.*?)--!?>"
    r"|(?P<end>/)?(?P<name>[a-zA-Z][^\s/>]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
    r"|(?P<decl>[!?][^>]*)>"
    r")",
    re.S,
)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


_FOREIGN = frozenset(("svg", "math"))


def _unescape(text: str) -> str:
    return unescape(text) if "&" in text else text


def _parse(html: str) -> _El:
    """Parse a rendered fragment into a tree.

    A regular-expression scanner rather than ``html.parser``: rendered
    Markdown is regular enough, and this is several times faster on
    tag-dense input (a 5000-row table).  End tags close up to the matching
    open element; stray end tags are ignored, unclosed elements end with the
    fragment, as browsers do.
    """
    root = _El("#root", [])
    stack = [root]
    pos = 0
    length = len(html)

    def text(chunk: str) -> None:
        if chunk:
            children = stack[-1].children
            chunk = _unescape(chunk)
            if children and type(children[-1]) is str:
                children[-1] += chunk
            else:
                children.append(chunk)

    while pos < length:
        match = _MARKUP.search(html, pos)
        if match is None:
            text(html[pos:])
            break
        text(html[pos : match.start()])
        pos = match.end()
        name = match.group("name")
        if name is None:
            if match.group("comment") is None:
                stack[-1].children.append(_Raw(match.group()))
            # Comments are dropped: invisible, and "a <!-- x --> b" must read
            # as the one text "a  b" (unchanged input is returned as is).
            continue
        name = name.lower()
        if match.group("end"):
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].name == name:
                    del stack[depth:]
                    break
            continue
        raw_attrs = match.group("attrs")
        attrs: list[tuple[str, str | None]] = []
        if raw_attrs.strip(" /\t\n"):
            for a in _ATTR.finditer(raw_attrs):
                value = a.group(2) if a.group(2) is not None else a.group(3) if a.group(3) is not None else a.group(4)
                attrs.append((a.group(1).lower(), None if value is None else _unescape(value)))
        el = _El(name, attrs)
        stack[-1].children.append(el)
        if name in RAW_TEXT:
            close = re.compile(rf"</{name}\s*>", re.I).search(html, pos)
            stop = close.start() if close else length
            if stop > pos:
                el.children.append(html[pos:stop])
            pos = close.end() if close else length
        elif name in VOID_ELEMENTS:
            continue
        elif raw_attrs.endswith("/") and (name in _FOREIGN or any(e.name in _FOREIGN for e in stack)):
            continue  # <path/> in SVG is closed; <p/> in HTML is not
        else:
            stack.append(el)
    return root


# --------------------------------------------------------------------------
# Serialisation.


def _esc_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _esc_attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;")


def _start_tag(el: _El, *, strip_id: bool = False, add_class: str | None = None) -> str:
    parts = [f"<{el.name}"]
    seen_class = False
    for name, value in el.attrs:
        if strip_id and name == "id":
            continue
        if name == "class" and add_class:
            value = f"{value} {add_class}" if value else add_class
            seen_class = True
        parts.append(f" {name}" if value is None else f' {name}="{_esc_attr(value)}"')
    if add_class and not seen_class:
        parts.append(f' class="{add_class}"')
    parts.append(">")
    return "".join(parts)


def _end_tag(el: _El) -> str:
    return "" if el.name in VOID_ELEMENTS else f"</{el.name}>"


def _serialize(node: _Node, *, strip_id: bool = False, raw: bool = False) -> str:
    """Source of *node* (ids dropped for content shown as removed)."""
    out: list[str] = []
    _serialize_into(node, out, strip_id, raw)
    return "".join(out)


def _serialize_into(node: _Node, out: list[str], strip_id: bool, raw: bool) -> None:
    if isinstance(node, _El):
        out.append(_start_tag(node, strip_id=strip_id))
        child_raw = node.name in RAW_TEXT
        for child in node.children:
            _serialize_into(child, out, strip_id, child_raw)
        out.append(_end_tag(node))
    elif isinstance(node, _Raw) or raw:
        out.append(node)
    else:
        out.append(_esc_text(node))


# --------------------------------------------------------------------------
# Canonical form: what must be equal for "nothing visible changed".  Same
# rules as ``canonical.canonical_html``: attribute and class order, comments
# and whitespace between blocks do not count; whitespace inside text is
# collapsed but kept; preformatted text is verbatim.

_SPACES = re.compile(r"[ \t\r\n\f]+")


def _canon_start(el: _El) -> str:
    parts = [f"<{el.name}"]
    for name, value in sorted(el.attrs, key=lambda a: a[0]):
        if value is None:
            parts.append(f" {name}")
        else:
            if name == "class":
                value = " ".join(sorted(value.split()))
            parts.append(f' {name}="{_esc_attr(value)}"')
    parts.append(">")
    return "".join(parts)


def _canon_inline(nodes: Iterable[_Node], verbatim: bool) -> str:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, _El):
            parts.append(_canon(node, verbatim))
        elif isinstance(node, _Raw):
            continue
        elif verbatim:
            parts.append(_esc_text(node))
        else:
            parts.append(_esc_text(_SPACES.sub(" ", node)))
    return "".join(parts)


def _canon(el: _El, verbatim: bool = False) -> str:
    if el._canon is not None:
        return el._canon
    verbatim = verbatim or el.name in VERBATIM
    if verbatim or el.name in ATOMIC:
        body = _canon_inline(el.children, verbatim)
    elif _is_container(el):
        body = "\n".join(_unit_canon(unit) for unit in _units(el))
    else:
        body = _canon_inline(el.children, False).strip(" ")
    result = _canon_start(el) + body + _end_tag(el)
    el._canon = result
    return result


# --------------------------------------------------------------------------
# Units: the children of a container, cut into blocks and inline runs.


class _Run:
    """Inline content between two blocks of a container."""

    __slots__ = ("_canon", "_feat", "_text", "nodes")

    def __init__(self, nodes: list[_Node]) -> None:
        self.nodes = nodes
        self._canon: str | None = None
        self._text: str | None = None
        self._feat: frozenset[str] | None = None


_Unit = Union[_El, _Run]


def _is_container(el: _El) -> bool:
    if el.name in VERBATIM or el.name in ATOMIC:
        return False
    return any(isinstance(c, _El) and c.name in BLOCK for c in el.children)


def _units(el: _El) -> list[_Unit]:
    if el._units is not None:
        return el._units
    units: list[_Unit] = []
    run: list[_Node] = []

    def flush() -> None:
        if any(isinstance(n, _El) or (type(n) is str and n.strip()) for n in run):
            units.append(_Run(run[:]))
        run.clear()

    for child in el.children:
        if isinstance(child, _El) and child.name in BLOCK:
            flush()
            units.append(child)
        elif isinstance(child, _Raw):
            continue
        else:
            run.append(child)
    flush()
    el._units = units
    return units


def _unit_canon(unit: _Unit) -> str:
    if isinstance(unit, _El):
        return _canon(unit)
    if unit._canon is None:
        unit._canon = _canon_inline(unit.nodes, False).strip(" ")
    return unit._canon


def _plain_text(nodes: Iterable[_Node]) -> str:
    parts: list[str] = []
    stack = list(reversed(list(nodes)))
    while stack:
        node = stack.pop()
        if isinstance(node, _El):
            if node.name in BLOCK:
                parts.append(" ")  # "a</td><td>b" reads "a b", not "ab"
            if node.name not in RAW_TEXT:
                stack.extend(reversed(node.children))
        elif not isinstance(node, _Raw):
            parts.append(node)
    return _SPACES.sub(" ", "".join(parts)).strip()


def _unit_text(unit: _Unit) -> str:
    if unit._text is None:
        unit._text = _plain_text(unit.children if isinstance(unit, _El) else unit.nodes)
    return unit._text


def _unit_features(unit: _Unit) -> frozenset[str]:
    """Character bigrams, a cheap similarity measure for pairing units."""
    if unit._feat is None:
        text = _unit_text(unit) or _unit_canon(unit)
        padded = f"\x02{text}\x03"
        unit._feat = frozenset(padded[k : k + 2] for k in range(len(padded) - 1))
    return unit._feat


def _unit_name(unit: _Unit) -> str:
    return unit.name if isinstance(unit, _El) else "#run"


# Wrappers whose identity is their position: a changed table is still the
# table, to be diffed row by row, however little text the rows share.
STRUCTURAL = frozenset(["table", "thead", "tbody", "tfoot", "colgroup", "ul", "ol", "dl"])


def _similarity(a: _Unit, b: _Unit) -> float:
    """0..1; pairs under ``_PAIR_THRESHOLD`` are shown as removed + added."""
    name = _unit_name(a)
    if name != _unit_name(b):
        return 0.0
    fa, fb = _unit_features(a), _unit_features(b)
    sim = 2 * len(fa & fb) / (len(fa) + len(fb))
    if name in STRUCTURAL:
        return max(sim, _PAIR_THRESHOLD)
    if name == "tr" and isinstance(a, _El) and isinstance(b, _El):
        # A row keeping most of its cells is the same row, even when the
        # cells are too short for the bigrams to say so.
        ca, cb = [_unit_canon(u) for u in _units(a)], [_unit_canon(u) for u in _units(b)]
        same = sum(x == y for x, y in zip(ca, cb))
        sim = max(sim, same / max(len(ca), len(cb), 1))
    return sim


# --------------------------------------------------------------------------
# Tokens.

_CJK = (
    "\u1100-\u11ff"  # Hangul Jamo
    "\u2e80-\u2fdf"  # CJK radicals, Kangxi radicals
    "\u3000-\u303f"  # CJK symbols and punctuation
    "\u3040-\u309f"  # Hiragana
    "\u30a0-\u30ff"  # Katakana
    "\u3100-\u312f"  # Bopomofo
    "\u3130-\u318f"  # Hangul compatibility Jamo
    "\u31c0-\u31ff"  # CJK strokes, Katakana phonetic extensions
    "\u3200-\u33ff"  # enclosed CJK, CJK compatibility
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\ua960-\ua97f"  # Hangul Jamo extended A
    "\uac00-\ud7ff"  # Hangul syllables, Jamo extended B
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\ufe30-\ufe4f"  # CJK compatibility forms
    "\uff00-\uffef"  # halfwidth and fullwidth forms
    "\U00020000-\U0003134f"  # CJK extensions B-G
    # Scripts written without spaces between words: a character is the
    # only boundary we can find without a dictionary.
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
)
# Only ASCII whitespace separates: a no-break space is a visible character.
_TOKEN = re.compile(rf"[{_CJK}]|[ \t\r\n\f]+|[^\W_{_CJK}]+|.", re.S)

_Ctx = tuple  # tuple[tuple[str, str], ...]: (name, start tag) of open inline elements


@dataclass(slots=True)
class _Tok:
    key: object  # what is compared
    html: str  # what is written
    ctx: _Ctx  # inline elements around it, outermost first
    chars: int  # visible characters, for the counts
    media: int  # 1 for an image, iframe ...


class _Tokenizer:
    """Turns inline content into tokens; one per diff so contexts are shared."""

    def __init__(self) -> None:
        self._ctx_ids: dict[tuple[int, str], int] = {}

    def _ctx_id(self, parent: int, el: _El) -> int:
        key = (parent, _canon_start(el))
        found = self._ctx_ids.get(key)
        if found is None:
            found = self._ctx_ids[key] = len(self._ctx_ids) + 1
        return found

    def inline(self, nodes: Iterable[_Node], old: bool, verbatim: bool = False) -> list[_Tok]:
        out: list[_Tok] = []
        self._walk(nodes, (), 0, old, verbatim, out)
        return out

    def _walk(self, nodes: Iterable[_Node], ctx: _Ctx, ctx_id: int, old: bool, verbatim: bool, out: list[_Tok]) -> None:
        for node in nodes:
            if isinstance(node, _El):
                if node.name in ATOMIC or node.name in VOID_ELEMENTS:
                    html = _serialize(node, strip_id=old)
                    out.append(_Tok((ctx_id, _canon(node)), html, ctx, 0, int(node.name in MEDIA)))
                else:
                    sub = ctx + ((node.name, _start_tag(node, strip_id=old)),)
                    before = len(out)
                    self._walk(node.children, sub, self._ctx_id(ctx_id, node), old, verbatim or node.name in VERBATIM, out)
                    if len(out) == before:  # an empty anchor or span: keep it, as one token
                        out.append(_Tok((ctx_id, _canon(node)), _serialize(node, strip_id=old), ctx, 0, 0))
            elif isinstance(node, _Raw):
                continue
            else:
                needs_escape = "&" in node or "<" in node or ">" in node
                for text in _TOKEN.findall(node):
                    html = _esc_text(text) if needs_escape else text
                    if text[0] in " \t\r\n\f":
                        key = text if verbatim else " "
                        out.append(_Tok((ctx_id, key), html, ctx, len(text) if verbatim else 1, 0))
                    else:
                        out.append(_Tok((ctx_id, text), html, ctx, len(text), 0))

    def lines(self, el: _El, old: bool) -> list[list[_Tok]]:
        """Tokens of a ``<pre>``, grouped by line; compared on the line text."""
        pieces: list[_Tok] = []
        self._pieces(el.children, (), old, pieces)
        lines: list[list[_Tok]] = [[]]
        for piece in pieces:
            lines[-1].append(piece)
            if piece.key == "\n":
                lines.append([])
        if not lines[-1]:
            lines.pop()
        return lines

    def _pieces(self, nodes: Iterable[_Node], ctx: _Ctx, old: bool, out: list[_Tok]) -> None:
        for node in nodes:
            if isinstance(node, _El):
                if node.name in ATOMIC or node.name in VOID_ELEMENTS:
                    out.append(_Tok("\x00" + _canon(node), _serialize(node, strip_id=old), ctx, 0, int(node.name in MEDIA)))
                else:
                    before = len(out)
                    self._pieces(node.children, ctx + ((node.name, _start_tag(node, strip_id=old)),), old, out)
                    if len(out) == before:
                        out.append(_Tok("\x00" + _canon(node), _serialize(node, strip_id=old), ctx, 0, 0))
            elif isinstance(node, _Raw):
                continue
            else:
                for part in re.split(r"(\n)", node):
                    if part:
                        out.append(_Tok(part, _esc_text(part), ctx, len(part), 0))


# --------------------------------------------------------------------------
# Rendering marked token streams.


@dataclass
class _Stats:
    inserted_chars: int = 0
    deleted_chars: int = 0
    inserted_media: int = 0
    deleted_media: int = 0

    def count(self, mark: str, tok: _Tok) -> None:
        if mark == "ins":
            self.inserted_chars += tok.chars
            self.inserted_media += tok.media
        else:
            self.deleted_chars += tok.chars
            self.deleted_media += tok.media


def _render(items: Iterable[tuple[str | None, _Tok]], stats: _Stats) -> str:
    """Write tokens, reopening their inline context as needed.

    ``<ins>``/``<del>`` are opened innermost and closed whenever the context
    changes, so they never straddle an element boundary.
    """
    out: list[str] = []
    stack: list[tuple[str, str]] = []
    mark: str | None = None
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


# --------------------------------------------------------------------------
# Token diff.

_Op = tuple[str, int, int, int, int]


_CHUNK_ABOVE = 3000  # tokens (both sides) above which a first, coarser pass runs
_GIVE_UP_ABOVE = 12000  # tokens left in one changed region: show it as replaced
_STOPS = frozenset("。！？；…\n.!?;")
_QUAD = struct.Struct("<4I")


def _chunks(keys: list[object]) -> list[int]:
    """Chunk ends, chosen from content only so both sides cut alike.

    A chunk ends after a sentence stop, or where a hash of the last two
    tokens says so (about one token in twenty): content-defined chunking, as
    in rsync, so an insertion shifts no boundary outside itself.
    """
    ends: list[int] = []
    hashes: dict[object, int] = {}
    h1 = h2 = h3 = 0
    for k, key in enumerate(keys):
        text = key[1] if type(key) is tuple else key
        h4 = hashes.get(text)
        if h4 is None:
            # crc32, not hash(): string hashes change between runs, and the
            # site must build the same output twice.
            h4 = hashes[text] = zlib.crc32(str(text).encode())
        # Four tokens, not two: words alternate with spaces, so pairs repeat.
        if text in _STOPS or zlib.crc32(_QUAD.pack(h1, h2, h3, h4)) % 20 == 0:
            ends.append(k + 1)
        h1, h2, h3 = h2, h3, h4
    if not ends or ends[-1] != len(keys):
        ends.append(len(keys))
    return ends


def _opcodes(a: list[object], b: list[object], coarse: bool = True) -> list[_Op]:
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
    ops: list[_Op] = []
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


def _chunked_opcodes(a: list[object], b: list[object], offset: int) -> list[_Op]:
    ends_a, ends_b = _chunks(a), _chunks(b)
    starts_a, starts_b = [0, *ends_a[:-1]], [0, *ends_b[:-1]]
    keys_a = [tuple(a[x:y]) for x, y in zip(starts_a, ends_a)]
    keys_b = [tuple(b[x:y]) for x, y in zip(starts_b, ends_b)]
    ops: list[_Op] = []
    for tag, c1, c2, d1, d2 in SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes():
        i1, i2 = (starts_a[c1], ends_a[c2 - 1]) if c2 > c1 else (starts_a[c1] if c1 < len(starts_a) else len(a),) * 2
        j1, j2 = (starts_b[d1], ends_b[d2 - 1]) if d2 > d1 else (starts_b[d1] if d1 < len(starts_b) else len(b),) * 2
        if tag == "equal":
            ops.append(("equal", i1 + offset, i2 + offset, j1 + offset, j2 + offset))
        else:
            for op in _opcodes(a[i1:i2], b[j1:j2], coarse=False):
                ops.append((op[0], op[1] + i1 + offset, op[2] + i1 + offset, op[3] + j1 + offset, op[4] + j1 + offset))
    return ops


def _cleanup(ops: list[_Op], old_chars: list[int], new_chars: list[int]) -> list[_Op]:
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

    def size(op: _Op) -> int:
        return max(prefix_old[op[2]] - prefix_old[op[1]], prefix_new[op[4]] - prefix_new[op[3]])

    stack: list[_Op] = []
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


def _diff_tokens(old: list[_Tok], new: list[_Tok], stats: _Stats) -> str:
    ops = _opcodes([t.key for t in old], [t.key for t in new])
    ops = _cleanup(ops, [t.chars for t in old], [t.chars for t in new])

    def items() -> Iterator[tuple[str | None, _Tok]]:
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal":
                for tok in new[j1:j2]:
                    yield None, tok
                continue
            for tok in old[i1:i2]:
                yield "del", tok
            for tok in new[j1:j2]:
                yield "ins", tok

    return _render(items(), stats)


def _diff_lines(old: list[list[_Tok]], new: list[list[_Tok]], stats: _Stats) -> str:
    ops = _opcodes(["".join(t.key for t in line) for line in old], ["".join(t.key for t in line) for line in new])

    def items() -> Iterator[tuple[str | None, _Tok]]:
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

    return _render(items(), stats)


# --------------------------------------------------------------------------
# Block diff.

_PAIR_THRESHOLD = 0.4
_DP_LIMIT = 10_000  # old x new units in one changed region before pairing greedily
_LOOKAHEAD = 4


def _own_attrs(el: _El) -> list[tuple[str, str | None]]:
    return sorted((name, " ".join(sorted(v.split())) if name == "class" and v else v) for name, v in el.attrs if name != "id")


class _Differ:
    def __init__(self) -> None:
        self.stats = _Stats()
        self.tokens = _Tokenizer()

    # -- whole units, all added or all removed -----------------------------

    def mark(self, unit: _Unit, mark: str) -> str:
        """*unit* as added (``ins``) or removed (``del``)."""
        old = mark == "del"
        if isinstance(unit, _Run):
            return _render(((mark, t) for t in self.tokens.inline(unit.nodes, old)), self.stats)
        css = "diff-added" if mark == "ins" else "diff-removed"
        return self._mark_el(unit, mark, css)

    def _mark_el(self, el: _El, mark: str, css: str | None) -> str:
        old = mark == "del"
        head = _start_tag(el, strip_id=old, add_class=css)
        if el.name in VOID_ELEMENTS:
            return head
        if _is_container(el):
            body = "\n".join(
                self._mark_el(u, mark, None) if isinstance(u, _El) else self.mark(u, mark) for u in _units(el)
            )
            return f"{head}\n{body}\n{_end_tag(el)}"
        toks = self.tokens.inline(el.children, old, verbatim=el.name in VERBATIM)
        return head + _render(((mark, t) for t in toks), self.stats) + _end_tag(el)

    # -- pairs -------------------------------------------------------------

    def pair(self, old: _Unit, new: _Unit) -> str:
        """*new* with its differences from *old* marked."""
        if _unit_canon(old) == _unit_canon(new):
            return self.same(new)
        if isinstance(old, _Run) or isinstance(new, _Run):
            old_nodes = old.nodes if isinstance(old, _Run) else [old]
            new_nodes = new.nodes if isinstance(new, _Run) else [new]
            return _diff_tokens(self.tokens.inline(old_nodes, True), self.tokens.inline(new_nodes, False), self.stats)
        css = "diff-changed" if old.name != new.name or _own_attrs(old) != _own_attrs(new) else None
        head = _start_tag(new, add_class=css)
        if new.name in VOID_ELEMENTS:
            return head
        if new.name == "pre" and old.name == "pre":
            return head + _diff_lines(self.tokens.lines(old, True), self.tokens.lines(new, False), self.stats) + _end_tag(new)
        if _is_container(old) or _is_container(new):
            return f"{head}\n{self.children(old, new)}\n{_end_tag(new)}"
        verbatim = new.name in VERBATIM
        body = _diff_tokens(
            self.tokens.inline(old.children, True, verbatim), self.tokens.inline(new.children, False, verbatim), self.stats
        )
        return head + body + _end_tag(new)

    @staticmethod
    def same(unit: _Unit) -> str:
        if isinstance(unit, _El):
            return _serialize(unit)
        return "".join(_serialize(n) for n in unit.nodes).strip()

    # -- sequences of units ----------------------------------------------

    def children(self, old: _El, new: _El) -> str:
        olds, news = _units(old), _units(new)
        out: list[str] = []
        if new.name == "tr" and old.name == "tr" and len(olds) == len(news):
            # Cells are positions: pairing them by similarity would shift columns.
            out.extend(self.pair(o, n) for o, n in zip(olds, news))
            return "\n".join(out)
        ops = _opcodes([_unit_canon(u) for u in olds], [_unit_canon(u) for u in news])
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

    def region(self, olds: list[_Unit], news: list[_Unit]) -> list[str]:
        """A changed region: pair similar units, the rest is removed/added."""
        pairs = self._pairs_dp(olds, news) if len(olds) * len(news) <= _DP_LIMIT else self._pairs_greedy(olds, news)
        out: list[str] = []
        i = j = 0
        for pi, pj in [*pairs, (len(olds), len(news))]:
            out.extend(self.mark(u, "del") for u in olds[i:pi])
            out.extend(self.mark(u, "ins") for u in news[j:pj])
            if pi < len(olds) and pj < len(news):
                out.append(self.pair(olds[pi], news[pj]))
            i, j = pi + 1, pj + 1
        return out

    @staticmethod
    def _pairs_dp(olds: list[_Unit], news: list[_Unit]) -> list[tuple[int, int]]:
        """Order-preserving pairing with the largest total similarity."""
        n, m = len(olds), len(news)
        score = [[0.0] * (m + 1) for _ in range(n + 1)]
        sims: dict[tuple[int, int], float] = {}
        for i in range(1, n + 1):
            row, prev = score[i], score[i - 1]
            for j in range(1, m + 1):
                best = prev[j] if prev[j] >= row[j - 1] else row[j - 1]
                sim = _similarity(olds[i - 1], news[j - 1])
                if sim >= _PAIR_THRESHOLD:
                    sims[i, j] = sim
                    if prev[j - 1] + sim > best:
                        best = prev[j - 1] + sim
                row[j] = best
        pairs: list[tuple[int, int]] = []
        i, j = n, m
        while i and j:
            sim = sims.get((i, j))
            if sim is not None and score[i][j] == score[i - 1][j - 1] + sim:
                pairs.append((i - 1, j - 1))
                i, j = i - 1, j - 1
            elif score[i - 1][j] >= score[i][j - 1]:
                i -= 1
            else:
                j -= 1
        pairs.reverse()
        return pairs

    @staticmethod
    def _pairs_greedy(olds: list[_Unit], news: list[_Unit]) -> list[tuple[int, int]]:
        """Linear pairing for huge regions: look a few units ahead on each side."""
        pairs: list[tuple[int, int]] = []
        i = j = 0
        while i < len(olds) and j < len(news):
            if _similarity(olds[i], news[j]) >= _PAIR_THRESHOLD:
                pairs.append((i, j))
                i, j = i + 1, j + 1
                continue
            for step in range(1, _LOOKAHEAD + 1):
                if j + step < len(news) and _similarity(olds[i], news[j + step]) >= _PAIR_THRESHOLD:
                    j += step
                    break
                if i + step < len(olds) and _similarity(olds[i + step], news[j]) >= _PAIR_THRESHOLD:
                    i += step
                    break
            else:
                i, j = i + 1, j + 1
        return pairs


def diff_html(old: str, new: str) -> DiffResult:
    """Mark in *new* what changed since *old* (both rendered HTML fragments).

    Tokens are cut by script (each CJK, Thai, Lao, Khmer or Myanmar character
    is a token, other text is split into words), which handles the usual mix
    of Chinese prose and French terms without a language hint.
    """
    if old == new:
        return DiffResult(html=new, changed=False)
    old_root, new_root = _parse(old), _parse(new)
    if _canon(old_root) == _canon(new_root):
        return DiffResult(html=new, changed=False)
    differ = _Differ()
    html = differ.children(old_root, new_root) + "\n"
    s = differ.stats
    return DiffResult(
        html=html,
        changed=True,
        inserted_chars=s.inserted_chars,
        deleted_chars=s.deleted_chars,
        inserted_media=s.inserted_media,
        deleted_media=s.deleted_media,
    )
