"""A rendered fragment as a small tree: elements, text (``str``) and raw declarations.

A :class:`Fragment` keeps its tree once parsed: a revision is diffed against
the one before, the one after and the current version, and each side is
parsed (and put in canonical form, which the tree caches) only once.
"""

from __future__ import annotations

import re
from html import unescape
from typing import TYPE_CHECKING

from ..common.elements import FOREIGN_ROOTS, RAW_TEXT_ELEMENTS, VOID_ELEMENTS

if TYPE_CHECKING:
    from .units import Unit


class Raw(str):
    """A doctype or processing instruction, kept as written."""


class Element:
    """An element; the ``cached_`` slots are filled on demand by the later stages."""

    __slots__ = ("attrs", "cached_canon", "cached_features", "cached_text", "cached_units", "children", "name")

    def __init__(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
        self.name = name
        self.attrs = attrs
        self.children: list[Node] = []
        self.cached_canon: str | None = None
        self.cached_units: list[Unit] | None = None
        self.cached_text: str | None = None
        self.cached_features: frozenset[str] | None = None


Node = Element | str

_MARKUP = re.compile(
    r"<(?:"
    r"!--(?P<comment>.*?)--!?>"
    r"|(?P<end>/)?(?P<name>[a-zA-Z][^\s/>]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
    r"|(?P<decl>[!?][^>]*)>"
    r")",
    re.S,
)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


def _unescape(text: str) -> str:
    return unescape(text) if "&" in text else text


def parse(html: str) -> Element:
    """Parse a rendered fragment into a tree.

    A regular-expression scanner rather than ``html.parser``: rendered
    Markdown is regular enough, and this is several times faster on
    tag-dense input (a 5000-row table).  End tags close up to the matching
    open element; stray end tags are ignored, unclosed elements end with the
    fragment, as browsers do.
    """
    root = Element("#root", [])
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
                stack[-1].children.append(Raw(match.group()))
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
        el = Element(name, attrs)
        stack[-1].children.append(el)
        if name in RAW_TEXT_ELEMENTS:
            close = re.compile(rf"</{name}\s*>", re.I).search(html, pos)
            stop = close.start() if close else length
            if stop > pos:
                el.children.append(html[pos:stop])
            pos = close.end() if close else length
        elif name in VOID_ELEMENTS:
            continue
        elif raw_attrs.endswith("/") and (name in FOREIGN_ROOTS or any(e.name in FOREIGN_ROOTS for e in stack)):
            continue  # <path/> in SVG is closed; <p/> in HTML is not
        else:
            stack.append(el)
    return root


class Fragment:
    """A rendered fragment, parsed on first use and kept, with the canonical forms its tree caches.

    The tree is never changed once built (the diff only fills its caches,
    which depend on the tree alone), so any number of diffs may share it.
    """

    __slots__ = ("_root", "html")

    def __init__(self, html: str) -> None:
        self.html = html
        self._root: Element | None = None

    @property
    def root(self) -> Element:
        if self._root is None:
            self._root = parse(self.html)
        return self._root
