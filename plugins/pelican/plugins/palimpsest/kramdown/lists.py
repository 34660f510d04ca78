"""List items with kramdown's paragraph rules.

CommonMark decides per list whether it is tight; kramdown decides per item
whether its first paragraph is "transparent" (no ``<p>``).  Port of the
condition in ``kramdown/parser/kramdown/list.rb``: the first paragraph is
bare when no blank line follows it inside the item (or it is the last item's
only block, unless an end-of-block marker ended the list), and, for the last
item of a longer list, only when an earlier item already had a bare or
non-paragraph first block.

kramdown's lists are also shaped differently: any marker of ``*+-`` continues
a bullet list (CommonMark starts a new one), a list of the other kind
written on the very next line is a lazy line of the last item (so it nests
there), an ordered list starts at any number and may interrupt a paragraph
at any number (GFM's paragraph end), and ``<ol>`` never gets ``start``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .attributes import apply_ial, parse_attribute_list
from .end_of_block import EOB

BlockRule = Callable[[StateBlock, int, int, bool], bool]
_LISTS = ("bullet_list_open", "ordered_list_open")
_ITEM_IAL = re.compile(r"\{:(?!(?:\w[\w-]*)?:|/)((?:\\\}|[^}])+)\}\s*", re.ASCII)  # kramdown's LIST_ITEM_IAL
_OL_START = re.compile(r"\d+\.[ \t]+\S")


def _items(tokens: list[Token], list_open: int) -> list[tuple[int, int]]:
    """(open, close) indexes of the items of the list opened at *list_open*."""
    level = tokens[list_open].level
    items = []
    index = list_open + 1
    while index < len(tokens):
        token = tokens[index]
        if token.level == level and token.nesting == -1 and token.type.endswith("_list_close"):
            break
        if token.type == "list_item_open" and token.level == level + 1:
            depth = 0
            for close in range(index, len(tokens)):
                if tokens[close].type == "list_item_open" and tokens[close].level == level + 1:
                    depth += 1
                elif tokens[close].type == "list_item_close" and tokens[close].level == level + 1:
                    depth -= 1
                    if depth == 0:
                        break
            items.append((index, close))
            index = close
        index += 1
    return items


def _close(tokens: list[Token], list_open: int) -> int:
    """The index of the close token of the list opened at *list_open*."""
    level = tokens[list_open].level
    for index in range(list_open + 1, len(tokens)):
        if tokens[index].level == level and tokens[index].nesting == -1:
            return index
    return len(tokens) - 1


def _reshape(tokens: list[Token], blank: Callable[[int], bool]) -> list[Token]:
    """Join and nest adjacent lists as kramdown reads them; drop ``start``.  One pass."""
    result: list[Token] = []
    held: list[tuple[int, list[Token]]] = []  # (level of a nested list, the closes it moved past)
    shift = 0
    for token in tokens:
        token.level += shift
        if token.type == "ordered_list_open":
            token.attrs.pop("start", None)
        previous = result[-1] if result else None
        if token.type in _LISTS and previous is not None and previous.type.endswith("_list_close") and previous.level == token.level:
            if previous.type[:4] == token.type[:4]:  # the same kind: one list
                result.pop()
                continue
            if _lazy(token, blank):  # the other kind on the next line: nested in the last item
                closes = [result.pop(), result.pop()][::-1]
                shift += 2
                token.level += 2
                held.append((token.level, closes))
        result.append(token)
        if held and token.nesting == -1 and token.level == held[-1][0] and token.type.endswith("_list_close"):
            shift -= 2
            result.extend(held.pop()[1])
    return result


def _lazy(list_open: Token, blank: Callable[[int], bool]) -> bool:
    """Whether the list opened by *list_open* continues the line above it, with no blank line in it."""
    first, last = list_open.map if list_open.map else (0, 0)
    if "blank_around" in list_open.meta:  # seen by the block rule, in its container (a quote's ``>`` line is blank)
        return first > 0 and not list_open.meta["blank_around"]
    return first > 0 and not blank(first - 1) and not any(blank(line) for line in range(first, last - 1))


def _empty_first_line_code(tokens: list[Token], lines: list[str]) -> None:
    """An item whose first line is empty has its content at column 4 in kramdown.

    CommonMark puts it one column after the marker, so an indented code block
    opening such an item keeps up to two columns too many.
    """
    for index, item in enumerate(tokens[:-1]):
        code = tokens[index + 1]
        if item.type != "list_item_open" or not item.map or code.type != "code_block" or not code.map:
            continue
        line = lines[item.map[0]] if item.map[0] < len(lines) else ""
        marker = len(line) - len(line.lstrip(" ")) + (len(item.info) + 1 if item.info else 1)
        if line[marker:].strip() or code.map[0] != item.map[0] + 1:
            continue
        extra = 4 - (marker + 1)
        if extra > 0:
            code.content = "".join(text[min(extra, len(text) - len(text.lstrip(" "))) :] for text in code.content.splitlines(keepends=True))


def _item_ials(tokens: list[Token]) -> None:
    """``* {:.cls} text``: an IAL opening an item's first line belongs to the ``<li>``."""
    for index, item in enumerate(tokens[:-2]):
        if item.type != "list_item_open" or tokens[index + 1].type != "paragraph_open":
            continue
        inline = tokens[index + 2]
        match = _ITEM_IAL.match(inline.content)
        if match:
            refs: list[str] = []
            apply_ial(item, parse_attribute_list(match.group(1), refs), refs)
            inline.content = inline.content[match.end() :]


