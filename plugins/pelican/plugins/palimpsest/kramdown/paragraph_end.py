"""What ends a paragraph: kramdown's GFM ``PARAGRAPH_END``, not CommonMark's interruptions.

kramdown (with Jekyll's ``gfm_quirks: paragraph_end``) ends a paragraph at a
blank line, an IAL, ``^``, a block HTML tag, a list item, an ATX heading, a
definition, a blockquote or a code fence.  A horizontal rule, a footnote
definition and an abbreviation definition do not: ``a`` over ``***`` is one
paragraph (``* * *`` still ends it, as a list item would).  A footnote
definition still ends the paragraph of the footnote above it, whose text
(kramdown's ``FOOTNOTE_DEFINITION_START``) never takes an unindented line
that follows its first.  Applied after every block rule is registered.
"""

from __future__ import annotations

from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

__all__ = ["paragraph_end_plugin"]

BlockRule = Callable[[StateBlock, int, int, bool], bool]

# block rules markdown-it (or a plugin) lets interrupt a paragraph, kramdown does not
NOT_PARAGRAPH_ENDS = ("hr", "kramdown_abbreviations")


def _ends_footnote_paragraph(rule: BlockRule) -> BlockRule:
    """*rule* (a footnote definition), ending a paragraph only when outdented from its footnote."""

    def wrapped(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if silent and state.parentType == "paragraph" and state.sCount[start] >= state.blkIndent:
            return False
        return rule(state, start, end, silent)

    return wrapped


def paragraph_end_plugin(md: MarkdownIt) -> None:
    """Take the rules kramdown's paragraph does not stop at out of the paragraph's terminators."""
    for rule in list(md.block.ruler.__rules__):
        if rule.name in NOT_PARAGRAPH_ENDS and "paragraph" in rule.alt:
            md.block.ruler.at(rule.name, rule.fn, {"alt": [chain for chain in rule.alt if chain != "paragraph"]})
        elif rule.name == "footnote_def":
            md.block.ruler.at(rule.name, _ends_footnote_paragraph(rule.fn), {"alt": list(rule.alt)})
