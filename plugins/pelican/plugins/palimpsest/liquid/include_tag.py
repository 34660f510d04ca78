"""Jekyll's ``{% include name key="value" other=variable %}``.

Shopify's include (python-liquid's built-in) quotes the name and uses
``key: value``; Jekyll's takes a bare file name and ``key=value`` pairs that
the include reads as ``include.key``.  Names are looked up in the site's
``_includes/`` first, then the theme's, and may not leave those folders;
names found in neither may be served by Python code given in the Liquid
global ``_palimpsest_includes`` (name -> function of the parameters).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from liquid import FileSystemLoader
from liquid.ast import Node
from liquid.builtin.expressions import parse_primitive, tokenize
from liquid.exceptions import ContextDepthError, LiquidError, LiquidSyntaxError, TemplateNotFoundError
from liquid.stream import TokenStream
from liquid.tag import Tag
from liquid.token import TOKEN_EXPRESSION, TOKEN_TAG, Token

from ..build.recording import note_file, recording_now
from .stash import context_stash
from .where import in_include

if TYPE_CHECKING:
    from liquid.context import RenderContext
    from liquid.expression import Expression
    from liquid.template import BoundTemplate

_NAME = re.compile(r"\s*((?:\{\{.*?\}\}|[^\s{])+)")
_PARAM = re.compile(r"""\s*([\w-]+)\s*=\s*("(?:\\.|[^"])*"|'(?:\\.|[^'])*'|[\w.\[\]'"-]+)""")
_VALID_NAME = re.compile(r"^[\w/.\-]+$")

# An include written in Python: the evaluated parameters and the tag's token
# (for errors at the tag's line) -> HTML.
BuiltinInclude = Callable[[dict[str, Any], Token], str]


class JekyllIncludeNode(Node):
    __slots__ = ("name", "params")

    def __init__(self, token: Token, name: str, params: dict[str, Expression]):
        super().__init__(token)
        self.name = name
        self.params = params
        self.blank = False

    def __str__(self) -> str:
        return f"{{% include {self.name} %}}"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        name = self.name
        if "{{" in name:
            name = context.env.from_string(name).render(**dict(context.globals))
        check_include_name(name, self.token)
        self.note_files(context, name)
        try:
            template = self.template(context, name)
        except UnicodeDecodeError:
            raise LiquidError(_undecodable(self.file(context, name), name), token=self.token) from None
        except TemplateNotFoundError as err:
            builtins = context.globals.get("_palimpsest_includes")
            builtin = builtins.get(name) if isinstance(builtins, dict) else None
            if builtin is None:
                raise TemplateNotFoundError(f"include file not found: {name!r}", token=self.token) from err
            html = builtin(self._evaluate(context), self.token)
        except LiquidError as err:  # the include does not parse
            raise in_include(err, name, self.file(context, name), _include_source(self.file(context, name)), self.token) from None
        else:
            out = context.get_buffer(buffer)
            try:
                with context.extend({"include": self._evaluate(context)}, template=template):
                    try:
                        template.render_with_context(context, out, partial=True)
                    except LiquidError as err:
                        path = self.file(context, name)
                        raise in_include(err, name, path, _include_source(path), self.token) from None
            except ContextDepthError:
                message = "includes nested too deep: does an include include itself without end?"
                raise ContextDepthError(message, token=self.token) from None
            html = out.getvalue()
        stash = context_stash(context)
        if stash is not None and html.lstrip().startswith("<") and "markdown=" not in html:
            html = stash.store(html)
        buffer.write(html)
        return True

    def template(self, context: RenderContext, name: str) -> BoundTemplate:
        """The include's template (``include_relative`` reads another folder)."""
        return context.env.get_template(name, context=context, tag="include")

    def file(self, context: RenderContext, name: str) -> Path | None:
        """The file the include *name* is read from, when known."""
        return _include_path(context, name)

    def note_files(self, context: RenderContext, name: str) -> None:
        """For the content cache (build/recording.py): the files looked at for *name*, up to the one
        found (a file added later in an earlier folder would hide it)."""
        if not recording_now():
            return
        if type(self).file is not JekyllIncludeNode.file:  # another lookup (include_relative): its one file
            file = self.file(context, name)
            if file is not None:
                note_file(file)
            return
        loader = context.env.loader
        for folder in loader.search_path if isinstance(loader, FileSystemLoader) else ():
            note_file(folder / name)
            if (folder / name).is_file():
                return

    def _evaluate(self, context: RenderContext) -> dict[str, Any]:
        return {key: value.evaluate(context) for key, value in self.params.items()}


def _include_path(context: RenderContext, name: str) -> Path | None:
    """The file the include *name* is read from, when the loader reads files."""
    loader = context.env.loader
    if not isinstance(loader, FileSystemLoader):
        return None
    try:
        return Path(loader.resolve_path(name))
    except TemplateNotFoundError:
        return None


def _include_source(path: Path | None) -> str:
    """The include's text (to find the line of a block it never closes)."""
    try:
        return path.read_text(encoding="utf-8") if path is not None else ""
    except (OSError, UnicodeDecodeError):
        return ""


def _undecodable(path: Path | None, name: str) -> str:
    """Where the include file *name* is not UTF-8: its ``file:line`` and the byte."""
    if path is None:
        return f"include file {name!r} is not valid UTF-8"
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        return f"{path}:{line}: include file not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})"
    return f"include file {name!r} is not valid UTF-8"


def check_include_name(name: str, token: Token) -> None:
    """Reject names that would read outside the includes folders, as Jekyll does."""
    if not _VALID_NAME.match(name) or ".." in name.split("/") or name.startswith("/"):
        raise LiquidSyntaxError(
            f"invalid include name {name!r}: it may not contain '..', start with '/' "
            "or hold characters other than letters, digits, '_', '-', '.' and '/'",
            token=token,
        )


class JekyllIncludeTag(Tag):
    name = "include"
    block = False
    node_class: type[JekyllIncludeNode] = JekyllIncludeNode

    def parse(self, stream: TokenStream) -> Node:
        token = stream.eat(TOKEN_TAG)
        expression = stream.current
        if expression.kind != TOKEN_EXPRESSION:
            raise LiquidSyntaxError("include needs a file name", token=token)
        text = expression.value
        match = _NAME.match(text)
        if not match:
            raise LiquidSyntaxError("include needs a file name", token=token)
        name = match.group(1)
        if "{{" not in name:
            check_include_name(name, token)
        params: dict[str, Expression] = {}
        pos = match.end()
        while pos < len(text) and text[pos:].strip():
            param = _PARAM.match(text, pos)
            if not param:
                raise LiquidSyntaxError(
                    f'invalid include parameters {text[pos:].strip()!r}: expected key="value" or key=variable',
                    token=token,
                )
            value_tokens = TokenStream(tokenize(param.group(2), parent_token=expression))
            params[param.group(1)] = parse_primitive(self.env, value_tokens)
            pos = param.end()
        return self.node_class(token, name, params)
