"""kramdown's HTML vocabulary and tag scanner, shared by the block and span HTML rules: which
elements are span, raw, block-content or span-content elements (kramdown/parser/html.rb), and a
linear-time scan of the tags of a text with the end of each element."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..common.elements import VOID_ELEMENTS

# kramdown/parser/html.rb: HTML_BLOCK_ELEMENTS (their tags are text inside a paragraph)
BLOCK_ELEMENTS = frozenset(
    [
        "address",
        "article",
        "aside",
        "applet",
        "blockquote",
        "body",
        "dd",
        "details",
        "dl",
        "dt",
        "div",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "head",
        "iframe",
        "legend",
        "menu",
        "li",
        "main",
        "map",
        "nav",
        "ol",
        "optgroup",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tfoot",
        "tr",
        "ul",
    ]
)

# kramdown/parser/html.rb: HTML_SPAN_ELEMENTS (but ``<textarea>`` begins a block, as real kramdown 2.4 does)
SPAN_ELEMENTS = frozenset(
    [
        "a",
        "abbr",
        "acronym",
        "b",
        "big",
        "bdo",
        "br",
        "button",
        "cite",
        "code",
        "del",
        "dfn",
        "em",
        "i",
        "img",
        "input",
        "ins",
        "kbd",
        "label",
        "mark",
        "option",
        "q",
        "rb",
        "rbc",
        "rp",
        "rt",
        "rtc",
        "ruby",
        "samp",
        "select",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "tt",
        "u",
        "var",
    ]
)
RAW_ELEMENTS = frozenset(["script", "style", "math", "option", "textarea", "pre", "code", "kbd", "samp", "var"])

BLOCK_CONTENT = frozenset(
    [
        "address",
        "applet",
        "article",
        "aside",
        "blockquote",
        "body",
        "dd",
        "details",
        "div",
        "dl",
        "fieldset",
        "figure",
        "figcaption",
        "footer",
        "form",
        "header",
        "hgroup",
        "iframe",
        "li",
        "main",
        "map",
        "menu",
        "nav",
        "noscript",
        "object",
        "section",
        "summary",
        "td",
    ]
)
SPAN_CONTENT = frozenset(
    [
        "a",
        "abbr",
        "acronym",
        "b",
        "bdo",
        "big",
        "button",
        "cite",
        "caption",
        "del",
        "dfn",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "i",
        "ins",
        "label",
        "legend",
        "optgroup",
        "p",
        "q",
        "rb",
        "rbc",
        "rp",
        "rt",
        "rtc",
        "ruby",
        "select",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "th",
        "tt",
    ]
)


ATTRS = r"""(?:\s+[^\s/>"'=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*"""
TAG = re.compile(rf"<!--.*?-->|<(/?)([A-Za-z][\w:.-]*)({ATTRS})\s*(/?)>", re.DOTALL)


def tags(text: str, pos: int = 0) -> Iterator[re.Match[str]]:
    """``TAG.finditer(text, pos)`` in linear time.  A ``<!--`` with no ``-->`` after it never matches,
    but the pattern scans to the end of the text for each one (thousands of them: quadratic time); they
    are masked for the search, and each match is taken again from *text* at its start (the same span)."""
    last_close = text.rfind("-->")
    tail = last_close + 3 if last_close >= 0 else 0
    if text.find("<!--", tail) < 0:
        yield from TAG.finditer(text, pos)
        return
    masked = text[:tail] + text[tail:].replace("<!--", "<!\0\0")
    for found in TAG.finditer(masked, pos):
        again = TAG.match(text, found.start())
        if again is not None:
            yield again


def find_end(text: str, name: str) -> tuple[int | None, int, int]:
    """Return (end of the block, end of the opening tag, start of the end tag)."""
    if name == "!--":
        comment_end = text.find("-->")
        return (None, 0, 0) if comment_end < 0 else (comment_end + 3, 0, comment_end)
    opening = TAG.match(text)
    if not opening or opening.group(1):
        return None, 0, 0
    if opening.group(4) or name in VOID_ELEMENTS:
        return opening.end(), opening.end(), opening.end()
    depth = 1
    pos = opening.end()
    if name in RAW_ELEMENTS:
        close = re.compile(rf"</{re.escape(name)}\s*>", re.IGNORECASE).search(text, pos)
        return (close.end(), opening.end(), close.start()) if close else (len(text), opening.end(), len(text))
    for tag in tags(text, pos):
        if tag.group(2) is None or tag.group(2).lower() != name:
            continue
        if tag.group(1):
            depth -= 1
            if depth == 0:
                return tag.end(), opening.end(), tag.start()
        elif not tag.group(4):
            depth += 1
    # kramdown closes an unterminated element at the end of the document
    return len(text), opening.end(), len(text)


def element_ends(text: str) -> dict[int, tuple[int, int, int]]:
    """What :func:`_find_end` gives for every opening tag of *text* (keyed by its offset), in one
    pass: same-name tags matched with a stack; an element left open ends with the text."""
    ends: dict[int, tuple[int, int, int]] = {}
    open_tags: dict[str, list[re.Match[str]]] = {}
    for tag in tags(text):
        if tag.group(2) is None:
            continue
        name = tag.group(2).lower()
        if tag.group(1):
            stack = open_tags.get(name)
            if stack:
                opening = stack.pop()
                ends[opening.start()] = (tag.end(), opening.end(), tag.start())
        elif tag.group(4) or name in VOID_ELEMENTS or name in RAW_ELEMENTS:
            continue  # not containers of Markdown: never looked up
        else:
            open_tags.setdefault(name, []).append(tag)
    for stack in open_tags.values():
        for opening in stack:
            ends[opening.start()] = (len(text), opening.end(), len(text))
    return ends
