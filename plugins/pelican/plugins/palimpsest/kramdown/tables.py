"""kramdown's own table syntax (``kramdown/parser/kramdown/table.rb``).

A table is a run of lines that each hold an unescaped ``|``; it must start at
a block boundary (it never interrupts a paragraph) and be followed by one
(blank line, IAL line, end of the container).  The first separator line
(``|---|:---:|``) turns the rows above it into the header and gives the
column alignment; each later separator line starts a new ``<tbody>``; a
``|====`` line starts the ``<tfoot>``.  Cells are split on ``|`` outside
code spans and ``<code>`` elements, unless escaped; short rows are padded.

kramdown writes alignment as ``style="text-align: center"`` (with a space)
and fills an empty cell with a no-break space.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .attributes import IAL_LINE
from .end_of_block import after_block_boundary, is_marker
from .html_blocks import html_block_rule
from .math import math_block_rule

# The regexes of table.rb, applied to one line without its newline.
TABLE_SEP_LINE = re.compile(r"([+|: \t-]*?-[+|: \t-]*?)[ \t]*")
TABLE_HSEP_ALIGN = re.compile(r"[ \t]?(:?)-+(:?)[ \t]?")
TABLE_FSEP_LINE = re.compile(r"[+|: \t=]*?=[+|: \t=]*?[ \t]*")
TABLE_PIPE_CHECK = re.compile(r"(?:\||.*?[^\\\n]\|)")
TABLE_START = re.compile(r" {0,3}(?=\S)")

_CODE_ELEMENT = re.compile(r"(<code.*?>.*?</code>)")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_BACKTICKS = re.compile(r"`+")
_SPAN_START = re.compile(r"`+|<")
_HTML_OPEN = re.compile(r"<([A-Za-z][\w:.-]*)(?:\s[^<>]*?)?(/)?>")
_RUBY_SPACE = " \t\r\n\f\v"

_ALIGN_STYLE = {"left": "text-align: left", "center": "text-align: center", "right": "text-align: right"}


def _ruby_split_lines(text: str) -> list[str]:
    """``text.split("\\n")`` with Ruby's semantics: trailing empty strings dropped."""
    lines = text.split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def _scan_spans(text: str, html: bool = False) -> list[tuple[str, str]]:
    """kramdown's span parser restricted to code spans (and span HTML if *html*).

    Returns ``(type, value)`` pairs: ``raw_text`` (adjacent text merged),
    ``codespan`` (its content) and ``html`` (the element name).
    """
    children: list[tuple[str, str]] = []

    def add_text(value: str) -> None:
        if not value:
            return
        if children and children[-1][0] == "raw_text":
            children[-1] = ("raw_text", children[-1][1] + value)
        else:
            children.append(("raw_text", value))

    pattern = _SPAN_START if html else _BACKTICKS
    pos = 0
    while pos < len(text):
        match = pattern.search(text, pos)
        if not match:
            add_text(text[pos:])
            break
        add_text(text[pos : match.start()])
        pos = match.start()
        if text[pos] == "`":
            delim = match.group()
            after = match.end()
            simple = len(delim) == 1
            before = text[:pos]
            if simple and (not before or before[-1] in _RUBY_SPACE) and text[after : after + 1] and text[after] in _RUBY_SPACE:
                add_text(delim)
                pos = after
                continue
            close = text.find(delim, after)
            if close < 0:
                add_text(delim)
                pos = after
                continue
            value = text[after:close]
            if not simple:
                if value[:1] == " ":
                    value = value[1:]
                if value[-1:] == " ":
                    value = value[:-1]
            children.append(("codespan", value))
            pos = close + len(delim)
        else:
            opening = _HTML_OPEN.match(text, pos)
            if opening:
                if opening.group(2):
                    children.append(("html", opening.group(1)))
                    pos = opening.end()
                    continue
                closing = re.compile(rf"</{re.escape(opening.group(1))}\s*>").search(text, opening.end())
                if closing:
                    children.append(("html", opening.group(1)))
                    pos = closing.end()
                    continue
            add_text("<")
            pos += 1
    return children


def split_cells(line: str) -> list[str]:
    """Split a row line into raw cell texts, as kramdown does."""
    cells: list[str] = []

    def append(value: str) -> None:
        if cells:
            cells[-1] += value
        else:
            cells.append(value)

    for index, part in enumerate(_CODE_ELEMENT.split(line)):
        if index % 2:
            append(part)
            continue
        for kind, value in _scan_spans(part):
            if kind == "raw_text":
                first, *rest = (piece.replace("\\|", "|") for piece in _UNESCAPED_PIPE.split(value))
                append(first)
                cells.extend(rest)
            else:
                runs = _BACKTICKS.findall(value)
                delim = (max(runs) if runs else "") + "`"
                pad = " " if len(delim) > 1 else ""
                append(f"{delim}{pad}{value}{pad}{delim}")
    return cells


def _pipes_outside_code(text: str) -> bool:
    """table.rb's final check: each line has a ``|`` outside code spans and span HTML."""
    pipe_on_line = False
    for kind, value in _scan_spans(text, html=True):
        lines = _ruby_split_lines(value)
        if kind == "codespan":
            if len(lines) > 2 or (len(lines) == 2 and not pipe_on_line):
                break
            if len(lines) == 2 and pipe_on_line:
                pipe_on_line = False
        else:
            if len(lines) > 1 and not pipe_on_line and not TABLE_PIPE_CHECK.match(lines[0]):
                break
            pipe_on_line = (False if len(lines) > 1 else pipe_on_line) or bool(lines and TABLE_PIPE_CHECK.match(lines[-1]))
    return pipe_on_line


