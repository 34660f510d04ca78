"""Raw HTML blocks, delimited the way kramdown delimits them.

CommonMark ends most HTML blocks at the first blank line and turns any lone
tag into a block.  kramdown instead starts a block at any element that is not
a span element and keeps it until the matching end tag, blank lines included;
a span element (``<img>``, ``<a>``…) at the start of a line begins a
paragraph.  ``markdown="1"`` on a block element parses its content as
Markdown; so does kramdown's ``parse_block_html`` option for every element
not marked ``markdown="0"`` (its content model says blocks, spans or raw).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from ..common.elements import VOID_ELEMENTS
from ..common.text import escape_html
from .extensions import parser_option
from .html_tags import (
    BLOCK_CONTENT,
    SPAN_CONTENT,
    SPAN_ELEMENTS,
    TAG,
    element_ends,
    find_end,
    tags,
)

_START = re.compile(r"<(!--|[A-Za-z][\w:.-]*)")
_ANY_MARKDOWN_ATTR = re.compile(r"""(<[A-Za-z][^<>]*?)\s+markdown\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""")
_MARKDOWN_ATTR = re.compile(r"""\s+markdown\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")


def html_block_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    match = _START.match(state.src, state.bMarks[start] + state.tShift[start], state.eMarks[start])
    if not match:
        return False
    name = match.group(1).lower()
    if name != "!--" and name in SPAN_ELEMENTS:
        return False
    if silent and name in ("!--", "script"):
        return False  # a comment or a script does not end a paragraph in kramdown; another element does
    # Look a little ahead first: most blocks are short, and documents can be long.
    for stop_line in (min(end, start + 64), end):
        text = state.getLines(start, stop_line, state.blkIndent, False).lstrip(" ")
        stop = find_end(text, name)[0]
        if stop is not None and (stop < len(text) or stop_line == end):
            break
    if stop is None:
        return False
    if silent:
        return True
    last_line = start + text.count("\n", 0, stop)
    end_of_line = text.find("\n", stop)
    rest = text[stop : end_of_line if end_of_line >= 0 else len(text)]
    chained = int(state.env.get(_CHAINED, 0))
    if rest.strip() and chained < MARKDOWN_NESTING_LIMIT:
        # kramdown goes on parsing after the end tag: the rest of the line starts a new block
        _push_block(state, start, text[:stop])
        _continue_line(state, last_line, rest)
        state.env[_CHAINED] = chained + 1
        old_max = state.lineMax
        state.lineMax = _next_blank_line(state, last_line, end)
        state.md.block.tokenize(state, last_line, state.lineMax)
        state.lineMax = old_max
        state.env[_CHAINED] = chained
        return True
    _push_block(state, start, text[: end_of_line if end_of_line >= 0 else len(text)])
    state.line = last_line + 1
    return True


def _next_blank_line(state: StateBlock, line: int, end: int) -> int:
    """The first blank line after *line* (or *end*): where the blocks begun after an end tag are
    parsed to.  Remembered, so that a run of such blocks is scanned once."""
    known = state.env.get(_BLANK)
    if isinstance(known, tuple) and known[0] <= line < known[1] and known[1] <= end:
        return int(known[1])
    blank = line + 1
    while blank < end and not state.isEmpty(blank):
        blank += 1
    state.env[_BLANK] = (line, blank)
    return blank


def _continue_line(state: StateBlock, line: int, rest: str) -> None:
    """Make *line* start at *rest*, its text after an end tag, for the next block rule."""
    indent = len(rest) - len(rest.lstrip(" \t"))
    state.bMarks[line] = state.eMarks[line] - len(rest)
    state.tShift[line] = indent
    state.sCount[line] = state.blkIndent + indent


def _markdown_mode(open_tag: str) -> str | None:
    match = _MARKDOWN_ATTR.search(open_tag)
    if not match:
        return None
    return next(group for group in match.groups() if group is not None)


def _without_markdown_attr(html: str) -> str:
    """kramdown drops every ``markdown`` attribute, whatever its value."""
    return _ANY_MARKDOWN_ATTR.sub(r"\1", html)


