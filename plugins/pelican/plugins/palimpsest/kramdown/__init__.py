"""Markdown rendered exactly as kramdown (GFM input) renders it, on markdown-it-py.

Each kramdown behaviour is a small plugin in its own module; ``create_parser``
assembles them.  The parser is built once per set of options and reused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin

from .abbreviations import abbreviations_plugin
from .attributes import attributes_plugin
from .code import code_plugin
from .footnotes import footnotes_plugin
from .headings import headings_plugin
from .html_blocks import html_blocks_plugin
from .links import links_plugin
from .lists import lists_plugin
from .math import math_plugin
from .tables import tables_plugin
from .tasklists import tasklists_plugin
from .toc import toc_plugin
from .typography import QUOTES, typography_plugin


@dataclass(frozen=True)
class KramdownOptions:
    """The subset of kramdown's options that changes the HTML (``kramdown:`` in ``_config.yml``)."""

    auto_ids: bool = True
    hard_wrap: bool = False
    footnote_nr: int = 1
    smart_quotes: tuple[str, str, str, str] = ("lsquo", "rsquo", "ldquo", "rdquo")
    toc_levels: tuple[int, ...] = (1, 2, 3, 4, 5, 6)

    @classmethod
    def from_config(cls, config: dict[str, object] | None) -> KramdownOptions:
        config = config or {}
        quotes = config.get("smart_quotes")
        if isinstance(quotes, str):
            parsed = tuple(part.strip() for part in quotes.split(","))
        elif isinstance(quotes, (list, tuple)):
            parsed = tuple(str(part) for part in quotes)
        else:
            parsed = cls.smart_quotes
        return cls(
            toc_levels=_levels(config.get("toc_levels")) or cls.toc_levels,
            auto_ids=bool(config.get("auto_ids", True)),
            hard_wrap=bool(config.get("hard_wrap", False)),
            footnote_nr=int(config.get("footnote_nr", 1) or 1),  # type: ignore[call-overload]
            smart_quotes=parsed if len(parsed) == 4 else cls.smart_quotes,  # type: ignore[arg-type]
        )


def _levels(value: object) -> tuple[int, ...]:
    """kramdown's ``toc_levels``: ``1..3``, ``2,3`` or a list."""
    if isinstance(value, (list, tuple)):
        return tuple(int(v) for v in value if str(v).isdigit())
    text = str(value or "")
    if ".." in text:
        low, _, high = text.partition("..")
        if low.strip().isdigit() and high.strip().isdigit():
            return tuple(range(int(low), int(high) + 1))
    return tuple(int(part) for part in text.split(",") if part.strip().isdigit())


_ENTITY_CHARS = {"lsquo": "\u2018", "rsquo": "\u2019", "ldquo": "\u201c", "rdquo": "\u201d",
                 "laquo": "\u00ab", "raquo": "\u00bb", "sbquo": "\u201a", "bdquo": "\u201e",
                 "lsaquo": "\u2039", "rsaquo": "\u203a", "apos": "'", "quot": '"'}


Plugin = Callable[[MarkdownIt], None]


@lru_cache(maxsize=32)
def create_parser(options: KramdownOptions = KramdownOptions(), extensions: tuple[Plugin, ...] = ()) -> MarkdownIt:
    """A markdown-it parser configured to behave like kramdown with *options*.

    *extensions* are this project's own enhancements (notices, updates…),
    applied after kramdown's behaviours; without them the output is kramdown's.
    """
    md = MarkdownIt("commonmark", {"html": True, "breaks": options.hard_wrap, "xhtmlOut": True})
    md.enable("strikethrough")
    quotes = dict(QUOTES)
    for name, value in zip(("lsquo", "rsquo", "ldquo", "rdquo"), options.smart_quotes):
        quotes[name] = _ENTITY_CHARS.get(value, value)
    md.options["kramdown_quotes"] = quotes
    md.options["kramdown_auto_ids"] = options.auto_ids
    md.options["kramdown_toc_levels"] = options.toc_levels
    for plugin in (
        html_blocks_plugin,
        attributes_plugin,
        typography_plugin,
        headings_plugin,
        toc_plugin,
        footnotes_plugin,
        math_plugin,
        code_plugin,
        tables_plugin,
        lists_plugin,
        tasklists_plugin,
        links_plugin,
        deflist_plugin,
        abbreviations_plugin,
    ):
        md.use(plugin)
    for extension in extensions:
        md.use(extension)
    md.add_render_rule("s_open", lambda *args: "<del>")
    md.add_render_rule("s_close", lambda *args: "</del>")
    return md


def render_markdown(
    text: str,
    options: KramdownOptions = KramdownOptions(),
    env: dict[str, object] | None = None,
    extensions: tuple[Plugin, ...] = (),
) -> str:
    """Render *text* to HTML as kramdown would (plus *extensions*)."""
    env = {} if env is None else env
    env.setdefault("footnote_nr", options.footnote_nr)
    return create_parser(options, extensions).render(text, env)
