"""kramdown definition lists: a paragraph of terms, then ``: definition`` lines.

Each line of the paragraph above the first ``:`` line is a term (at most one
blank line between them).  A definition runs on over lines indented as far
as its text, and over lazy lines right after text; blank lines inside it are
allowed, and after one a ``:`` line still continues the list.  A
definition's first paragraph is written without ``<p>`` unless a blank line
came before its ``:`` line.  ``{:.x}`` at the start of a term or definition
gives it attributes; ``{:auto_ids}`` (or ``{:auto_ids-prefix-}``) on the
list gives its terms ids.  A list following another with only blank lines
between joins it.  mdit's ``deflist`` plugin follows pandoc's rules instead.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .attributes import IAL_LINE, apply_ial, parse_attribute_list
from .end_of_block import is_marker
from .html_tags import SPAN_ELEMENTS

_DEF_START = re.compile(r"^( {0,3}:)([\t| ].*)$")
_ITEM_IAL = re.compile(r"^\s*\{:(?![\w-]*:|/)((?:\\\}|[^}])+)\}\s*")
_HTML_TAG = re.compile(r"^ {0,3}</?([A-Za-z_:][\w:.-]*)")
_AUTO_IDS = re.compile(r"^auto_ids(?:-([\w-]+))?")
_ID_LEADING = re.compile(r"^[^a-zA-Z]+")
_ID_DROPPED = re.compile(r"[^a-zA-Z0-9 -]")


def _expand_tabs(line: str) -> str:
    """Leading tabs to spaces (tab stops of 4), as kramdown does for list content."""
    count = len(line) - len(line.lstrip(" \t"))
    return line[:count].expandtabs(4) + line[count:]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_lazy_stop(line: str) -> bool:
    """An IAL line or a block HTML tag ends a definition's lazy lines."""
    if IAL_LINE.match(line):
        return True
    match = _HTML_TAG.match(line)
    return match is not None and match.group(1).lower() not in SPAN_ELEMENTS


def _start_pattern(indentation: int) -> re.Pattern[str]:
    """The next ``:`` must be indented less than the current definition's text."""
    spaces = max(0, min(indentation, 4) - 1)
    return re.compile(rf"^( {{0,{spaces}}}:)([\t| ].*)$")


def _item_ial(text: str) -> tuple[str, dict[str, str], list[str]]:
    """*text* without its leading ``{:…}``, and that IAL's attributes and references."""
    refs: list[str] = []
    match = _ITEM_IAL.match(text)
    if not match:
        return text, {}, refs
    return text[match.end() :], parse_attribute_list(match.group(1), refs), refs


def _term_paragraph(state: StateBlock, start: int) -> tuple[Token, Token, bool] | None:
    """The paragraph just above line *start* (its open and inline tokens), and whether a blank line is between."""
    tokens = state.tokens
    if len(tokens) < 3 or tokens[-1].type != "paragraph_close" or tokens[-1].level != state.level:
        return None
    opening, inline = tokens[-3], tokens[-2]
    if opening.type != "paragraph_open" or not opening.map:
        return None
    end = opening.map[1]
    if end == start:
        return opening, inline, False
    if end == start - 1 and state.bMarks[end] == state.eMarks[end]:
        return opening, inline, True
    return None


def _previous_list(state: StateBlock, paragraph_start: int) -> Token | None:
    """The ``dl_open`` of a list ending just above, with only blank lines between."""
    tokens = state.tokens
    if not tokens or tokens[-1].type != "dl_close" or tokens[-1].level != state.level:
        return None
    opening = tokens[-1].meta.get("dl_open")
    if not isinstance(opening, Token) or not opening.map:
        return None
    if all(state.isEmpty(line) for line in range(opening.map[1], paragraph_start)):
        return opening
    return None


def definition_list_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A ``:`` line after a paragraph: that paragraph's lines are terms."""
    if state.is_code_block(start):
        return False
    first = state.getLines(start, start + 1, state.blkIndent, False)
    if not _DEF_START.match(first):
        return False
    if silent:
        return True
    found = _term_paragraph(state, start)
    if found is None:
        return False
    paragraph, inline, first_as_para = found
    assert paragraph.map is not None
    para_start = paragraph.map[0]
    del state.tokens[-3:]
    state.level = paragraph.level
    dl_open = _previous_list(state, para_start)
    if dl_open is not None:
        state.tokens.pop()
        state.level += 1
    else:
        dl_open = state.push("dl_open", "dl", 1)
        dl_open.map = [para_start, start]
    for offset, term in enumerate(inline.content.split("\n")):
        text, attrs, refs = _item_ial(term)
        dt = state.push("dt_open", "dt", 1)
        dt.map = [para_start + offset, para_start + offset + 1]
        apply_ial(dt, attrs, refs)
        dt.meta["raw_text"] = text.strip()
        content = state.push("inline", "", 0)
        content.content = text.strip()
        content.map = dt.map
        content.children = []
        state.push("dt_close", "dt", -1)
    line, last_content = _definitions(state, start, end, first_as_para)
    dl_close = state.push("dl_close", "dl", -1)
    dl_close.meta["dl_open"] = dl_open
    assert dl_open.map is not None
    dl_open.map[1] = last_content
    state.line = line
    return True