_ATX_HEADER = re.compile(r"#{1,6}[\t ]+")


def _earlier_block(state: StateBlock, start: int, end: int, first: str) -> bool:
    """Whether a block that kramdown tries before tables starts here.

    The table rule runs before markdown-it's ``footnote_def`` and
    ``reference`` rules, as kramdown tries tables before footnote and link
    definitions; kramdown's ATX headings, HTML blocks and math blocks, which
    come later in markdown-it's chain, must still win.
    """
    if _ATX_HEADER.match(first):
        return True
    active = state.md.block.ruler.get_active_rules()
    return any(
        name in active and rule(state, start, end, True)
        for name, rule in (("html_block", html_block_rule), ("kramdown_math", math_block_rule))
    )


def _line(state: StateBlock, line: int) -> str:
    return state.getLines(line, line + 1, state.blkIndent, False)


def _at_block_boundary(state: StateBlock, line: int, end: int) -> bool:
    """kramdown's ``before_block_boundary?``: blank line, EOB marker, IAL line or end of input."""
    if line >= end or state.isEmpty(line) or state.sCount[line] < state.blkIndent:
        return True
    text = _line(state, line)
    return bool(is_marker(text) or IAL_LINE.match(text))


def table_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if silent or state.is_code_block(start):
        return False
    first = _line(state, start)
    if not TABLE_START.match(first) or not TABLE_PIPE_CHECK.match(first):
        return False
    if not after_block_boundary(state, start) or _earlier_block(state, start, end, first):
        return False

    leading_pipe = re.match(r"\s*\|", first) is not None
    sections: list[tuple[str, list[list[str]]]] = []
    alignment: list[str] = []
    rows: list[list[str]] = []
    has_footer = False
    columns = 0

    def add_container(kind: str, force: bool) -> None:
        nonlocal rows
        if not has_footer or kind != "tbody" or force:
            sections.append((kind, rows))
            rows = []

    line = start
    if TABLE_SEP_LINE.fullmatch(first):
        line += 1
    while line < end and state.sCount[line] >= state.blkIndent:
        text = _line(state, line)
        if not TABLE_PIPE_CHECK.match(text):
            break
        separator = TABLE_SEP_LINE.fullmatch(text)
        if separator:
            if not rows:
                pass  # consecutive separator lines are ignored
            elif not alignment and not has_footer:
                add_container("thead", False)
                alignment = [
                    "default" if not left and not right else "left" if not right else "right" if not left else "center"
                    for left, right in TABLE_HSEP_ALIGN.findall(separator.group(1))
                ]
            else:
                add_container("tbody", False)
        elif TABLE_FSEP_LINE.fullmatch(text):
            if rows:
                add_container("tbody", True)
            has_footer = True
        else:
            cells = split_cells(text.rstrip(" \t"))
            if leading_pipe and cells and not cells[0].strip(_RUBY_SPACE):
                cells.pop(0)
            if cells and not cells[-1].strip(_RUBY_SPACE):
                cells.pop()
            cells = [cell.strip(_RUBY_SPACE + "\0") for cell in cells]
            columns = max(columns, len(cells))
            rows.append(cells)
        line += 1

    if not _at_block_boundary(state, line, end):
        return False
    source = "\n".join(_line(state, number) for number in range(start, line))
    if not _pipes_outside_code(source):
        return False
    if rows:
        add_container("tfoot" if has_footer else "tbody", False)
    if not any(kind == "tbody" for kind, _ in sections):
        return False

    alignment = (alignment + ["default"] * columns)[:columns]

    token = state.push("table_open", "table", 1)
    token.map = [start, line]
    for kind, section_rows in sections:
        state.push(f"{kind}_open", kind, 1)
        cell_tag = "th" if kind == "thead" else "td"
        for cells in section_rows:
            state.push("tr_open", "tr", 1)
            for index in range(columns):
                token = state.push(f"{cell_tag}_open", cell_tag, 1)
                if alignment[index] != "default":
                    token.attrSet("style", _ALIGN_STYLE[alignment[index]])
                token = state.push("inline", "", 0)
                token.content = cells[index] if index < len(cells) else ""
                token.children = []
                token.meta = {"kramdown_cell": True}
                state.push(f"{cell_tag}_close", cell_tag, -1)
            state.push("tr_close", "tr", -1)
        state.push(f"{kind}_close", kind, -1)
    state.push("table_close", "table", -1)
    state.line = line
    return True


def empty_cells(state: StateCore) -> None:
    """An empty cell holds a no-break space, as kramdown writes it."""
    for token in state.tokens:
        if token.type == "inline" and token.meta.get("kramdown_cell") and not token.children:
            text = Token("text", "", 0)
            text.content = "\u00a0"
            token.children = [text]


def tables_plugin(md: MarkdownIt) -> None:
    md.disable("table", ignoreInvalid=True)
    md.block.ruler.before("footnote_def", "kramdown_table", table_rule)
    md.core.ruler.after("inline", "kramdown_cells", empty_cells)
