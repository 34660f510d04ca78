"""Math as MathML at build time: formulas a browser draws without JavaScript.

kramdown writes ``$$…$$`` for MathJax (``\\(…\\)`` inline, ``\\[…\\]`` on its
own, see ``kramdown/math.py``); this feature renders the same tokens as
MathML Core with latex2mathml, the TeX kept as an annotation (for copying,
for screen readers, for a theme that still loads MathJax).  A formula
latex2mathml cannot convert, or converts into something that is not the
formula (an unknown command, an unbalanced brace, an environment it drops),
stays as kramdown's TeX, with a warning at its line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from functools import cache
from xml.etree.ElementTree import Element, SubElement, tostring

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from ..kramdown import math as kramdown_math

logger = logging.getLogger(__name__)

TEX_ENCODING = "application/x-tex"
_ENTITY = re.compile(r"&#x([0-9A-Fa-f]{1,6});")  # latex2mathml writes symbols as character references
_ENVIRONMENT = re.compile(r"\\begin\s*\{([^{}]*)\}")
_COMMAND_TOKEN = re.compile(r"\\[A-Za-z]")
_TOKEN_ELEMENTS = frozenset({"mi", "mn", "mo"})
_ARITY = {"mfrac": 2, "msup": 2, "msub": 2, "msubsup": 3, "mroot": 2, "munder": 2, "mover": 2, "munderover": 3}
_SHOWN_TEX = 60  # characters of a formula quoted in a warning


class MathError(ValueError):
    """A formula that does not become MathML; the message says why."""


@cache
def _latex2mathml() -> tuple[Callable[..., Element], frozenset[str]]:
    """latex2mathml's converter and the environments it knows, loaded with the first formula (a
    build with none spares the 40 ms of importing it)."""
    from latex2mathml.commands import MATRICES
    from latex2mathml.converter import convert_to_element

    return convert_to_element, frozenset(name.removeprefix("\\") for name in MATRICES)


def to_mathml(tex: str, *, display: bool) -> str:
    """*tex* as a ``<math>`` element, TeX kept as its annotation; MathError if it cannot be."""
    _check_source(tex)
    convert_to_element, _ = _latex2mathml()
    try:
        math = convert_to_element(tex, display="block" if display else "inline")
    except RecursionError:
        raise MathError("nested too deeply") from None
    except Exception as err:  # latex2mathml's dozen error classes share no base but Exception
        raise MathError(_reason(err)) from None
    _check_tree(math)
    presentation = list(math)
    for child in presentation:
        math.remove(child)
    semantics = SubElement(math, "semantics")
    semantics.extend(presentation)
    SubElement(semantics, "annotation", encoding=TEX_ENCODING).text = tex
    for element in math.iter():
        element.text = _characters(element.text)
        element.tail = _characters(element.tail)
    try:
        return tostring(math, encoding="unicode", short_empty_elements=False)
    except RecursionError:
        raise MathError("nested too deeply") from None


def _check_source(tex: str) -> None:
    """What latex2mathml accepts silently but drops: unbalanced braces, unknown environments."""
    depth = 0
    for match in re.finditer(r"\\.|[{}]", tex, re.DOTALL):
        if match.group() == "{":
            depth += 1
        elif match.group() == "}":
            depth -= 1
            if depth < 0:
                raise MathError("unbalanced '}'")
    if depth:
        raise MathError("unbalanced '{'")
    known = _latex2mathml()[1]
    for environment in _ENVIRONMENT.finditer(tex):
        if environment.group(1) not in known:
            raise MathError(f"unknown environment '{environment.group(1)}'")


def _check_tree(math: Element) -> None:
    """What latex2mathml outputs for a command it does not know, or an argument that is missing."""
    for element in math.iter():
        if element.tag in _TOKEN_ELEMENTS and element.text and _COMMAND_TOKEN.match(element.text):
            raise MathError(f"unknown command '{element.text}'")
        arity = _ARITY.get(element.tag)
        if arity is not None and len(element) != arity:
            raise MathError(f"missing argument to a {element.tag}")


def _reason(err: Exception) -> str:
    """latex2mathml's error in words: ``MissingSuperScriptOrSubscriptError`` → ``missing super script or subscript``."""
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", type(err).__name__.removesuffix("Error")).lower()
    return f"{words}: {err}" if str(err) else words


def _characters(text: str | None) -> str | None:
    """latex2mathml's character references as characters (the serializer escapes what must be)."""
    if not text:
        return text
    return _ENTITY.sub(_character, text)


def _character(reference: re.Match[str]) -> str:
    point = int(reference.group(1), 16)
    valid = 0 < point <= 0x10FFFF and not 0xD800 <= point <= 0xDFFF and (point >= 0x20 or point in (0x9, 0xA))
    return chr(point) if valid else reference.group()


def mark_lines(state: StateCore) -> None:
    """Each inline formula's line in the document, for a warning (inline tokens carry no map)."""
    for token in state.tokens:
        if token.type != "inline" or not token.map or not token.children:
            continue
        line = token.map[0]
        for child in token.children:
            if child.type == "math_inline":
                child.meta["line"] = line
            line += child.content.count("\n") + (child.type in ("softbreak", "hardbreak"))


def _file_line(token: Token, env: EnvType) -> str:
    path = str(env.get("source_path") or "<text>")
    line = token.map[0] if token.map else token.meta.get("line")
    return path if line is None else f"{path}:{int(env.get('line_offset', 0)) + line + 1}"


def _render(token: Token, env: EnvType, *, display: bool) -> str | None:
    try:
        return to_mathml(token.content, display=display)
    except MathError as err:
        tex = " ".join(token.content.split())
        shown = tex if len(tex) <= _SHOWN_TEX else tex[: _SHOWN_TEX - 1] + "…"
        logger.warning("%s: formula left as TeX (%s): %s", _file_line(token, env), err, shown)
        return None


def render_block(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    mathml = _render(tokens[idx], env, display=True)
    return kramdown_math.render_block(self, tokens, idx, options, env) if mathml is None else mathml + "\n"


def render_inline(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    mathml = _render(tokens[idx], env, display=False)
    return kramdown_math.render_inline(self, tokens, idx, options, env) if mathml is None else mathml


def mathml_plugin(md: MarkdownIt) -> None:
    """kramdown's math tokens rendered as MathML (``--plain`` and ``math: false`` keep kramdown's TeX)."""
    md.core.ruler.push("palimpsest_math_lines", mark_lines)
    md.add_render_rule("math_block", render_block)
    md.add_render_rule("math_inline", render_inline)


__all__ = ["MathError", "mathml_plugin", "to_mathml"]
