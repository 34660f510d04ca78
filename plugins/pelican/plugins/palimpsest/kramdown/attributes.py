"""kramdown inline attribute lists (IALs): ``{: .class #id key="value"}``.

kramdown attaches a block IAL to the block it touches: the one just above
it (no blank line between), else the next one.  A span IAL must touch the
end of a span element (link, image, code span, emphasis), not text.  An
attribute list definition (ALD, ``{:name: …}``) anywhere in the document
gives its attributes to every IAL that names it.
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

from .end_of_block import EOB

# kramdown's grammar (parser/kramdown/extensions.rb): an IAL's text runs to the first unescaped ``}``.
IAL_LINE = re.compile(r"^ {0,3}\{:(?![:/])((?:\\\}|[^}])+)\}[ \t]*$")
SPAN_IAL = re.compile(r"\{:(?!/(?:\w[\w-]*)?\})((?:\\\}|[^}])+)\}", re.ASCII)
ALD_LINE = re.compile(r"^ {0,3}\{:(\w[\w-]*):((?:\\\}|[^}])+)\}[ \t]*$", re.ASCII)
# ALD_TYPE_ANY: whitespace-separated key="value", reference, or run of #id and .class; the rest is ignored
_ATTRIBUTE = re.compile(
    r"""(?:\A|\s)(?:
        (?P<key>\w[\w-]*)=(?P<sep>["'])(?P<value>(?:\\\}|\\(?P=sep)|[^}\x02])*?)(?P=sep)
      | (?P<ref>\w[\w-]*)
      | (?P<ids>(?:\#[A-Za-z][\w:-]*|\.[^\s.\#]+)+)
    )(?=\s|\Z)""",
    re.VERBOSE | re.ASCII,
)
_ID_OR_CLASS = re.compile(r"#([A-Za-z][\w:-]*)|\.([^\s.#]+)", re.ASCII)

Attributes = dict[str, str]
ALDS = "kramdown_alds"  # env key: the document's attribute list definitions, name -> (attributes, references)
Ald = tuple[Attributes, list[str]]


def parse_attribute_list(text: str, refs: list[str] | None = None) -> Attributes:
    """Parse the inside of an IAL into HTML attributes, kramdown's way.

    Classes accumulate, the last id wins, what is not an attribute is
    skipped (kramdown warns); references to attribute list definitions
    (``{:ref}``) are appended to *refs* when given: ``toc`` on a list asks
    for the table of contents, other names are ALDs (``resolve_alds``).
    """
    attrs: Attributes = {}
    for match in _ATTRIBUTE.finditer(text):
        if match["ref"]:
            if refs is not None:
                refs.append(match["ref"])
        elif match["ids"]:
            for id_name, class_name in _ID_OR_CLASS.findall(match["ids"]):
                if class_name:
                    attrs["class"] = f"{attrs['class']} {class_name}" if attrs.get("class") else class_name
                else:
                    attrs["id"] = id_name
        else:
            sep = match["sep"]
            attrs[match["key"]] = re.sub(r"\\(\}|" + sep + ")", r"\1", match["value"])
    return attrs


def merge_attributes(token: Token, attrs: Attributes) -> None:
    """Add *attrs* to *token*; classes are appended, as kramdown does."""
    for name, value in attrs.items():
        if name == "class" and token.attrGet("class"):
            token.attrSet("class", f"{token.attrGet('class')} {value}")
        else:
            token.attrSet(name, value)


def apply_ial(token: Token, attrs: Attributes, refs: list[str]) -> None:
    """Give *token* an IAL's attributes, and keep them and its references for ``resolve_alds``."""
    merge_attributes(token, attrs)
    if attrs:
        own = token.meta.setdefault("ial_attrs", {})
        for name, value in attrs.items():
            own[name] = f"{own[name]} {value}" if name == "class" and own.get(name) else value
    if refs:
        token.meta.setdefault("ial_refs", []).extend(refs)


def block_ial_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A line holding only an IAL, or an ALD (``{:name: …}``); it also ends a paragraph or blockquote."""
    if state.is_code_block(start):
        return False
    line = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    ald = ALD_LINE.match(line)
    if ald:
        if not silent:
            token = state.push("kramdown_ald", "", 0)
            ald_refs: list[str] = []
            token.meta = {"name": ald.group(1), "attrs": parse_attribute_list(ald.group(2), ald_refs), "refs": ald_refs}
            token.map = [start, start + 1]
            state.line = start + 1
        return True
    match = IAL_LINE.match(line)
    if not match:
        return False
    if silent:
        return True
    token = state.push("kramdown_ial", "", 0)
    refs: list[str] = []
    token.meta = {
        "attrs": parse_attribute_list(match.group(1), refs),
        "refs": refs,
        # blank lines around it, in its container (for an IAL that waits for the next block)
        "blank_before": start > 0 and state.isEmpty(start - 1),
        "blank_after": start + 1 < state.lineMax and state.isEmpty(start + 1),
    }
    token.map = [start, start + 1]
    state.line = start + 1
    return True


def attach_block_ials(state: StateCore) -> None:
    """Move each IAL token's attributes onto the block it belongs to; collect the ALDs.

    An IAL that waits for the next block (kramdown's ``@block_ial``) is
    lost, as in kramdown, at the end of its container, at an ALD or ``^``,
    and at a blank line when it was first in its container or after an
    end of block (kramdown gives it to the blank line's element then).
    """
    result: list[Token] = []
    pending: Token | None = None
    chained: tuple[Token, int] | None = None  # (block, line after its last IAL)
    alds: dict[str, Ald] = {}
    for token in state.tokens:
        if token.type in ("kramdown_ald", EOB):  # an end of block: a pending IAL is lost, as in kramdown
            pending = chained = None
            if token.type == "kramdown_ald":
                _define(alds, token)
                continue
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
                combined.level = token.level
                merge_attributes(combined, pending.meta["attrs"])
                merge_attributes(combined, token.meta["attrs"])
                combined.meta = {**pending.meta, "attrs": dict(combined.attrs), "refs": pending.meta["refs"] + token.meta["refs"]}
                combined.meta["blank_after"] = token.meta.get("blank_after", False)
                pending = combined
            else:
                pending = token
                container = result[-1] if result and result[-1].nesting == 1 and result[-1].level == token.level - 1 else None
                first_line = container is not None and container.map is not None and container.map[0] == line
                pending.meta["lost_at_blank"] = first_line or not token.meta.get("blank_before", False)
            continue
        if pending is not None and token.level < pending.level:  # its container ended: lost, as in kramdown
            pending = None
        if pending is not None and token.block and (token.nesting == 1 or token.type in _LEAF_BLOCKS):
            if not (pending.meta.get("lost_at_blank") and pending.meta.get("blank_after")):
                _attach(token, pending)
            pending = None
        result.append(token)
    state.tokens = result
    if alds:
        state.env[ALDS] = alds
    else:
        state.env.pop(ALDS, None)


def _define(alds: dict[str, Ald], token: Token) -> None:
    """Add an ALD token's attributes to its name's (a name defined twice adds up, as in kramdown)."""
    attrs, refs = alds.setdefault(token.meta["name"], ({}, []))
    for name, value in token.meta["attrs"].items():
        attrs[name] = f"{attrs[name]} {value}" if name == "class" and attrs.get(name) else value
    refs.extend(token.meta["refs"])


def resolve_alds(state: StateCore) -> None:
    """Give every element with an IAL the attributes of the ALDs it references.

    kramdown applies them when the whole document is parsed (an ALD may come
    after its use): the ALD's attributes go over the element's own, the
    IAL's over both; an ALD may reference others (a loop is cut).
    """
    alds: dict[str, Ald] | None = state.env.get(ALDS)
    if not alds:
        return
    for token in state.tokens:
        if "ial_refs" in token.meta:
            _inherit(token, alds)
        for child in token.children or ():
            if "ial_refs" in child.meta:
                _inherit(child, alds)


def _inherit(token: Token, alds: dict[str, Ald]) -> None:
    inherited: Attributes = {}
    _collect(inherited, token.meta["ial_refs"], alds, ())
    own: Attributes = token.meta.get("ial_attrs", {})
    for name, value in inherited.items():
        if name == "class":
            current = str(token.attrGet("class") or "")
            own_class = own.get("class", "")
            parts: tuple[str, ...] = (current, value)
            if own_class and current.endswith(own_class):  # the element's, the ALDs', the IAL's
                parts = (current[: -len(own_class)].rstrip(), value, own_class)
            token.attrSet("class", " ".join(part for part in parts if part))
        elif name not in own:
            token.attrSet(name, value)


def _collect(target: Attributes, refs: Sequence[str], alds: dict[str, Ald], seen: tuple[str, ...]) -> None:
    """kramdown's ``update_attr_with_ial`` over references: each ALD's own references first."""
    for ref in refs:
        ald = alds.get(ref)
        if ald is None or ref in seen:
            continue
        attrs, nested = ald
        _collect(target, nested, alds, (*seen, ref))
        for name, value in attrs.items():
            target[name] = f"{target[name]} {value}" if name == "class" and target.get(name) else value


def _attach(block: Token, ial: Token) -> None:
    """Give *block* the attributes of *ial*, and its references in ``meta["ial_refs"]``.

    A block that stands for another (the closing tag of an HTML element whose
    content is Markdown) names it in ``meta["ial_target"]``.
    """
    target = block.meta.get("ial_target")
    if isinstance(target, Token):
        block = target
    apply_ial(block, ial.meta["attrs"], ial.meta["refs"])


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
        if target is not None:  # references: ALDs, ``standalone`` on an image (standalone_images.py)
            apply_ial(target, attrs, refs)
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
    md.core.ruler.after("inline", "kramdown_alds", resolve_alds)