def _own_lines(text: str, open_tag_end: int, close_start: int) -> bool:
    """Whether the opening and closing tags each stand on their own lines."""
    after_open = text[open_tag_end : text.find("\n", open_tag_end) if "\n" in text[open_tag_end:] else len(text)]
    before_close = text[text.rfind("\n", 0, close_start) + 1 : close_start]
    return not after_open.strip() and not before_close.strip() and "\n" in text[open_tag_end:close_start]


# Elements marked ``markdown="1"`` nested deeper than this keep their content as raw HTML: each
# level scans the rest of the document for its end tag, so unbounded nesting (thousands of unclosed
# ``<div markdown="1">``) would take quadratic time.  Real documents nest a handful deep.
MARKDOWN_NESTING_LIMIT = 32
_DEPTH = "palimpsest_html_markdown_depth"
_CHAINED = "palimpsest_html_chained_blocks"  # blocks begun after an end tag, parsed recursively
_BLANK = "palimpsest_html_next_blank_line"


def _push_block(state: StateBlock, first_line: int, text: str) -> None:
    """Push the raw block *text*; an element marked ``markdown="1"`` at any depth (up to
    :data:`MARKDOWN_NESTING_LIMIT`), with its tags on lines of their own, has its content parsed
    as Markdown."""
    depth = int(state.env.get(_DEPTH, 0))
    ends = element_ends(text) if depth < MARKDOWN_NESTING_LIMIT else {}
    parse_all = parser_option(state.md, state.env, "parse_block_html")
    base = 0  # the offset in *text* of the part still to push
    opening: Token | None = None  # an IAL after the last element's closing tag goes to its opening tag
    counted = [0, first_line]  # lines counted incrementally: many elements stay linear

    def line_at(pos: int) -> int:
        counted[1] += text.count("\n", counted[0], pos)
        counted[0] = pos
        return counted[1]

    while True:
        element = _next_markdown_element(text, base, ends, parse_all)
        if element is None:
            break
        tag_start, open_end, close_start, span = element
        line = line_at(base)
        if span:  # the content is one run of span-level Markdown, wherever the tags stand
            token = state.push("html_block", "", 0)
            token.map = [line, line + text.count("\n", base, open_end) + 1]
            token.content = text[base:tag_start] + _without_markdown_attr(text[tag_start:open_end])
            inline = state.push("inline", "", 0)
            inline.content = text[open_end:close_start]
            inline.map = token.map
            inline.children = []
            opening = token
            base = close_start
            continue
        block = text[base:]
        open_lines = block.count("\n", 0, open_end - base) + 1
        close_line = block.count("\n", 0, close_start - base)
        token = state.push("html_block", "", 0)
        token.map = [line, line + open_lines]
        token.content = text[base:tag_start] + _without_markdown_attr(text[tag_start:open_end]) + "\n"
        opening = token
        old_parent, old_max = state.parentType, state.lineMax
        state.parentType = "html_markdown"
        state.lineMax = line + close_line
        state.env[_DEPTH] = depth + 1
        state.md.block.tokenize(state, line + open_lines, line + close_line)
        state.env[_DEPTH] = depth
        state.parentType, state.lineMax = old_parent, old_max
        base = text.rfind("\n", 0, close_start) + 1
    token = state.push("html_block", "", 0)
    line = line_at(base)
    token.map = [line, line + text.count("\n", base) + 1]
    rest = _without_markdown_attr(text[base:])
    token.content = (_stray_as_text(rest) if base == 0 else rest) + "\n"
    if opening is not None:
        token.meta["ial_target"] = opening


# kramdown/parser/html.rb: the elements whose content ``markdown="1"`` parses as blocks, or as spans
def _content_mode(tag: re.Match[str], parse_all: bool = False) -> str | None:
    """How the ``markdown`` attribute of *tag* (or, without one, ``parse_block_html`` when
    *parse_all*) asks kramdown to parse its content: block, span or not."""
    mode = _markdown_mode(tag.group(0))
    name = tag.group(2).lower()
    if mode == "1" or (mode is None and parse_all):
        return "block" if name in BLOCK_CONTENT else "span" if name in SPAN_CONTENT else None
    return mode if mode in ("block", "span") else None


_STRAY_AMPERSAND = re.compile(r"&(?!(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);)")