def _definitions(state: StateBlock, start: int, end: int, first_as_para: bool) -> tuple[int, int]:
    """Push the definitions from line *start*; return where they stop and the line after the last text."""
    items: list[tuple[int, list[str], tuple[dict[str, str], list[str]], bool]] = []
    start_re = _DEF_START
    indentation = 0
    last_is_blank = False
    line = start
    last_content = start
    while line < end:
        if state.sCount[line] < state.blkIndent and not state.isEmpty(line):
            break
        text = _expand_tabs(state.getLines(line, line + 1, state.blkIndent, False))
        match = start_re.match(text)
        if match:
            indentation, content = _first_line(len(match.group(1)), match.group(2))
            content, attrs, refs = _item_ial(content)
            items.append((line, [content.strip()], (attrs, refs), first_as_para))
            start_re = _start_pattern(indentation)
            first_as_para = last_is_blank = False
            last_content = line + 1
        elif is_marker(text):
            break
        elif text.strip() and (_indent(text) >= indentation or (not last_is_blank and not _is_lazy_stop(text))):
            items[-1][1].append(text[indentation:] if _indent(text) >= indentation else text)
            first_as_para = last_is_blank = False
            last_content = line + 1
        elif not text.strip():
            items[-1][1].append("")
            first_as_para = last_is_blank = True
        else:
            break
        line += 1
    for first, lines, ial, as_para in items:
        _push_definition(state, first, lines, ial, as_para)
    return line, last_content


def _first_line(marker: int, content: str) -> tuple[int, str]:
    """The indentation of a definition's text (4 when the first line holds at most an IAL)."""
    if not content.strip() or _ITEM_IAL.fullmatch(content):
        return 4, content
    return marker + _indent(content), content


def _push_definition(state: StateBlock, first: int, lines: list[str], ial: tuple[dict[str, str], list[str]], as_para: bool) -> None:
    """Parse one definition's text as blocks inside ``<dd>`` (*ial*: its IAL's attributes and references)."""
    dd = state.push("dd_open", "dd", 1)
    dd.map = [first, first + len(lines)]
    apply_ial(dd, *ial)
    begin = len(state.tokens)
    nested = StateBlock("\n".join(lines) + "\n", state.md, state.env, state.tokens)
    nested.level = state.level
    state.md.block.tokenize(nested, 0, nested.lineMax)
    for token in state.tokens[begin:]:
        if token.map:
            token.map = [token.map[0] + first, token.map[1] + first]
    if not as_para and len(state.tokens) > begin + 2 and state.tokens[begin].type == "paragraph_open":
        state.tokens[begin].hidden = True
        state.tokens[begin + 2].hidden = True
    state.push("dd_close", "dd", -1)


def _basic_id(text: str) -> str:
    """kramdown's ``basic_generate_id``."""
    return _ID_DROPPED.sub("", _ID_LEADING.sub("", text)).replace(" ", "-").lower()


def term_ids(state: StateCore) -> None:
    """``{:auto_ids}`` on a list: ids for its terms that have none."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "dl_open":
            continue
        prefix = None
        for ref in token.meta.get("ial_refs", []):
            match = _AUTO_IDS.match(ref)
            if match:
                prefix = match.group(1) or ""
                break
        if prefix is None:
            continue
        for inner in tokens[index + 1 :]:
            if inner.type == "dl_close" and inner.level == token.level:
                break
            if inner.type == "dt_open" and inner.level == token.level + 1 and not inner.attrGet("id"):
                inner.attrSet("id", prefix + _basic_id(str(inner.meta.get("raw_text", ""))))


def definition_lists_plugin(md: MarkdownIt) -> None:
    """Register kramdown's definition lists on *md* (after the attributes plugin)."""
    md.block.ruler.before("paragraph", "kramdown_deflist", definition_list_rule, {"alt": ["paragraph"]})
    if "kramdown_attach_ial" in md.core.ruler.get_all_rules():
        md.core.ruler.after("kramdown_attach_ial", "kramdown_term_ids", term_ids)
    else:
        md.core.ruler.push("kramdown_term_ids", term_ids)
