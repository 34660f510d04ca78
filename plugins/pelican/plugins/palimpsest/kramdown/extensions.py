"""kramdown's extensions: ``{::comment}…{:/}``, ``{::nomarkdown}…{:/}``, ``{::options … /}``.

A block extension stands on lines of its own (the start tag, the body, the
stop tag ``{:/name}`` or ``{:/}``); a span extension sits inside a paragraph.
A comment becomes an HTML comment; ``nomarkdown`` is output as it is written
(unless its ``type`` names another output format than HTML); ``options``
disappears and sets kramdown options.  As in kramdown, an unknown extension,
a start tag without its stop tag, or a stray stop tag is plain text; so is
every extension where raw HTML is off (a table cell's Markdown), as
``comment`` and ``nomarkdown`` write HTML.

Of the options, those the converter reads apply to the whole document, as in
kramdown (it merges the document's options before converting):
``document_options`` finds them before parsing.  Those the parser reads apply
from the tag onward, in kramdown's order: all blocks are parsed before any
span, so ``parse_block_html`` holds from its block tag on, and
``parse_span_html`` set in a block tag holds for every span of the document
(``parser_option`` reads the value in force).  Unknown options and those
this project does not implement are ignored, as kramdown ignores unknown ones.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from .options import KramdownOptions, default_lang

_ANY = r"(?:\\\}|[^}])"
_START = rf"\{{::(\w+)(?:\s({_ANY}*?)|)(/)?\}}"
_STOP = r"\{:/(\w[\w-]*)?\}"
_TAG = re.compile(rf"{_START}|{_STOP}")
_BLOCK_TAG = re.compile(rf" {{0,3}}(?:{_START}|{_STOP})\s*")
_PAIR = re.compile(r"(?:\A|\s)(\w[\w-]*)=(\"|')((?:\\\}|\\\2|(?!\2)[^}])*?)\2(?=\s|\Z)")
_OPTIONS = re.compile(rf"\{{::options\s({_ANY}*?)/\}}")
NAMES = frozenset({"comment", "nomarkdown", "options"})
PARSER_OPTIONS = ("parse_block_html", "parse_span_html")
"""kramdown's options read while parsing: each parser's value is ``md.options[name]``, a document's
``{::options}`` tags change it in ``env[name]`` from the tag on."""


def attribute_pairs(text: str) -> dict[str, str]:
    """The ``key="value"`` pairs of an extension's start tag."""
    return {match.group(1): match.group(3) for match in _PAIR.finditer(text or "")}


def _is_html(attributes: str | None) -> bool:
    types = attribute_pairs(attributes or "").get("type", "").split()
    return not types or "html" in types


def document_options(text: str, options: KramdownOptions) -> KramdownOptions:
    """*options* with those set by the document's ``{::options … /}`` tags (the last one wins)."""
    if "{::options" not in text:
        return options
    changes: dict[str, Any] = {}
    for match in _OPTIONS.finditer(text):
        for key, value in attribute_pairs(match.group(1)).items():
            if key == "footnote_nr" and value.strip().isdigit():
                changes["footnote_nr"] = int(value)
            elif key in ("auto_ids", "hard_wrap") and value in ("true", "false"):
                changes[key] = value == "true"
            elif key == "auto_id_prefix":
                changes[key] = value
            elif key == "syntax_highlighter_opts" and (language := default_lang(_yaml_mapping(value))):
                changes["default_lang"] = language
    return dataclasses.replace(options, **changes) if changes else options


def _yaml_mapping(value: str) -> object:
    """A hash option's value (``{default_lang: ruby\\}``), read as kramdown reads it: YAML."""
    try:
        return YAML(typ="safe", pure=True).load(re.sub(r"\\([}\"'])", r"\1", value))
    except YAMLError:
        return None


def parser_option(md: MarkdownIt, env: Any, name: str) -> bool:
    """The value of the parser option *name* in force: the document's last tag so far, or the parser's."""
    value = env.get(name) if isinstance(env, dict) else None
    return bool(md.options.get(name, False) if value is None else value)


def _set_parser_options(env: Any, attributes: str | None, names: tuple[str, ...] = PARSER_OPTIONS) -> None:
    for key, value in attribute_pairs(attributes or "").items():
        if key in names and value in ("true", "false"):
            env[key] = value == "true"


def block_extension_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    begin = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith("{:", begin) or not state.md.options["html"]:
        return False
    line = state.src[state.bMarks[start] : state.eMarks[start]]
    match = _BLOCK_TAG.fullmatch(line)
    if not match or match.group(4) is not None or match.group(1) not in NAMES:
        return False
    name, attributes, closed = match.group(1), match.group(2), match.group(3)
    last = start
    if not closed:
        unclosed: dict[tuple[str, int], int] = state.env.setdefault("kramdown_unclosed_blocks", {})
        if start >= unclosed.get((name, end), end):
            return False  # a stop tag was already looked for, in vain, from an earlier line
        stop = re.compile(rf" {{0,3}}\{{:/(?:{name})?\}}[ \t]*")
        last = start + 1
        while last < end and not stop.fullmatch(state.src[state.bMarks[last] : state.eMarks[last]]):
            last += 1
        if last >= end:
            unclosed[(name, end)] = start
            return False
    if silent:
        return True
    state.line = last + 1
    if name == "options":
        _set_parser_options(state.env, attributes)
    if closed or name == "options":
        return True
    body = state.getLines(start + 1, last, state.blkIndent, False)
    if name == "comment":
        html = f"<!-- {body} -->\n"
    elif _is_html(attributes):
        html = f"{body}\n"
    else:
        return True
    token = state.push("html_block", "", 0)
    token.content = html
    token.map = [start, state.line]
    return True


def span_extension_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("{:", pos) or not state.md.options["html"]:
        return False
    match = _TAG.match(src, pos, state.posMax)
    if not match or match.group(4) is not None or match.group(1) not in NAMES:
        return False
    name, attributes, closed = match.group(1), match.group(2), match.group(3)
    end = match.end()
    body = ""
    if not closed:
        unclosed: dict[tuple[str, str, int], int] = state.env.setdefault("kramdown_unclosed_spans", {})
        key = (src, name, state.posMax)
        if end >= unclosed.get(key, state.posMax + 1):
            return False  # a stop tag was already looked for, in vain, from an earlier place
        stop = re.compile(rf"\{{:/(?:{name})?\}}").search(src, end, state.posMax)
        if not stop:
            unclosed[key] = end
            return False
        body, end = src[end : stop.start()], stop.end()
    if not silent and name == "options":
        _set_parser_options(state.env, attributes, ("parse_span_html",))  # blocks are all parsed by now
    if not silent and not closed and name != "options":
        if name == "comment":
            state.push("html_inline", "", 0).content = f"<!-- {body} -->"
        elif _is_html(attributes):
            state.push("html_inline", "", 0).content = body
    state.pos = end
    return True


def extensions_plugin(md: MarkdownIt) -> None:
    """kramdown's ``comment``, ``nomarkdown`` and ``options`` extensions, block and span."""
    md.block.ruler.before("table", "kramdown_extension", block_extension_rule)
    md.inline.ruler.before("escape", "kramdown_extension", span_extension_rule)