def _stray_as_text(html: str) -> str:
    """A raw block as kramdown writes it back: an end tag that closes no open element, and a
    ``<`` or ``&`` that begins no tag or entity, are text (escaped); scripts and styles are kept."""
    out: list[str] = []
    open_names: list[str] = []
    counts: dict[str, int] = {}
    pos, comments_end, cdata_ends = 0, True, True
    while True:
        lt = html.find("<", pos)
        out.append(_STRAY_AMPERSAND.sub("&amp;", html[pos : len(html) if lt < 0 else lt]))
        if lt < 0:
            return "".join(out)
        if html.startswith("<!--", lt):
            end = html.find("-->", lt + 4) if comments_end else -1
            comments_end = end >= 0  # no ``-->`` left: not searched again
            out.append(html[lt : end + 3] if end >= 0 else "&lt;")
            pos = end + 3 if end >= 0 else lt + 1
            continue
        if html.startswith("<![CDATA[", lt) and cdata_ends and (cdata_end := html.find("]]>", lt)) >= 0:
            out.append(escape_html(html[lt : cdata_end + 3]))  # kramdown writes a CDATA section as text
            pos = cdata_end + 3
            continue
        cdata_ends = cdata_ends and not html.startswith("<![CDATA[", lt)  # no ``]]>`` left: not searched again
        tag = TAG.match(html, lt)
        if html.startswith(("<!", "<?"), lt) or tag is None or tag.group(2) is None:
            out.append("<" if html.startswith(("<!", "<?"), lt) else "&lt;")
            pos = lt + 1
            continue
        name = tag.group(2).lower()
        pos = tag.end()
        if tag.group(1):
            if not counts.get(name):
                out.append(escape_html(tag.group(0)))
                continue
            while True:
                closed = open_names.pop()
                counts[closed] -= 1
                if closed == name:
                    break
        elif name in ("script", "style"):
            close = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(html, pos)  # at most once unclosed:
            pos = close.end() if close else len(html)  # the rest is then kept
            out.append(html[tag.start() : pos])
            continue
        elif not tag.group(4) and name not in VOID_ELEMENTS:
            open_names.append(name)
            counts[name] = counts.get(name, 0) + 1
        out.append(tag.group(0))


def _next_markdown_element(
    text: str, base: int, ends: dict[int, tuple[int, int, int]], parse_all: bool = False
) -> tuple[int, int, int, bool] | None:
    """(start, end of the opening tag, start of the end tag, whether span-level) of the first
    element after *base* whose ``markdown`` attribute (or ``parse_block_html``, *parse_all*) asks
    for parsing: span-level content anywhere, block-level content when its tags stand on lines of
    their own.  Under *parse_all*, the elements inside a raw one stay raw unless marked."""
    raw_until = -1
    for tag in tags(text, base):
        if tag.group(2) is None or tag.group(1) or tag.start() not in ends:
            continue
        inherited = parse_all and tag.start() >= raw_until
        mode = _content_mode(tag, inherited)
        if mode is None:
            if inherited and _markdown_mode(tag.group(0)) is None:
                raw_until = ends[tag.start()][2]
            continue
        _, open_end, close_start = ends[tag.start()]
        if mode == "span":
            return tag.start(), open_end, close_start, True
        line_start = text.rfind("\n", 0, tag.start()) + 1
        if text[line_start : tag.start()].strip():
            continue
        if _own_lines(text, open_end, close_start):
            return tag.start(), open_end, close_start, False
    return None


def render_html_block(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    """Raw HTML, with the attributes of a following block IAL on its first element."""
    token = tokens[idx]
    if not token.attrs:
        return token.content
    extra = "".join(f' {name}="{escape_html(str(value))}"' for name, value in token.attrs.items())
    return re.sub(r"^(\s*<[A-Za-z][\w:.-]*)", lambda m: m.group(1) + extra, token.content, count=1)


def html_blocks_plugin(md: MarkdownIt, parse_block_html: bool = False) -> None:
    """kramdown's block-level HTML; *parse_block_html* is kramdown's option of that name."""
    md.options["parse_block_html"] = parse_block_html
    md.block.ruler.at("html_block", html_block_rule, {"alt": ["paragraph", "reference", "blockquote"]})
    md.add_render_rule("html_block", render_html_block)
