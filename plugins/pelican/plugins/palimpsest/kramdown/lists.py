"""List items with kramdown's paragraph rules.

CommonMark decides per list whether it is tight; kramdown decides per item
whether its first paragraph is "transparent" (no ``<p>``).  Port of the
condition in ``kramdown/parser/kramdown/list.rb``: the first paragraph is
bare when no blank line follows it inside the item (or it is the last item's
only block), and, for the last item of a longer list, only when an earlier
item already had a bare or non-paragraph first block.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token


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


def kramdown_list_paragraphs(state: StateCore) -> None:
    tokens = state.tokens
    lines = state.src.split("\n")

    def blank(line: int) -> bool:
        return line < len(lines) and not lines[line].strip()

    for list_index, token in enumerate(tokens):
        if token.type not in ("bullet_list_open", "ordered_list_open"):
            continue
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
            blank_follows = blank(end_line)
            only_block = len(children) == 1
            first_ok = not blank_follows or (last and only_block)
            position_ok = not last or len(items) == 1 or bare_before
            if first_ok and position_ok:
                paragraph.hidden = tokens[children[0] + 2].hidden = True
                bare_before = True


def lists_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("block", "kramdown_lists", kramdown_list_paragraphs)
