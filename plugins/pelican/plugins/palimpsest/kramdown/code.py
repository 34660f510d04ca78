"""Code blocks and code spans with the markup Jekyll's Rouge integration emits.

Highlighting is Pygments (its HTML token classes are the ones Rouge copied),
inside Jekyll's wrappers: ``<div class="language-x highlighter-rouge"><div
class="highlight"><pre class="highlight"><code>``.  A fence without a
language gets Jekyll's ``default_lang: plaintext`` (``syntax_highlighter_opts``'
``default_lang`` in kramdown's options, *default_lang* of ``code_plugin``); a language no lexer
knows falls back to a bare ``<pre><code class="language-x">``, as Rouge does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML, RendererProtocol
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from ..common.text import escape_html

PLAIN = frozenset({"plaintext", "text", "plain", "txt"})
_FORMATTER = HtmlFormatter(nowrap=True)


@lru_cache(maxsize=256)
def find_lexer(language: str) -> Lexer | None:
    """The Pygments lexer for *language*, or None when no lexer knows it."""
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


# A fence's or a highlight tag's language, as written (a guess: only used to load lexers early).
_NAMED_LANGUAGE = re.compile(r"^[ \t]*(?:`{3,}|~{3,})[ \t]*([\w+#.-]+)|\{%-?[ \t]*highlight[ \t]+([\w+#.-]+)", re.MULTILINE)


def preload_lexers(texts: Iterable[str]) -> None:
    """Load the lexers of the languages *texts* name, before worker processes are forked: each is then
    compiled once, by the parent (Pygments compiles a lexer's patterns when it is first made, ~20 ms
    for Python's), not once in every worker that meets it."""
    names = {name.lower() for text in texts for match in _NAMED_LANGUAGE.finditer(text) for name in match.groups() if name}
    for name in sorted(names - PLAIN):
        find_lexer(name)


def highlight_code(code: str, language: str) -> str | None:
    """Highlighted HTML for *code*, or None if *language* is unknown."""
    if language.lower() in PLAIN:
        return escape_html(code)
    lexer = find_lexer(language.lower())
    if lexer is None:
        return None
    return highlight(code, lexer, _FORMATTER)


def find_fancy_lexer(language: str) -> Lexer | None:
    """The lexer for Rouge's ``find_fancy`` name (``php?start_inline=1``), or None."""
    name, _, query = language.partition("?")
    if name.lower() == "php" and "start_inline=1" in query.split("&"):
        return _php_inline_lexer()
    return find_lexer(name.lower())


@lru_cache(maxsize=1)
def _php_inline_lexer() -> Lexer:
    return get_lexer_by_name("php", startinline=True, stripnl=False, ensurenl=False)


def rouge_html(code: str, language: str) -> str | None:
    """Rouge's formatting of *code* (its token spans, Pygments' classes), or None when unknown."""
    if language.partition("?")[0].lower() in PLAIN:
        return escape_html(code)
    lexer = find_fancy_lexer(language)
    if lexer is None:
        return None
    html = highlight(code, lexer, _FORMATTER)
    return html if code.endswith("\n") or not html.endswith("\n") else html[:-1]


_LANGUAGE_CLASS = re.compile(r"\blanguage-(\S+)")


def _code_language(attrs: dict[str, str], remove: bool) -> str | None:
    """kramdown's ``extract_code_language(!)``: the first ``language-x`` class."""
    match = _LANGUAGE_CLASS.search(attrs.get("class", ""))
    if match is None:
        return None
    if remove:
        classes = (attrs["class"][: match.start()] + attrs["class"][match.end() :]).strip()
        if classes:
            attrs["class"] = classes
        else:
            del attrs["class"]
    return match.group(1)


def _with_highlighter_class(attrs: dict[str, str], language: str) -> None:
    """kramdown's ``add_syntax_highlighter_to_class_attr``."""
    classes = (attrs.get("class", "") + " highlighter-rouge").lstrip()
    match = _LANGUAGE_CLASS.search(classes)
    if match is None:
        attrs["class"] = f"language-{language} {classes}"
    else:
        attrs["class"] = f"{classes[: match.start()]}language-{language}{classes[match.end() :]}"


def _attributes(attrs: dict[str, str]) -> str:
    return "".join(f' {name}="{escape_html(value)}"' for name, value in attrs.items())


def code_block_html(
    code: str,
    language: str | None,
    default_language: str = "plaintext",
    attrs: dict[str, str] | None = None,
) -> str:
    """kramdown's ``convert_codeblock`` with Rouge: *language* is the fence's word, *attrs* its IAL."""
    attrs = {name: str(value) for name, value in (attrs or {}).items()}
    class_language = _code_language(attrs, remove=True)
    highlighted = rouge_html(code, language or class_language or default_language)
    if highlighted is None:
        code_class = f' class="language-{escape_html(class_language)}"' if class_language else ""
        body = escape_html(code).removesuffix("\n")
        return f"<pre{_attributes(attrs)}><code{code_class}>{body}\n</code></pre>\n"
    _with_highlighter_class(attrs, class_language or default_language)
    return f'<div{_attributes(attrs)}><div class="highlight"><pre class="highlight"><code>{highlighted}</code></pre></div></div>\n'


def render_fence(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    language = token.meta.get("lang") if token.type == "fence" else None
    if language is None and token.type == "fence" and token.info.strip():
        language = token.info.strip().split(maxsplit=1)[0]
        token.attrJoin("class", f"language-{language}")
    attrs = {name: str(value) for name, value in token.attrs.items()}
    return code_block_html(token.content, language, options.get(DEFAULT_LANG) or "plaintext", attrs=attrs)


def render_code_inline(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    """kramdown's ``convert_codespan`` with Rouge (no wrapper, ``language-x`` kept)."""
    token = tokens[idx]
    attrs = {name: str(value) for name, value in token.attrs.items()}
    language = _code_language(attrs, remove=False) or options.get(DEFAULT_LANG) or "plaintext"
    highlighted = rouge_html(token.content, language)
    if highlighted is None:
        highlighted = escape_html(token.content)
    else:
        _with_highlighter_class(attrs, language)
    return f"<code{_attributes(attrs)}>{highlighted}</code>"


DEFAULT_LANG = "syntax_highlighter_default_lang"


def code_plugin(md: MarkdownIt, default_lang: str = "plaintext") -> None:
    """Rouge's markup for code; *default_lang* is ``syntax_highlighter_opts``' ``default_lang``."""
    md.options[DEFAULT_LANG] = default_lang
    md.add_render_rule("fence", render_fence)
    md.add_render_rule("code_block", render_fence)
    md.add_render_rule("code_inline", render_code_inline)