def kramdown_list_paragraphs(state: StateCore) -> None:
    tokens = state.tokens
    lines = state.src.split("\n")

    def blank(line: int) -> bool:
        return line < len(lines) and not lines[line].strip()

    tokens = state.tokens = _reshape(tokens, blank)
    _empty_first_line_code(tokens, lines)
    _item_ials(tokens)
    for list_index, token in enumerate(tokens):
        if token.type not in _LISTS:
            continue
        close = _close(tokens, list_index)
        eob_found = close + 1 < len(tokens) and tokens[close + 1].type == EOB
        items = _items(tokens, list_index)
        bare_before = False  # an earlier item's first block is bare or not a paragraph
        for number, (start, stop) in enumerate(items):
            level = tokens[start].level + 1
            children = [i for i in range(start + 1, stop) if tokens[i].level == level and tokens[i].nesting >= 0]
            for i in range(start + 1, stop):
                if tokens[i].type == "paragraph_open" and tokens[i].level == level:
                    tokens[i].hidden = tokens[i + 2].hidden = False
            if not children or tokens[children[0]].type != "paragraph_open":
                bare_before = True
                continue
            paragraph = tokens[children[0]]
            last = number == len(items) - 1
            end_line = paragraph.map[1] if paragraph.map else 0
            blank_follows = paragraph.meta["blank_after"] if "blank_after" in paragraph.meta else blank(end_line)
            only_block = len(children) == 1
            first_ok = not blank_follows or (last and only_block and not eob_found)
            position_ok = not last or len(items) == 1 or bare_before
            if first_ok and position_ok:
                paragraph.hidden = tokens[children[0] + 2].hidden = True
                bare_before = True


def _interrupting_list(original: BlockRule) -> BlockRule:
    """markdown-it's list rule, letting an ordered list at any number end a paragraph.

    A list notes whether a blank line is just above it or inside it, as its
    container sees the lines (``_lazy``).
    """

    def rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if silent and state.parentType == "paragraph" and 0 <= state.sCount[start] - state.blkIndent < 4:
            begin = state.bMarks[start] + state.tShift[start]
            if _OL_START.match(state.src, begin, state.eMarks[start]):
                return True
        index = len(state.tokens)
        if not original(state, start, end, silent):
            return False
        if not silent and index < len(state.tokens) and state.tokens[index].type in _LISTS:
            lines = range(start - 1 if start > 0 else start, state.line - 1)
            state.tokens[index].meta["blank_around"] = any(state.isEmpty(line) for line in lines)
        return True

    return rule


def _paragraph(original: BlockRule) -> BlockRule:
    """markdown-it's paragraph rule; the paragraph notes whether a blank line follows it in its
    container (a quote's ``>`` line is blank there, not in the document)."""

    def rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        index = len(state.tokens)
        if not original(state, start, end, silent):
            return False
        if index < len(state.tokens) and state.tokens[index].type == "paragraph_open":
            state.tokens[index].meta["blank_after"] = state.line < state.lineMax and state.isEmpty(state.line)
        return True

    return rule


def lists_plugin(md: MarkdownIt) -> None:
    original = md.block.ruler.__rules__[md.block.ruler.__find__("list")]
    md.block.ruler.at("list", _interrupting_list(original.fn), {"alt": list(original.alt)})
    paragraph = md.block.ruler.__rules__[md.block.ruler.__find__("paragraph")]
    md.block.ruler.at("paragraph", _paragraph(paragraph.fn), {"alt": list(paragraph.alt)})
    md.core.ruler.after("block", "kramdown_lists", kramdown_list_paragraphs)
