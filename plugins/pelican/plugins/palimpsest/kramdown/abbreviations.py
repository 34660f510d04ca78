"""kramdown abbreviations: ``*[CSS]: Cascading Style Sheets`` anywhere in the
document wraps every whole-word ``CSS`` of the text in ``<abbr title="…">``.

A definition is an (invisible) block, so a block IAL before or after it
(``{:.note}``) gives its ``<abbr>`` elements those attributes, as in kramdown."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..common.text import escape_html

_DEFINITION = re.compile(r"\*\[([^\]\n]+)\]:[ \t]*(.*?)[ \t]*$")


def abbreviation_definition(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    match = _DEFINITION.match(state.src, state.bMarks[start] + state.tShift[start], state.eMarks[start])
    if not match:
        return False
    if not silent:
        state.env.setdefault("abbreviations", {})[match.group(1)] = match.group(2)
        token = state.push(_DEFINITION_TOKEN + "_open", "", 1)
        token.map, token.hidden = [start, start + 1], True
        state.env.setdefault("abbreviation_blocks", {})[match.group(1)] = token
        state.push(_DEFINITION_TOKEN + "_close", "", -1).hidden = True
    state.line = start + 1
    return True


_DEFINITION_TOKEN = "kramdown_abbreviation_definition"


def _attributes(state: StateCore, name: str) -> str:
    """The attributes block IALs gave the definition of *name* (besides ``title``)."""
    block = (state.env.get("abbreviation_blocks") or {}).get(name)
    if not isinstance(block, Token) or not block.attrs:
        return ""
    return "".join(f' {key}="{escape_html(str(value))}"' for key, value in block.attrs.items() if key != "title")


def replace_abbreviations(state: StateCore) -> None:
    definitions: dict[str, str] = state.env.get("abbreviations") or {}
    if not definitions:
        return
    names = sorted(definitions, key=len, reverse=True)
    pattern = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(re.escape(n) for n in names) + r")(?![A-Za-z0-9_])")
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        for child in block.children:
            if child.type != "text" or not pattern.search(child.content):
                children.append(child)
                continue
            position = 0
            for match in pattern.finditer(child.content):
                if match.start() > position:
                    children.append(_text(child.content[position : match.start()]))
                title = definitions[match.group(1)]
                html = Token("html_inline", "", 0)
                attribute = f' title="{escape_html(title)}"' if title else ""
                html.content = f"<abbr{_attributes(state, match.group(1))}{attribute}>{escape_html(match.group(1))}</abbr>"
                children.append(html)
                position = match.end()
            if position < len(child.content):
                children.append(_text(child.content[position:]))
        block.children = children


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def abbreviations_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("reference", "kramdown_abbreviations", abbreviation_definition, {"alt": ["paragraph"]})
    md.core.ruler.after("text_join", "kramdown_abbreviations", replace_abbreviations)
    for suffix in ("_open", "_close"):
        md.add_render_rule(_DEFINITION_TOKEN + suffix, lambda *args: "")
