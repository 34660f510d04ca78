"""kramdown's end-of-block marker: a line holding only ``^``.

It ends the paragraph, blockquote or list above it (so two lists or a list
and a lazy line stay apart) and renders as nothing.  The marker stays in the
token stream as a ``kramdown_eob`` token until the last core rule, so that
the list rules can see that a list ended on one (kramdown then keeps the
last item's paragraph).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore

EOB = "kramdown_eob"


def is_marker(line: str) -> bool:
    """Whether *line* (its indentation removed) is the marker: ``^`` and nothing but trailing blanks."""
    return line.rstrip() == "^"


def after_block_boundary(state: StateBlock, start: int) -> bool:
    """kramdown's ``after_block_boundary?`` for a block at line *start*.

    True for the first block of its container, after a blank line or a
    ``^``, and after an IAL line that is itself at a boundary (an IAL that
    attaches to the block above it leaves no boundary).
    """
    index = len(state.tokens) - 1
    while True:
        if index < 0 or state.tokens[index].nesting == 1 or state.tokens[index].type == EOB or (start > 0 and state.isEmpty(start - 1)):
            return True
        last = state.tokens[index]
        if not (last.type == "kramdown_ial" and last.map and last.map[1] == start):
            return False
        start, index = last.map[0], index - 1


def eob_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """``^`` alone, not indented past the block's own indentation (trailing blanks allowed)."""
    if state.sCount[start] > state.blkIndent:
        return False
    begin = state.bMarks[start] + state.tShift[start]
    if not is_marker(state.src[begin : state.eMarks[start]]):
        return False
    if silent:
        return True
    token = state.push(EOB, "", 0)
    token.map = [start, start + 1]
    token.hidden = True
    state.line = start + 1
    return True


def drop_markers(state: StateCore) -> None:
    """The markers have done their work: they render as nothing."""
    if any(token.type == EOB for token in state.tokens):
        state.tokens = [token for token in state.tokens if token.type != EOB]


def end_of_block_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("paragraph", EOB, eob_rule, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.core.ruler.push("kramdown_eob_drop", drop_markers)
    md.add_render_rule(EOB, lambda *args: "")
