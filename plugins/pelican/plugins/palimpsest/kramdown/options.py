"""kramdown's options that change the HTML, with Jekyll's defaults, written once.

``KramdownOptions`` holds the ``kramdown:`` section of ``_config.yml``;
``create_parser`` hands each field to the plugin that implements it as a
keyword argument (``typography_plugin(md, quotes=...)``), and each plugin's
own default is the field's default here (``DEFAULTS``).

Under kramdown's GFM parser (Jekyll's), ``auto_id_stripping`` is always on
and ``transliterated_header_ids`` is never used (heading ids are the GFM
parser's, not the converter's), so neither is an option here.
"""

from __future__ import annotations

import html.entities
import re
from collections.abc import Mapping
from dataclasses import dataclass

TYPOGRAPHIC_SYMBOLS = ("hellip", "mdash", "ndash", "laquo", "raquo", "laquo_space", "raquo_space")
"""The names kramdown's ``typographic_symbols`` may give a text of their own."""

SmartQuotes = tuple[str, str, str, str]
"""kramdown's ``smart_quotes``: entity names or code points of the left and
right single quotes and the left and right double quotes, in that order."""


@dataclass(frozen=True)
class KramdownOptions:
    """The subset of kramdown's options that changes the HTML (``kramdown:`` in ``_config.yml``)."""

    auto_ids: bool = True
    auto_id_prefix: str = ""
    hard_wrap: bool = False
    footnote_nr: int = 1
    smart_quotes: SmartQuotes = ("lsquo", "rsquo", "ldquo", "rdquo")
    toc_levels: tuple[int, ...] = (1, 2, 3, 4, 5, 6)
    parse_block_html: bool = False
    parse_span_html: bool = True
    default_lang: str = "plaintext"  # ``syntax_highlighter_opts: {default_lang: …}``, Jekyll's default
    header_offset: int = 0
    footnote_backlink: str = "&#8617;"
    typographic_symbols: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_config(cls, config: Mapping[str, object] | None) -> KramdownOptions:
        """The options of a ``kramdown:`` mapping, as kramdown reads them; invalid values keep the default."""
        config = config or {}
        return cls(
            auto_ids=bool(config.get("auto_ids", DEFAULTS.auto_ids)),
            auto_id_prefix=str(config.get("auto_id_prefix") or DEFAULTS.auto_id_prefix),
            hard_wrap=bool(config.get("hard_wrap", DEFAULTS.hard_wrap)),
            footnote_nr=_integer(config.get("footnote_nr")) or DEFAULTS.footnote_nr,
            smart_quotes=_smart_quotes(config.get("smart_quotes")) or DEFAULTS.smart_quotes,
            toc_levels=toc_levels(config.get("toc_levels")) or DEFAULTS.toc_levels,
            parse_block_html=bool(config.get("parse_block_html", DEFAULTS.parse_block_html)),
            parse_span_html=bool(config.get("parse_span_html", DEFAULTS.parse_span_html)),
            default_lang=default_lang(config.get("syntax_highlighter_opts")) or DEFAULTS.default_lang,
            header_offset=_signed_integer(config.get("header_offset")) or DEFAULTS.header_offset,
            footnote_backlink=_text(config.get("footnote_backlink"), DEFAULTS.footnote_backlink),
            typographic_symbols=_typographic_symbols(config.get("typographic_symbols")) or DEFAULTS.typographic_symbols,
        )


DEFAULTS = KramdownOptions()


def _integer(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def _signed_integer(value: object) -> int | None:
    """An integer that may be negative (``header_offset: -1``)."""
    text = str(value).strip() if isinstance(value, str) else ""
    if text.startswith("-") and text[1:].isdigit():
        return -int(text[1:])
    return _integer(value)


def _text(value: object, default: str) -> str:
    return default if value is None else str(value)


def _typographic_symbols(value: object) -> tuple[tuple[str, str], ...]:
    """kramdown's ``typographic_symbols``: a mapping of symbol names (``hellip``) to their text."""
    if not isinstance(value, Mapping):
        return ()
    texts = {str(name): "" if text is None else str(text) for name, text in value.items()}
    return tuple((name, texts[name]) for name in TYPOGRAPHIC_SYMBOLS if name in texts)


def default_lang(value: object) -> str:
    """``default_lang`` of kramdown's ``syntax_highlighter_opts`` (a mapping); empty if unset."""
    language = value.get("default_lang") if isinstance(value, Mapping) else None
    return str(language).strip() if isinstance(language, (str, int)) and not isinstance(language, bool) else ""


def _smart_quotes(value: object) -> SmartQuotes | None:
    """``lsquo,rsquo,ldquo,rdquo``, or a list of four names or code points."""
    if isinstance(value, str):
        parts = [part.strip() for part in value.split(",")]
    elif isinstance(value, (list, tuple)):
        parts = [str(part).strip() for part in value]
    else:
        return None
    if len(parts) != 4:
        return None
    return parts[0], parts[1], parts[2], parts[3]


def toc_levels(value: object) -> tuple[int, ...]:
    """kramdown's ``toc_levels``: ``1..3``, ``2,3`` or a list; empty if invalid."""
    if isinstance(value, (list, tuple)):
        levels = [_integer(v) for v in value]
    else:
        text = str(value or "").strip()
        low, dots, high = text.partition("..")
        if dots and low.isdigit() and high.isdigit():
            levels = list(range(int(low), int(high) + 1))
        else:
            levels = [_integer(part) for part in text.split(",")]
    unique = tuple(dict.fromkeys(level for level in levels if level is not None))
    return unique if unique and all(1 <= level <= 6 for level in unique) else ()


def entity_char(entity: str) -> str:
    """The character of a kramdown entity given by name (``laquo``) or code point (``171``)."""
    if entity.isdigit():
        return chr(int(entity))
    return html.entities.html5.get(f"{entity};", entity)


_REFERENCE = re.compile(r"&(?:[A-Za-z_:][\w:.-]*|#\d+|#x[0-9a-fA-F]+);")


def option_text(value: str) -> str:
    """An option's text (``footnote_backlink``, ``typographic_symbols``) as characters.

    kramdown escapes ``<``, ``>`` and ``&`` in it but keeps entity references
    (``&#8617;``, ``&ndash;``) as written: those are decoded here, the rest is text.
    """
    return _REFERENCE.sub(lambda match: html.unescape(match.group()), value)
