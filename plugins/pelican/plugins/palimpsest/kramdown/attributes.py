"""kramdown inline attribute lists (IALs): ``{: .class #id key="value"}``.

kramdown attaches a block IAL to the block it touches: the one just above
it (no blank line between), else the next one.  A span IAL must touch the
end of a span element (link, image, code span, emphasis), not text.
mdit's ``attrs_plugin`` cannot be used: its key grammar turns
``{:target=…}`` into an attribute named ``:target``, and its block variant
swallows ``{% … %}`` lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

IAL_LINE = re.compile(r"^ {0,3}\{:(?![:/])((?:[^}\\\"']|\\.|\"(?:\\.|[^\"])*\"|'(?:\\.|[^'])*')*)\}[ \t]*$")
SPAN_IAL = re.compile(r"\{:((?:[^}\\\"']|\\.|\"(?:\\.|[^\"])*\"|'(?:\\.|[^'])*')*)\}")
_ATTRIBUTE = re.compile(
    r"""\s*(?:
        \.(?P<cls>[^\s.#"'{}=]+)
      | \#(?P<id>[^\s.#"'{}=]+)
      | (?P<key>[\w:-]+)=(?:"(?P<dq>(?:\\.|[^"])*)"|'(?P<sq>(?:\\.|[^'])*)')
      | (?P<ref>[A-Za-z0-9_][\w-]*)
    )""",
    re.VERBOSE,
)

Attributes = dict[str, str]


def parse_attribute_list(text: str, refs: list[str] | None = None) -> Attributes:
    """Parse the inside of an IAL into HTML attributes, kramdown's way.

    Classes accumulate, the last id wins; references to attribute list
    definitions (``{:ref}``) add no attribute, as kramdown does when
    undefined, but are appended to *refs* when given: ``toc`` on a list
    asks for the table of contents.
    """
    attrs: Attributes = {}
    classes: list[str] = []
    pos = 0
    while pos < len(text):
        match = _ATTRIBUTE.match(text, pos)
        if not match or match.end() == pos:
            break
        pos = match.end()
        if match["cls"]:
            classes.append(match["cls"])
        elif match["id"]:
            attrs["id"] = match["id"]
        elif match["key"]:
            value = match["dq"] if match["dq"] is not None else match["sq"] or ""
            attrs[match["key"]] = re.sub(r"\\(.)", r"\1", value)
        elif match["ref"] and refs is not None:
            refs.append(match["ref"])
    if classes:
        attrs["class"] = " ".join(classes)
    return attrs


def merge_attributes(token: Token, attrs: Attributes) -> None:
    """Add *attrs* to *token*; classes are appended, as kramdown does."""
    for name, value in attrs.items():
        if name == "class" and token.attrGet("class"):
            token.attrSet("class", f"{token.attrGet('class')} {value}")
        else:
            token.attrSet(name, value)


def block_ial_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A line holding only an IAL; it also ends a paragraph or blockquote."""
    if state.is_code_block(start):
        return False
    line = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    match = IAL_LINE.match(line)
    if not match:
        return False
    if silent:
        return True
    token = state.push("kramdown_ial", "", 0)
    refs: list[str] = []
    token.meta = {"attrs": parse_attribute_list(match.group(1), refs), "refs": refs}
    token.map = [start, start + 1]
    state.line = start + 1
    return True


