"""Jekyll's ``{% highlight lang [linenos] %}…{% endhighlight %}``.

Emits Jekyll's ``<figure class="highlight"><pre><code class="language-x"
data-lang="x">`` markup, with Rouge's table layout for line numbers.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, TextIO

from liquid.ast import BlockNode, Node
from liquid.exceptions import LiquidSyntaxError
from liquid.parser import get_parser
from liquid.stream import TokenStream
from liquid.tag import Tag
from liquid.token import TOKEN_EOF, TOKEN_EXPRESSION, TOKEN_TAG, Token

from ..common.text import escape_html
from ..kramdown.code import highlight_code
from .stash import context_stash

if TYPE_CHECKING:
    from liquid.context import RenderContext

_SYNTAX = re.compile(r"^\s*([\w+#-]+)((?:\s+\w+(?:=\S+)?)*)\s*$")


def highlight_html(code: str, language: str, linenos: bool) -> str:
    code = code.strip("\n") + "\n"
    highlighted = highlight_code(code, language)
    if highlighted is None:
        highlighted = escape_html(code)
    if not linenos:
        highlighted = highlighted.rstrip("\n")
    if linenos:
        count = code.count("\n")
        gutter = "".join(f"{number}\n" for number in range(1, count + 1))
        highlighted = (
            '<table class="rouge-table"><tbody><tr><td class="gutter gl">'
            f'<pre class="lineno">{gutter}</pre></td><td class="code"><pre>{highlighted}</pre></td></tr></tbody></table>'
        )
    language = escape_html(language)
    return f'<figure class="highlight"><pre><code class="language-{language}" data-lang="{language}">{highlighted}</code></pre></figure>'


class HighlightNode(Node):
    __slots__ = ("block", "language", "linenos")

    def __init__(self, token: Token, language: str, linenos: bool, block: BlockNode):
        super().__init__(token)
        self.language = language
        self.linenos = linenos
        self.block = block
        self.blank = False

    def __str__(self) -> str:
        return f"{{% highlight {self.language} %}}"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        inner = context.get_buffer(buffer)
        self.block.render(context, inner)
        html = highlight_html(inner.getvalue(), self.language, self.linenos)
        stash = context_stash(context)
        buffer.write(stash.store(html) if stash is not None else html)
        return True


class HighlightTag(Tag):
    name = "highlight"
    end = "endhighlight"
    block = True

    def parse(self, stream: TokenStream) -> Node:
        token = stream.eat(TOKEN_TAG)
        expression = stream.current
        match = _SYNTAX.match(expression.value) if expression.kind == TOKEN_EXPRESSION else None
        if not match:
            raise LiquidSyntaxError("highlight needs a language: {% highlight ruby [linenos] %}", token=token)
        next(stream)
        options = match.group(2).split()
        block = get_parser(self.env).parse_block(stream, (self.end, TOKEN_EOF))
        stream.expect(TOKEN_TAG, value=self.end)
        return HighlightNode(token, match.group(1), any(o.startswith("linenos") for o in options), block)
