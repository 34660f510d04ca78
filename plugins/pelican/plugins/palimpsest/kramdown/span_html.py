"""HTML inside a paragraph, read the way kramdown reads span-level HTML.

CommonMark passes any tag through.  kramdown instead writes as text what it
cannot use in a paragraph: a processing instruction, a block element's tag
(``<p>``, ``<hr>``), an end tag that closes nothing.  The content of a raw
element (``<code>``, ``<kbd>``, ``<script>``… or ``markdown="0"``) is not
Markdown, an element left open is closed at the end of the paragraph, and
``markdown`` attributes are dropped.  With kramdown's ``parse_span_html``
option off, every element's content is raw unless marked ``markdown``.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.html_inline import html_inline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from ..common.elements import VOID_ELEMENTS
from ..common.text import escape_html
from .extensions import parser_option
from .html_tags import BLOCK_ELEMENTS, SPAN_ELEMENTS
from .html_tags import RAW_ELEMENTS as RAW_CONTENT

# names kramdown knows as HTML (compared without case); other names are XML, compared exactly
KNOWN_ELEMENTS = SPAN_ELEMENTS | BLOCK_ELEMENTS | RAW_CONTENT | VOID_ELEMENTS | frozenset(["svg", "video", "audio"])

_NAME = r"[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?"
# No part of a tag may cross a ``<``: a failed match stops at the next one, so scanning stays linear.
_VALUE = r"""(?:"[^"<]*"|'[^'<]*'|[^\s"'=<>`]+)"""
_OPEN = re.compile(rf"<({_NAME})((?:\s+{_NAME}(?:\s*=\s*{_VALUE})?)*)\s*(/?)>")
_CLOSE = re.compile(rf"</({_NAME})\s*>")
_MARKDOWN_ATTR = re.compile(r"""\s+markdown\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ENTITY = re.compile(r"&(?!(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);)")


_Entry = tuple[StateInline, list[tuple[str, Token]]]


def _entry(state: StateInline) -> _Entry:
    """The elements open in this paragraph."""
    entries: dict[int, _Entry] = state.env.setdefault("palimpsest_span_html", {})
    entry = entries.get(id(state))
    if entry is None or entry[0] is not state:
        entry = entries[id(state)] = (state, [])
    return entry


def _element_name(name: str) -> str:
    lower = name.lower()
    return lower if lower in KNOWN_ELEMENTS else name


# Elements marked ``markdown="1"`` inside raw ones, nested deeper than this, stay raw.
RAW_NESTING_LIMIT = 32
_RAW_DEPTH = "palimpsest_span_html_raw_depth"


def _raw_content(state: StateInline, pos: int, name: str, render: bool) -> tuple[str, int]:
    """The content and end tag of the raw element *name* whose content starts at *pos*, and where it ends.

    As kramdown's ``parse_spans`` with only span HTML: the text is escaped;
    an end tag is that of the innermost open element or text; a tag opens an
    element (kept, ``markdown`` attributes dropped) whose own end tag is then
    looked for, so an element left open takes the rest of the paragraph,
    its outer elements' end tags included; a block tag is text.  An element
    marked ``markdown="1"`` or ``"span"`` has its content parsed (when
    *render*: otherwise only the end is found).  Each character is read
    once: an element left open ends the scan, a comment left open is
    looked for once.
    """
    src, limit = state.src, state.posMax
    parts: list[str] = []
    open_names = [name]
    depth = int(state.env.get(_RAW_DEPTH, 0))
    comments = True  # whether a comment may still end before *limit*
    while open_names:
        lt = src.find("<", pos, limit)
        if lt < 0:
            break
        parts.append(_escape(src[pos:lt]))
        pos = lt
        close = _CLOSE.match(src, lt, limit)
        if close:
            pos = close.end()
            if _closes(close.group(1), open_names[-1]):
                parts.append(f"</{open_names.pop()}>")
            else:
                parts.append(_escape(close.group(0)))
            continue
        comment = _COMMENT.match(src, lt, limit) if comments and src.startswith("<!--", lt) else None
        comments = comments and (comment is not None or not src.startswith("<!--", lt))
        opening = None if comment else _OPEN.match(src, lt, limit)
        if comment or opening is None:
            parts.append(comment.group(0) if comment else "&lt;")
            pos = comment.end() if comment else lt + 1
            continue
        inner = _element_name(opening.group(1))
        pos = opening.end()
        if inner in BLOCK_ELEMENTS:
            parts.append(_escape(opening.group(0)))
            continue
        parts.append(_MARKDOWN_ATTR.sub("", opening.group(0)))
        if opening.group(3) or inner in VOID_ELEMENTS:
            continue
        mode = _MARKDOWN_ATTR.search(opening.group(2)) if depth < RAW_NESTING_LIMIT else None
        value = next((group for group in mode.groups() if group is not None), None) if mode else None
        if value == "span" or (value == "1" and inner not in RAW_CONTENT):
            flags = re.IGNORECASE if inner in KNOWN_ELEMENTS else 0
            end = re.compile(rf"</{re.escape(opening.group(1))}\s*>", flags).search(src, pos, limit)
            if render:
                state.env[_RAW_DEPTH] = depth + 1
                parts.append(state.md.renderInline(src[pos : end.start() if end else limit], state.env))
                state.env[_RAW_DEPTH] = depth
            if end is None:  # its content is the rest of the paragraph
                pos = limit
                open_names.append(inner)
                break
            parts.append(f"</{inner}>")
            pos = end.end()
            continue
        open_names.append(inner)
    if open_names:  # left open: the rest is text, every element is closed at the end
        parts.append(_escape(src[pos:limit]))
        pos = limit
        parts.extend(f"</{open_name}>" for open_name in reversed(open_names))
    return "".join(parts), pos


def _closes(end_name: str, name: str) -> bool:
    """Whether the end tag ``</end_name>`` closes *name* (HTML names without case, XML names exactly)."""
    return end_name.lower() == name if name in KNOWN_ELEMENTS else end_name == name


def _escape(text: str) -> str:
    return _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")


def _push(state: StateInline, content: str, element: Token | None = None) -> Token:
    """Push a tag; *element* is the token of the tag a span IAL right after it goes to."""
    token = state.push("html_inline", "", 0)
    token.content = content
    token.meta["span_html_element"] = element or token
    return token


def span_html_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "<" or pos + 2 >= state.posMax or not state.md.options.get("html"):
        return False
    if src.startswith("<!--", pos):
        if not html_inline(state, silent):
            return False
        if not silent:  # a span IAL after a comment is read, and goes nowhere
            state.tokens[-1].meta["span_html_element"] = state.tokens[-1]
        return True
    _, stack = _entry(state)
    close = _CLOSE.match(src, pos, state.posMax)
    if close:
        if not stack or stack[-1][0] != _element_name(close.group(1)):
            return False  # an end tag closing nothing: text
        if not silent:
            _push(state, close.group(0), stack.pop()[1])
        state.pos = close.end()
        return True
    opening = _OPEN.match(src, pos, state.posMax)
    if not opening:
        return False
    name = _element_name(opening.group(1))
    if name in BLOCK_ELEMENTS:
        return False
    tag = _MARKDOWN_ATTR.sub("", opening.group(0))
    mode = _MARKDOWN_ATTR.search(opening.group(2))
    value = next((group for group in mode.groups() if group is not None), None) if mode else None
    parse = name not in RAW_CONTENT and parser_option(state.md, state.env, "parse_span_html")
    if value == "1":
        parse = name not in RAW_CONTENT
    elif value == "0":
        parse = False
    elif value == "span":
        parse = True
    if opening.group(3) or name in VOID_ELEMENTS:
        if not silent:
            _push(state, tag)
        state.pos = opening.end()
        return True
    if parse:
        if not silent:
            stack.append((name, _push(state, tag)))
        state.pos = opening.end()
        return True
    content, state.pos = _raw_content(state, opening.end(), name, not silent)
    if not silent:
        _push(state, tag + content)
    return True


def close_open_elements(state: StateInline) -> None:
    """Elements still open at the end of the paragraph are closed there, as kramdown does."""
    entries: dict[int, _Entry] = state.env.get("palimpsest_span_html", {})
    entry = entries.pop(id(state), None)
    if entry is None or entry[0] is not state:
        return
    for name, _ in reversed(entry[1]):
        token = Token("html_inline", "", 0)
        token.content = f"</{name}>"
        state.tokens.append(token)


_TAG_NAME = re.compile(rf"<{_NAME}")
_CLASS = re.compile(r"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def render_html_inline(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    """A tag, with the attributes of a span IAL that followed its element (classes appended)."""
    token = tokens[idx]
    if not token.attrs:
        return token.content
    tag_end = _TAG_NAME.match(token.content)
    if tag_end is None:
        return token.content
    content = token.content
    extra = dict(token.attrs)
    existing = _CLASS.search(content, 0, content.find(">"))
    if "class" in extra and existing:
        old = existing.group(1) if existing.group(1) is not None else existing.group(2)
        classes = f"{old} {escape_html(str(extra.pop('class')))}"
        content = f'{content[: existing.start()]} class="{classes}"{content[existing.end() :]}'
    added = "".join(f' {name}="{escape_html(str(value))}"' for name, value in extra.items())
    return content[: tag_end.end()] + added + content[tag_end.end() :]


def span_html_plugin(md: MarkdownIt, parse_span_html: bool = True) -> None:
    """kramdown's span-level HTML; *parse_span_html* is kramdown's option of that name."""
    md.options["parse_span_html"] = parse_span_html
    md.inline.ruler.at("html_inline", span_html_rule)
    md.add_render_rule("html_inline", render_html_inline)
    md.inline.ruler2.push("kramdown_close_span_html", close_open_elements)
