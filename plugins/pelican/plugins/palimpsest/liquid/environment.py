"""The Liquid environment as Jekyll runs it: Jekyll's include syntax, ``highlight``, ``post_url``,
``link``, ``include_relative``, ``gist``, Jekyll's filters, and includes from the site then the theme.

python-liquid's own resource limits (loop iterations, output size, assigned
variables' size) bound what one document may cost (``limits.py`` here): the
values come from :class:`~..limits.Limits`, and going beyond one is a Liquid
error naming the setting that raises it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from liquid import Environment, FileSystemLoader, Mode
from liquid.exceptions import LiquidError, LiquidSyntaxError, ResourceLimitError
from liquid.token import TOKEN_TAG, Token

from ..kramdown import KramdownOptions
from ..limits import Limits
from ..resources import INCLUDES_PATH
from . import has_liquid_markup
from .filters import JEKYLL_FILTERS
from .highlight_tag import HighlightTag
from .include_tag import BuiltinInclude, JekyllIncludeTag
from .jekyll_tags import GistTag, IncludeRelativeTag, LinkTag, PostUrlTag
from .limits import CountingTemplate, limit_error
from .stash import HtmlStash

__all__ = ["BuiltinInclude", "HtmlStash", "JekyllEnvironment", "LiquidError", "jekyll_environment", "render_liquid"]


class JekyllEnvironment(Environment):
    """A python-liquid environment with Jekyll's tags and filters."""

    def __init__(self, include_dirs: Sequence[Path]):
        dirs = [path for path in include_dirs if path.is_dir()]
        super().__init__(
            loader=FileSystemLoader(dirs or [INCLUDES_PATH]),
            tolerance=Mode.STRICT,
            strict_filters=False,
        )
        self.add_tag(JekyllIncludeTag)
        self.add_tag(HighlightTag)
        for tag in (PostUrlTag, LinkTag, IncludeRelativeTag, GistTag):
            self.add_tag(tag)
        for name, function in JEKYLL_FILTERS.items():
            self.add_filter(name, function)


DEFAULT_LIMITS = Limits()


@lru_cache(maxsize=8)
def jekyll_environment(include_dirs: tuple[Path, ...], limits: Limits = DEFAULT_LIMITS) -> JekyllEnvironment:
    """One environment per set of include folders and limits, shared by every document of a site."""
    return _limited(limits)(include_dirs)


@lru_cache(maxsize=8)
def _limited(limits: Limits) -> type[JekyllEnvironment]:
    """python-liquid reads its limits from class attributes: one subclass per set of limits."""

    class LimitedJekyllEnvironment(JekyllEnvironment):
        loop_iteration_limit = limits.liquid_loop
        output_stream_limit = limits.liquid_output
        local_namespace_limit = limits.liquid_locals
        template_class = CountingTemplate

    return LimitedJekyllEnvironment


def render_liquid(
    environment: JekyllEnvironment,
    source: str,
    variables: dict[str, Any],
    kramdown: KramdownOptions,
    stash: HtmlStash | None,
    includes: dict[str, BuiltinInclude] | None = None,
) -> str:
    """Render *source*; HTML from includes and ``highlight`` goes to *stash*.

    *includes* are includes written in Python, used when no include file
    has their name.
    """
    if not has_liquid_markup(source):  # the text is its own output
        return source
    _check_raw_blocks(source)
    template = environment.from_string(source)
    try:
        return template.render(**variables, _palimpsest_stash=stash, _palimpsest_kramdown=kramdown, _palimpsest_includes=includes)
    except ResourceLimitError as err:
        raise limit_error(err, environment) from None


_RAW_OPEN = re.compile(r"\{%-?\s*raw\s*-?%\}")
_RAW_CLOSE = re.compile(r"\{%-?\s*endraw\s*-?%\}")


def _check_raw_blocks(source: str) -> None:
    """Refuse a ``{% raw %}`` never closed before python-liquid's lexer sees it: the lexer rescans
    the rest of the text for every open ``raw`` (quadratic time on thousands of them)."""
    position = 0
    while (opening := _RAW_OPEN.search(source, position)) is not None:
        closing = _RAW_CLOSE.search(source, opening.end())
        if closing is None:
            token = Token(TOKEN_TAG, "raw", opening.start(), source)
            raise LiquidSyntaxError("raw block was never closed (no {% endraw %})", token=token)
        position = closing.end()
