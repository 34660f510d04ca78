"""GFM task lists as kramdown's GFM parser renders them.

``- [ ] x`` / ``- [x] x`` start with a disabled checkbox.  Like kramdown,
once an item of a list is a task, it and every later item get the
``task-list-item`` class, and the list gets ``task-list``.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_UNCHECKED = re.compile(r"\A\s*\[ \]\s+")
_CHECKED = re.compile(r"\A\s*\[[xX]\]\s+")
_BOX = '<input type="checkbox" class="task-list-item-checkbox" disabled="disabled" />'
_BOX_CHECKED = '<input type="checkbox" class="task-list-item-checkbox" disabled="disabled" checked="checked" />'


def _checkbox(inline: Token) -> bool:
    """Turn a leading ``[ ]``/``[x]`` of *inline* into a checkbox; True if there was one."""
    children = inline.children or []
    if not children or children[0].type != "text":
        return False
    first = children[0]
    for pattern, box in ((_UNCHECKED, _BOX), (_CHECKED, _BOX_CHECKED)):
        match = pattern.match(first.content)
        if match:
            html = Token("html_inline", "", 0)
            html.content = box
            first.content = first.content[match.end() :]
            inline.children = [html, *children]
            return True
    return False


def task_lists(state: StateCore) -> None:
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type not in ("bullet_list_open", "ordered_list_open"):
            continue
        is_task_list = False
        depth_level = token.level + 1
        for item_index in range(index + 1, len(tokens)):
            item = tokens[item_index]
            if item.level == token.level and item.nesting == -1:
                break
            if item.type != "list_item_open" or item.level != depth_level:
                continue
            first = tokens[item_index + 1]
            if first.type == "paragraph_open" and tokens[item_index + 2].type == "inline":
                is_task_list = _checkbox(tokens[item_index + 2]) or is_task_list
                if is_task_list:
                    item.attrJoin("class", "task-list-item")
        if is_task_list:
            token.attrJoin("class", "task-list")


def tasklists_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("inline", "kramdown_task_lists", task_lists)
