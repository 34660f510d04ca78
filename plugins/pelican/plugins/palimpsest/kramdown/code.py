"""Code blocks and code spans with the markup Jekyll's Rouge integration emits.

Highlighting is Pygments (its HTML token classes are the ones Rouge copied),
inside Jekyll's wrappers: ``<div class="language-x highlighter-rouge"><div
class="highlight"><pre class="highlight"><code>``.  A fence without a
language gets Jekyll's ``default_lang: plaintext``; a language no lexer
knows falls back to a bare ``<pre><code class="language-x">``, as Rouge does.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def highlight_code(code: str, language: str) -> str | None:
    """Highlighted HTML for *code*, or None if *language* is unknown."""
    if language.lower() in PLAIN:
        return escape_html(code)
    lexer = find_lexer(language.lower())
    if lexer is None:
        return None
    return highlight(code, lexer, _FORMATTER)


def code_block_html(code: str, language: str | None, default_language: str = "plaintext") -> str:
    language = language or default_language
    highlighted = highlight_code(code, language)
    if highlighted is None:
        return f'<pre><code class="language-{escape_html(language)}">{escape_html(code)}</code></pre>\n'
    return (
        f'<div class="language-{escape_html(language)} highlighter-rouge">'
        f'<div class="highlight"><pre class="highlight"><code>{highlighted}</code></pre></div></div>\n'
    )


def render_fence(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    language = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else None
    html = code_block_html(token.content, language)
    if token.attrs:
        attrs = "".join(f' {k}="{escape_html(str(v))}"' for k, v in token.attrs.items())
        html = html.replace("<div", f"<div{attrs}", 1) if html.startswith("<div") else html.replace("<pre", f"<pre{attrs}", 1)
    return html


def render_code_inline(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    token.attrJoin("class", "language-plaintext highlighter-rouge")
    return f"<code{self.renderAttrs(token)}>{escape_html(token.content)}</code>"


def code_plugin(md: MarkdownIt) -> None:
    md.add_render_rule("fence", render_fence)
    md.add_render_rule("code_block", render_fence)
    md.add_render_rule("code_inline", render_code_inline)
