"""Lists as kramdown reads them: a port of ``parse_list`` (``kramdown/parser/kramdown/list.rb``).

CommonMark and kramdown disagree on what belongs to an item.  kramdown takes
the item's text from its first line (the text after the marker, leading
tabs counted to tab stops of 4: its indentation is where that text starts,
or 4 when the line holds at most an IAL), then every line indented that far
(that indentation removed) and every lazy line (any other line with text,
but not after a blank line nor an IAL or a block HTML tag); a blank line
stays in the item.  A line with a marker at most the item's indentation
less one in starts the next item: any of ``*+-`` for a bullet list, so a
list of the other kind written on the next line is a lazy line, nested in
the last item.  A nested list found in the indented lines before any blank
line starts a new part of the item's text, parsed apart (``1. a`` over
``  * b`` over ``    * c`` gives two lists in the item); once one was found,
a list line not indented enough is pushed into the nested list.  A blank
line then a horizontal rule, a line that is none of these, or ``^`` (which
the list swallows) ends the list.  An ordered list starts at any number,
with no ``start``; any list start ends a paragraph (GFM's paragraph end).

Each part is parsed as blocks on its own; the lines keep the document's
numbers.  Then each item's first paragraph is bare (no ``<p>``) when no blank
line follows it in the item (or it is the last item's only block, unless a
``^`` ended the list), and, for the last item of a longer list, only when
an earlier item already had a bare or non-paragraph first block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from .attributes import IAL_LINE, apply_ial, parse_attribute_list
from .blockquotes import starts_block_tag
from .end_of_block import is_marker

__all__ = ["list_rule", "lists_plugin"]

_BULLET = re.compile(r"( {0,3}[+*-])([\t| ].*)")
_ORDERED = re.compile(r"( {0,3}\d+\.)([\t| ].*)")
_MARKER_CHARS = frozenset("*+-0123456789")  # what a list line's text starts with
_ANY_START = re.compile(r" {0,3}(?:[+*-]|\d+\.)[\t| ]")  # kramdown's LIST_START
_HR = re.compile(r" {0,3}([*_-])[ \t]*\1[ \t]*\1(?:\1|[ \t])*$")
# kramdown's LIST_ITEM_IAL: ``{:…}`` opening an item's text (not an ALD, not an extension's end)
_ITEM_IAL = re.compile(r"\s*\{:(?!(?:\w[\w-]*)?:|/)((?:\\\}|[^}])+)\}\s*", re.ASCII)
_LEADING_TABS = re.compile(r"\t+")
_SPACES_THEN_TAB = re.compile(r"( *)(\t+)")


@lru_cache(maxsize=64)
def _patterns(indentation: int) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """kramdown's ``content_re``, next-marker pattern for bullets and for numbers, at *indentation*."""
    whole, rest = divmod(indentation, 4)
    content = re.compile(rf"(?:(?:\t| {{4}}){{{whole}}} {{{rest}}}|(?:\t| {{4}}){{{whole + 1}}}).*\S")
    spaces = max(0, min(indentation, 4) - 1)
    return content, re.compile(rf"( {{0,{spaces}}}[+*-])([\t| ].*)"), re.compile(rf"( {{0,{spaces}}}\d+\.)([\t| ].*)")


def _first_line(indentation: int, content: str) -> tuple[str, int]:
    """kramdown's ``parse_first_list_line``: the item's first text and its indentation."""
    if not content.strip() or _ITEM_IAL.fullmatch(content):
        return content.lstrip(), 4
    while (tab := _SPACES_THEN_TAB.match(content)) is not None:
        column = len(tab.group(1)) + indentation
        content = tab.group(1) + " " * (4 - column % 4 + (len(tab.group(2)) - 1) * 4) + content[tab.end() :]
    indentation += len(content) - len(content.lstrip(" "))
    return content.lstrip(), indentation


def _lazy(text: str, indentation: int) -> bool:
    """kramdown's ``lazy_re``: text, not an IAL nor a block HTML tag at most ``min(indentation, 3)`` in."""
    if not text.strip():
        return False
    leading = len(text) - len(text.lstrip(" "))
    if leading > min(indentation, 3):
        return True
    rest = text[leading:]
    return not (IAL_LINE.match(rest) or starts_block_tag(rest))


@dataclass
class _Item:
    """One item: its first line, its IAL, and its text in parts, each line with its line number."""

    line: int
    attrs: dict[str, str]
    refs: list[str]
    parts: list[list[tuple[int, str]]] = field(default_factory=list)


def _line_text(state: StateBlock, line: int) -> str:
    """*line* as its container holds it (the container's indentation removed)."""
    return state.getLines(line, line + 1, state.blkIndent, False)


