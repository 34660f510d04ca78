"""HTML for a table (one version) and for the comparison of versions.

Cells, labels, captions, sources and notes are inline Markdown read with
raw HTML switched off, so HTML in the front matter shows as text and never
reaches the page (escaping ``<`` beforehand would double-escape code spans).
Tables are accessible: a ``<caption>`` with the date, header cells with
``scope``, states written out as words rather than shown by colour only.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import cast
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt

from ..common.languages import primary_subtag
from ..common.text import escape_html
from ..kramdown import KramdownOptions, build_parser
from . import words
from .compare import ComparedRow, cell_shift, compare, counts
from .model import Column, Label, Table, Version

_URL = re.compile(r"https?://\S+$")


def localize(label: Label, lang: object) -> str:
    """The text of *label* for *lang*: that language, else English, else the first given."""
    if isinstance(label, str):
        return label
    by_language: dict[str, str] = {}
    for code, text in label.items():
        by_language.setdefault(primary_subtag(code), text)
    return by_language.get(primary_subtag(lang)) or by_language.get("en") or next(iter(label.values()))


def render_table(table: Table, version: Version, lang: object, md: MarkdownIt) -> str:
    """*version* of *table* as an HTML table, with its date, source and note."""
    as_of = words.as_of(version.as_of, lang) if version.as_of is not None else None
    head = "".join(f'<th scope="col"{_align(column)}>{_inline(localize(column.label, lang), md)}</th>' for column in table.columns)
    body = [
        "<tr>" + "".join(_cell(table, column, _inline(row[column.id], md)) for column in table.columns) + "</tr>" for row in version.rows
    ]
    return "\n".join(
        [
            '<div class="palimpsest-table">',
            "<table>",
            *_caption(table, lang, md, as_of),
            "<thead>",
            f"<tr>{head}</tr>",
            "</thead>",
            "<tbody>",
            *body,
            "</tbody>",
            "</table>",
            *_provenance(version, lang, md, dated=False),
            "</div>",
        ]
    )


def render_comparison(table: Table, versions: list[Version], lang: object, md: MarkdownIt) -> str:
    """The union of *versions*' rows, one column per version under each column of *table*.

    Changed cells show the old value in ``<del>`` and the new in ``<ins>``,
    with how far a date moved; a summary line above counts the row states.
    """
    dates = cast("list[dt.date]", [version.as_of for version in versions])  # an undated table has one version
    rows = compare(table, versions)
    key = next(column for column in table.columns if column.id == table.key)
    values = [column for column in table.columns if column.id != table.key]
    span = len(versions)
    groups = "<colgroup><col /></colgroup>" + "".join(f'<colgroup span="{span}"></colgroup>' for _ in values)
    top = f'<th scope="col" rowspan="2"{_align(key)}>{_inline(localize(key.label, lang), md)}</th>' + "".join(
        f'<th scope="colgroup" colspan="{span}"{_align(column)}>{_inline(localize(column.label, lang), md)}</th>' for column in values
    )
    dated = "".join(f'<th scope="col">{words.time_element(date, lang)}</th>' for date in dates) * len(values)
    body = [_compared_row(row, key, values, lang, md) for row in rows]
    return "\n".join(
        [
            '<div class="palimpsest-table palimpsest-comparison">',
            f'<p class="table-summary">{words.summary(counts(rows), lang)}</p>',
            "<table>",
            *_caption(table, lang, md, words.changes(dates[0], dates[-1], lang)),
            groups,
            "<thead>",
            f"<tr>{top}</tr>",
            f"<tr>{dated}</tr>",
            "</thead>",
            "<tbody>",
            *body,
            "</tbody>",
            "</table>",
            *(line for version in versions for line in _provenance(version, lang, md, dated=True)),
            "</div>",
        ]
    )


def _compared_row(row: ComparedRow, key: Column, values: list[Column], lang: object, md: MarkdownIt) -> str:
    state = f' <span class="table-state">{words.state(row.state, lang)}</span>' if row.state else ""
    header = f'<th scope="row"{_align(key)}>{_inline(row.key, md)}{state}</th>'
    cells = "".join(
        f"<td{_align(column)}>{_compared_cell(row.rows, index, column.id, lang, md)}</td>"
        for column in values
        for index in range(len(row.rows))
    )
    opening = f'<tr class="table-row--{row.state}">' if row.state else "<tr>"
    return f"{opening}{header}{cells}</tr>"


def _compared_cell(rows: list[dict[str, str] | None], index: int, column: str, lang: object, md: MarkdownIt) -> str:
    """The cell in version *index*, against the same cell in the version before it."""
    current = _value(rows[index], column)
    if index == 0:
        return _inline(current or "", md)
    previous = _value(rows[index - 1], column)
    if current == previous:
        return _inline(current or "", md)
    parts = []
    if previous:
        parts.append(f"<del>{_inline(previous, md)}</del>")
    if current:
        parts.append(f"<ins>{_inline(current, md)}</ins>")
    moved = cell_shift(previous, current) if previous and current else None
    if moved is not None:
        direction = "later" if moved.later else "earlier"
        parts.append(f'<span class="table-shift table-shift--{direction}">{words.moved(moved, lang)}</span>')
    return " ".join(parts)


def _value(row: dict[str, str] | None, column: str) -> str | None:
    return row[column] if row is not None else None


def _caption(table: Table, lang: object, md: MarkdownIt, dated: str | None) -> list[str]:
    text = _inline(localize(table.caption, lang), md) if table.caption is not None else ""
    if dated:
        text = f'{text} <span class="table-as-of">{dated}</span>'.strip()
    return [f"<caption>{text}</caption>"] if text else []


def _provenance(version: Version, lang: object, md: MarkdownIt, dated: bool) -> list[str]:
    """Where *version* comes from and what to know about it, under the table."""
    parts = []
    if version.source:
        parts.append(f'<span class="table-source">{words.source_label(lang)}{_source(version.source, md)}</span>')
    if version.note:
        parts.append(f'<span class="table-note">{_inline(version.note, md)}</span>')
    if not parts:
        return []
    if dated and version.as_of is not None:
        parts.insert(0, words.time_element(version.as_of, lang))
    return [f'<p class="table-provenance">{" ".join(parts)}</p>']


def _source(source: str, md: MarkdownIt) -> str:
    """A URL becomes a link named after its file (or host); anything else is inline Markdown."""
    if not _URL.match(source):
        return _inline(source, md)
    parts = urlsplit(source)
    name = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) or parts.netloc
    return f'<a href="{escape_html(source)}">{escape_html(name)}</a>'


def _cell(table: Table, column: Column, content: str) -> str:
    if column.id == table.key:
        return f'<th scope="row"{_align(column)}>{content}</th>'
    return f"<td{_align(column)}>{content}</td>"


def _align(column: Column) -> str:
    return f' style="text-align: {column.align}"' if column.align else ""


@lru_cache(maxsize=8)
def cell_parser(options: KramdownOptions) -> MarkdownIt:
    """kramdown's inline Markdown without raw HTML; a parser of its own, as ``create_parser``'s are shared."""
    md = build_parser(options)
    md.options["html"] = False
    return md


def _inline(text: str, md: MarkdownIt) -> str:
    return md.renderInline(text) if text else ""