def attach_block_ials(state: StateCore) -> None:
    """Move each IAL token's attributes onto the block it belongs to."""
    result: list[Token] = []
    pending: Token | None = None
    chained: tuple[Token, int] | None = None  # (block, line after its last IAL)
    for token in state.tokens:
        if token.type == "kramdown_ial":
            line = token.map[0] if token.map else 0
            previous = _previous_block(result, token.level)
            if chained is not None and chained[1] == line:
                previous = chained[0]
            elif previous is not None and not (previous.map and previous.map[1] == line):
                previous = None
            if previous is not None:
                _attach(previous, token)
                chained = (previous, line + 1)
            elif pending is not None:  # consecutive standalone IALs add up, as in kramdown
                combined = Token("kramdown_ial", "", 0)
                merge_attributes(combined, pending.meta["attrs"])
                merge_attributes(combined, token.meta["attrs"])
                combined.meta = {"attrs": dict(combined.attrs), "refs": pending.meta["refs"] + token.meta["refs"]}
                pending = combined
            else:
                pending = token
            continue
        if pending is not None and token.block and (token.nesting == 1 or token.type in _LEAF_BLOCKS):
            _attach(token, pending)
            pending = None
        result.append(token)
    state.tokens = result


def _attach(block: Token, ial: Token) -> None:
    """Give *block* the attributes of *ial*, and its references in ``meta["ial_refs"]``.

    A block that stands for another (the closing tag of an HTML element whose
    content is Markdown) names it in ``meta["ial_target"]``.
    """
    target = block.meta.get("ial_target")
    if isinstance(target, Token):
        block = target
    merge_attributes(block, ial.meta["attrs"])
    if ial.meta["refs"]:
        block.meta.setdefault("ial_refs", []).extend(ial.meta["refs"])


_LEAF_BLOCKS = frozenset({"fence", "code_block", "hr", "html_block", "math_block"})


def _previous_block(tokens: Sequence[Token], level: int) -> Token | None:
    """The opening token of the last block at *level*, inside the same container."""
    for token in reversed(tokens):
        if token.level < level:
            return None
        if token.level == level and (token.nesting == 1 or token.type in _LEAF_BLOCKS):
            return token
    return None


SPAN_IAL_WINDOW = 1000  # characters: a span IAL longer than this stays text


def span_ial_rule(state: StateInline, silent: bool) -> bool:
    """``{:…}`` touching the end of a link, an image, a code span or an emphasis."""
    if state.src[state.pos] != "{" or not state.src.startswith("{:", state.pos):
        return False
    if not state.tokens:
        return False
    last = state.tokens[-1]
    html_element = last.meta.get("span_html_element") if last.type == "html_inline" else None  # span_html.py
    if (last.type not in _SPAN_TARGETS and html_element is None) or state.pending:
        return False
    # An IAL is short: look for its end within SPAN_IAL_WINDOW characters, so that thousands of
    # unclosed ``{:`` cost linear time, not a scan to the end of the text each.
    window = min(len(state.src), state.pos + SPAN_IAL_WINDOW)
    if state.src.find("}", state.pos, window) < 0:
        return False
    match = SPAN_IAL.match(state.src, state.pos, window)
    if not match:
        return False
    if not silent:
        refs: list[str] = []
        attrs = parse_attribute_list(match.group(1), refs)
        target = html_element or (last if last.nesting == 0 else _span_open(state.tokens))
        if target is not None:
            merge_attributes(target, attrs)
            if refs:  # ``standalone`` on an image (standalone_images.py)
                target.meta.setdefault("ial_refs", []).extend(refs)
    state.pos = match.end()
    return True


# the span elements a span IAL can follow (kramdown: any element but text)
_SPAN_TARGETS = frozenset({"link_close", "image", "code_inline", "em_close", "strong_close"})


def _span_open(tokens: Sequence[Token]) -> Token | None:
    """The opening token matching the closing token at the end of *tokens*."""
    closing = tokens[-1].type
    opening = closing[: -len("close")] + "open"
    depth = 0
    for token in reversed(tokens):
        if token.type == closing:
            depth += 1
        elif token.type == opening:
            depth -= 1
            if depth == 0:
                return token
    return None


def attributes_plugin(md: MarkdownIt) -> None:
    """Register block and span IALs on *md*."""
    md.block.ruler.before(
        "table",
        "kramdown_ial",
        block_ial_rule,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.inline.ruler.before("link", "kramdown_span_ial", span_ial_rule)
    md.core.ruler.after("block", "kramdown_attach_ial", attach_block_ials)
