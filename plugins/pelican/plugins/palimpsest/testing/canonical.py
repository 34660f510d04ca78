"""A canonical text form of an HTML fragment, for comparing renderings.

Two renderings that a browser shows the same way must give the same text, and
two that it shows differently must not.  So attribute order, class order,
comments and whitespace between blocks are normalised away, while whitespace
inside text is collapsed but kept (``a <b>b</b>`` and ``a<b>b</b>`` differ) and
``<pre>`` content is kept verbatim.  BeautifulSoup's ``prettify()`` is not
enough: it drops the difference between those two examples.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from bs4.element import Comment, NavigableString, Tag

from ..common.elements import BLOCK_ELEMENTS, VOID_ELEMENTS

_SPACES = re.compile(r"[ \t\r\n\f]+")


def canonical_html(html: str, *, strip_highlight_tokens: bool = False) -> str:
    """Return the canonical form of *html*, one block element per line.

    With *strip_highlight_tokens*, the token ``<span>``s inside highlighted
    code (blocks, and spans with Rouge's ``highlighter-rouge`` class) are
    replaced by their text, so that two highlighters (Rouge and Pygments)
    that split tokens differently still compare equal.
    """
    soup = BeautifulSoup(html, "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    if strip_highlight_tokens:
        for pre in soup.select("pre.highlight, div.highlight pre, figure.highlight pre, code.highlighter-rouge"):
            for span in pre.find_all("span"):
                span.unwrap()
    lines: list[str] = []
    _walk(soup, lines, [], preformatted=False)
    # Lines marked with \0 are preformatted and kept as they are; others have their spaces collapsed.
    kept = [line[1:] if line.startswith("\0") else " ".join(_SPACES.split(line)).strip() for line in lines]
    text = "\n".join(line for line in kept if line)
    return text + "\n" if text else ""


def _attributes(tag: Tag) -> str:
    parts = []
    for name in sorted(tag.attrs):
        value = tag.attrs[name]
        if isinstance(value, list):
            value = " ".join(sorted(value))
        value = value.replace("&", "&amp;").replace('"', "&quot;")
        parts.append(f' {name}="{value}"')
    return "".join(parts)


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _walk(node: Tag, lines: list[str], current: list[str], *, preformatted: bool) -> None:
    """Append canonical lines for the children of *node*.

    *current* accumulates the inline content of the block being written; a
    block element flushes it to *lines*.
    """
    for child in node.children:
        if isinstance(child, NavigableString):
            if preformatted:
                current.append(_text(str(child)).replace("\n", "\0n"))
            else:
                current.append(_text(str(child)))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        is_pre = name == "pre" or preformatted
        open_tag = f"<{name}{_attributes(child)}>"
        close_tag = "" if name in VOID_ELEMENTS else f"</{name}>"
        if name in BLOCK_ELEMENTS and not preformatted:
            _flush(lines, current)
            if name == "pre":
                inner: list[str] = []
                _walk(child, [], inner, preformatted=True)
                body = "".join(inner).replace("\0n", "\n")
                lines.append("\0" + open_tag + body + close_tag)
                continue
            lines.append(open_tag)
            _walk(child, lines, current, preformatted=False)
            _flush(lines, current)
            if close_tag:
                lines.append(close_tag)
        else:
            current.append(open_tag)
            _walk(child, lines, current, preformatted=is_pre)
            current.append(close_tag)


def _flush(lines: list[str], current: list[str]) -> None:
    if current:
        text = "".join(current)
        if "\0n" in text:
            lines.append("\0" + text.replace("\0n", "\n"))
        else:
            lines.append(text)
        current.clear()