def _collect(state: StateBlock, start: int, end: int, ordered: bool) -> tuple[list[_Item], int, int, bool]:
    """The items from line *start*; the line after the list, after its last text, and whether ``^`` ended it."""
    items: list[_Item] = []
    next_marker = _ORDERED if ordered else _BULLET
    content_re = next_marker  # replaced at the first item
    indentation = 0
    last_is_blank = nested_found = eob_found = False
    line = last_text = start
    while line < end:
        if state.sCount[line] < state.blkIndent and not state.isEmpty(line):
            break  # outside the container (a footnote's lines)
        text = _line_text(state, line)
        if last_is_blank and _HR.match(text):
            break
        if is_marker(text):
            eob_found = True
            line += 1
            break
        marker = next_marker.match(text)
        if marker:
            content, indentation = _first_line(len(marker.group(1)), marker.group(2))
            attrs: dict[str, str] = {}
            refs: list[str] = []
            ial = _ITEM_IAL.match(content)
            if ial:
                attrs = parse_attribute_list(ial.group(1), refs)
                content = content[ial.end() :]
            item = _Item(line, attrs, refs, [[(line, content)] if content else []])
            items.append(item)
            content_re, bullet, number = _patterns(indentation)
            next_marker = number if ordered else bullet
            nested_found = bool(_ANY_START.match(content))
            last_is_blank = False
            last_text = line + 1
        elif content_re.match(text) or (not last_is_blank and _lazy(text, indentation)):
            tabs = _LEADING_TABS.match(text)
            if tabs:
                text = "    " * len(tabs.group()) + text[tabs.end() :]
            found = text.startswith(" " * indentation)
            if found:
                text = text[indentation:]
            if not nested_found and found and _ANY_START.match(text):
                items[-1].parts.append([])
                nested_found = True
            elif nested_found and not found and _ANY_START.match(text):
                text = " " * (indentation + 4) + text
            items[-1].parts[-1].append((line, text))
            last_is_blank = False
            last_text = line + 1
        elif not text.strip():
            nested_found = last_is_blank = True
            items[-1].parts[-1].append((line, ""))
        else:
            break
        line += 1
    return items, line, last_text, eob_found


def _parse_part(state: StateBlock, part: list[tuple[int, str]]) -> bool | None:
    """Parse one part of an item as blocks; whether a blank line follows its first block when
    that is a paragraph (None when it is not)."""
    begin = len(state.tokens)
    nested = StateBlock("\n".join(text for _, text in part) + "\n", state.md, state.env, state.tokens)
    nested.level = state.level
    state.md.block.tokenize(nested, 0, nested.lineMax)
    tokens = state.tokens
    blank_after = None
    paragraph_map = tokens[begin].map if begin < len(tokens) and tokens[begin].type == "paragraph_open" else None
    if paragraph_map:
        after = paragraph_map[1]
        for token in tokens[begin + 3 :]:  # an IAL right below belongs to the paragraph
            if token.type != "kramdown_ial" or not token.map or token.map[0] != after:
                break
            after = token.map[1]
        blank_after = after < nested.lineMax and nested.isEmpty(after)
    lines = [number for number, _ in part]
    for token in tokens[begin:]:
        if token.map:
            first, last = token.map
            token.map = [lines[min(first, len(lines) - 1)], lines[min(max(last - 1, first), len(lines) - 1)] + 1]
    return blank_after


def list_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """kramdown's list at line *start*; any list start ends a paragraph."""
    begin = state.bMarks[start] + state.tShift[start]
    if begin >= state.eMarks[start] or state.src[begin] not in _MARKER_CHARS:
        return False
    first = _line_text(state, start)
    if first.startswith(("\t", "    ")):
        return False
    bullet = _BULLET.match(first)
    if bullet is None and _ORDERED.match(first) is None:
        return False
    if silent:
        return True
    items, after, last_text, eob_found = _collect(state, start, end, bullet is None)
    tag = "ol" if bullet is None else "ul"
    kind = "ordered_list" if bullet is None else "bullet_list"
    opening = state.push(f"{kind}_open", tag, 1)
    opening.markup = first.lstrip(" ")[0] if bullet is not None else "."
    opening.map = [start, after if eob_found else last_text]
    firsts: list[tuple[int, bool, bool]] = []  # per item: its first paragraph's index (or -1), blank after it, its only block
    for number, item in enumerate(items):
        li = state.push("list_item_open", "li", 1)
        li.markup = opening.markup
        li.map = [item.line, items[number + 1].line if number + 1 < len(items) else opening.map[1]]
        apply_ial(li, item.attrs, item.refs)
        begin = len(state.tokens)
        blank_after: bool | None = None
        for index, part in enumerate(part for part in item.parts if part):
            found = _parse_part(state, part)
            if index == 0:
                blank_after = found
        children = [t for t in state.tokens[begin:] if t.level == li.level + 1 and t.nesting >= 0 and t.type != "kramdown_ial"]
        paragraph = begin if blank_after is not None and children and children[0] is state.tokens[begin] else -1
        firsts.append((paragraph, bool(blank_after), len(children) == 1))
        state.push("list_item_close", "li", -1)
    state.push(f"{kind}_close", tag, -1)
    _bare_paragraphs(state.tokens, firsts, eob_found)
    state.line = after
    return True


def _bare_paragraphs(tokens: list[Token], firsts: list[tuple[int, bool, bool]], eob_found: bool) -> None:
    """kramdown's transparent first paragraphs (the condition at the end of ``parse_list``)."""
    bare_before = False  # an earlier item's first block is bare or not a paragraph
    for number, (paragraph, blank_after, only_block) in enumerate(firsts):
        if paragraph < 0:
            bare_before = True
            continue
        last = number == len(firsts) - 1
        first_ok = not blank_after or (last and only_block and not eob_found)
        if first_ok and (not last or len(firsts) == 1 or bare_before):
            tokens[paragraph].hidden = tokens[paragraph + 2].hidden = True
            bare_before = True


def lists_plugin(md: MarkdownIt) -> None:
    """Replace markdown-it's list rule with kramdown's."""
    original = md.block.ruler.__rules__[md.block.ruler.__find__("list")]
    md.block.ruler.at("list", list_rule, {"alt": list(original.alt)})
