"""Liquid as Jekyll runs it, before Markdown: Jekyll's include syntax,
``highlight``, Jekyll's filters, and includes from the site then the theme."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from liquid import Environment, FileSystemLoader, Mode
from liquid.exceptions import LiquidError

from ..kramdown import KramdownOptions
from ..resources import INCLUDES_PATH
from .filters import JEKYLL_FILTERS
from .highlight_tag import HighlightTag
from .include_tag import BuiltinInclude, JekyllIncludeTag
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
        for name, function in JEKYLL_FILTERS.items():
            self.add_filter(name, function)


@lru_cache(maxsize=8)
def jekyll_environment(include_dirs: tuple[Path, ...]) -> JekyllEnvironment:
    """One environment per set of include folders, shared by every document of a site."""
    return JekyllEnvironment(include_dirs)


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
    if "{" not in source:
        return source
    template = environment.from_string(source)
    return template.render(**variables, _palimpsest_stash=stash, _palimpsest_kramdown=kramdown, _palimpsest_includes=includes)
