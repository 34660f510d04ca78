"""Markdown rendered exactly as kramdown (GFM input) renders it, on markdown-it-py.

Each kramdown behaviour is a small plugin in its own module; ``create_parser``
assembles them.  The parser is built once per set of options and reused.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from markdown_it import MarkdownIt

from .abbreviations import abbreviations_plugin
from .attributes import attributes_plugin
from .autolinks import autolinks_plugin
from .blockquotes import blockquotes_plugin
from .code import code_plugin
from .codespans import codespans_plugin
from .definition_lists import definition_lists_plugin
from .emphasis import emphasis_plugin
from .end_of_block import end_of_block_plugin
from .escapes import escapes_plugin
from .extensions import document_options, extensions_plugin
from .fences import fences_plugin
from .footnotes import footnotes_plugin
from .headings import headings_plugin
from .html_blocks import html_blocks_plugin
from .indented_code import indented_code_plugin
from .line_breaks import line_breaks_plugin
from .links import links_plugin
from .lists import lists_plugin
from .math import math_plugin
from .options import DEFAULTS, KramdownOptions
from .paragraph_end import paragraph_end_plugin
from .span_html import span_html_plugin
from .standalone_images import standalone_images_plugin
from .strikethrough import strikethrough_plugin
from .tables import tables_plugin
from .tasklists import tasklists_plugin
from .toc import toc_plugin
from .typography import typography_plugin

Plugin = Callable[[MarkdownIt], None]


__all__ = ["KramdownOptions", "Plugin", "build_parser", "create_parser", "render_markdown"]


@lru_cache(maxsize=32)
def create_parser(options: KramdownOptions = DEFAULTS, extensions: tuple[Plugin, ...] = ()) -> MarkdownIt:
    """A markdown-it parser configured to behave like kramdown with *options*.

    *extensions* are this project's own enhancements (notices, updates…),
    applied after kramdown's behaviours; without them the output is kramdown's.
    The parser is shared (cached): use ``build_parser`` for one to change.
    """
    return build_parser(options, extensions)


def build_parser(options: KramdownOptions = DEFAULTS, extensions: tuple[Plugin, ...] = ()) -> MarkdownIt:
    """A new parser, as ``create_parser``'s, that the caller owns and may reconfigure."""
    md = MarkdownIt("commonmark", {"html": True, "xhtmlOut": True})
    md.enable("strikethrough")
    md.use(strikethrough_plugin)
    md.use(line_breaks_plugin, hard_wrap=options.hard_wrap)
    md.use(emphasis_plugin)
    md.use(autolinks_plugin)
    md.use(escapes_plugin)
    md.use(html_blocks_plugin, parse_block_html=options.parse_block_html)
    md.use(extensions_plugin)
    md.use(span_html_plugin, parse_span_html=options.parse_span_html)
    md.use(attributes_plugin)
    md.use(typography_plugin, quotes=options.smart_quotes, symbols=options.typographic_symbols)
    md.use(headings_plugin, auto_ids=options.auto_ids, auto_id_prefix=options.auto_id_prefix, header_offset=options.header_offset)
    md.use(toc_plugin, levels=options.toc_levels)
    md.use(footnotes_plugin, first_number=options.footnote_nr, backlink=options.footnote_backlink)
    md.use(code_plugin, default_lang=options.default_lang)
    for plugin in (
        math_plugin,
        fences_plugin,
        blockquotes_plugin,
        indented_code_plugin,
        codespans_plugin,
        tables_plugin,
        lists_plugin,
        end_of_block_plugin,
        standalone_images_plugin,
        tasklists_plugin,
        links_plugin,
        definition_lists_plugin,
        abbreviations_plugin,
        paragraph_end_plugin,
    ):
        md.use(plugin)
    for extension in extensions:
        md.use(extension)
    md.add_render_rule("s_open", lambda *args: "<del>")
    md.add_render_rule("s_close", lambda *args: "</del>")
    return md


def render_markdown(
    text: str,
    options: KramdownOptions = DEFAULTS,
    env: dict[str, object] | None = None,
    extensions: tuple[Plugin, ...] = (),
) -> str:
    """Render *text* to HTML as kramdown would (plus *extensions*)."""
    options = document_options(text, options)
    html: str = create_parser(options, extensions).render(text, {} if env is None else env)
    return html
