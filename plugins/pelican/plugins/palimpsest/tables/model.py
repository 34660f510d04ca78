"""Tables kept as data in the front matter (``tables:``), parsed and checked.

Validation walks the values the front matter already holds; only when
something is wrong is the front matter read again with ruamel.yaml's
round-trip loader, whose nodes know their lines, so that the error names the
line of the offending key rather than the top of the file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ..common.dates import as_date
from ..errors import DocumentError
from ..jekyll.frontmatter import YamlPath, front_matter_line
from ..limits import SETTINGS, Limits

# A caption or label: one text, or one per language ({zh: 日期, fr: Date}).
Label = str | dict[str, str]

ALIGNMENTS = ("left", "center", "right")
_TABLE_KEYS = ("caption", "key", "columns", "rows", "versions")
_COLUMN_KEYS = ("id", "label", "align")
_VERSION_KEYS = ("as_of", "source", "note", "rows")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Column:
    id: str
    label: Label
    align: str | None = None


@dataclass(frozen=True)
class Version:
    """The table as one source published it; a table given as plain ``rows`` has one, undated."""

    as_of: dt.date | None
    rows: list[dict[str, str]]
    source: str | None = None
    note: str | None = None

    def row(self, key: str, key_column: str) -> dict[str, str] | None:
        """The row whose *key_column* holds *key*; indexed once, so that comparing versions is linear."""
        index = self._indexes.get(key_column)
        if index is None:
            index = self._indexes[key_column] = {}
            for row in self.rows:
                index.setdefault(row[key_column], row)
        return index.get(key)

    @cached_property
    def _indexes(self) -> dict[str, dict[str, dict[str, str]]]:
        return {}  # not a field: the page metadata (as_dict) never holds it


@dataclass(frozen=True)
class Table:
    id: str
    caption: Label | None
    key: str
    columns: list[Column]
    versions: list[Version]

    def version(self, as_of: str) -> Version | None:
        """The version dated *as_of* (``YYYY-MM-DD``)."""
        return next((v for v in self.versions if v.as_of is not None and v.as_of.isoformat() == as_of), None)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the page metadata (dates stay dates; the CLI writes them as ISO strings)."""
        return dataclasses.asdict(self)


class _Invalid(Exception):
    """A problem at *where*, a path of keys and indexes below ``tables``."""

    def __init__(self, where: YamlPath, message: str):
        super().__init__(message)
        self.where = where
        self.message = message


def load_tables(value: Any, path: Path, front_matter: str, limits: Limits | None = None) -> dict[str, Table]:
    """Parse the front matter's ``tables`` (*value*); errors name *path* and the line,
    found in *front_matter* (the YAML text).  *limits* bound rows and cells, so that
    rendering and comparing stay quick."""
    try:
        return _tables(value, limits or Limits())
    except _Invalid as err:
        raise DocumentError(path, front_matter_line(front_matter, ("tables", *err.where)), err.message) from None


def _tables(value: Any, limits: Limits) -> dict[str, Table]:
    if not isinstance(value, dict):
        raise _Invalid((), "tables must be a mapping of table ids to tables")
    return {str(table_id): _bounded(_table(str(table_id), spec, limits), limits) for table_id, spec in value.items()}


def _bounded(table: Table, limits: Limits) -> Table:
    """*table*, unless its cells, all versions together, are more than the limit."""
    cells = sum(len(version.rows) for version in table.versions) * len(table.columns)
    if cells > limits.table_cells:
        raise _Invalid(
            (table.id,),
            f"table {table.id!r} has {cells} cells, more than {limits.table_cells} (set {SETTINGS['table_cells']} to allow more)",
        )
    return table


def _table(table_id: str, spec: Any, limits: Limits) -> Table:
    where: YamlPath = (table_id,)
    _mapping(spec, where, f"table {table_id!r}", _TABLE_KEYS)
    columns = _columns(spec.get("columns"), (*where, "columns"), table_id)
    ids = [column.id for column in columns]
    key = spec.get("key")
    if key is None:
        raise _Invalid(where, f"table {table_id!r} needs a key: the column that identifies a row across versions")
    if str(key) not in ids:
        raise _Invalid((*where, "key"), f"key {key!r} of table {table_id!r} is not one of its columns ({', '.join(ids)})")
    key = str(key)
    if ("rows" in spec) == ("versions" in spec):
        raise _Invalid(where, f"table {table_id!r} needs either rows or versions (not both)")
    if "rows" in spec:
        versions = [Version(None, _rows(spec["rows"], (*where, "rows"), table_id, ids, key, limits))]
    else:
        versions = _versions(spec["versions"], (*where, "versions"), table_id, ids, key, limits)
    caption = _label(spec["caption"], (*where, "caption"), "caption") if spec.get("caption") is not None else None
    return Table(table_id, caption, key, columns, versions)


def _mapping(value: Any, where: YamlPath, what: str, allowed: tuple[str, ...]) -> None:
    if not isinstance(value, dict):
        raise _Invalid(where, f"{what} must be a mapping")
    for name in value:
        if name not in allowed:
            raise _Invalid((*where, str(name)), f"unknown key {name!r} in {what}; expected {', '.join(allowed)}")


def _columns(value: Any, where: YamlPath, table_id: str) -> list[Column]:
    if not isinstance(value, list) or not value:
        raise _Invalid(where, f"table {table_id!r} needs columns: a list of {{id, label}}")
    columns: list[Column] = []
    for index, spec in enumerate(value):
        here = (*where, index)
        _mapping(spec, here, f"column {index + 1} of table {table_id!r}", _COLUMN_KEYS)
        if spec.get("id") is None or isinstance(spec["id"], (dict, list)):
            raise _Invalid(here, f"column {index + 1} of table {table_id!r} needs an id")
        column_id = str(spec["id"])
        if any(column.id == column_id for column in columns):
            raise _Invalid((*here, "id"), f"table {table_id!r} declares column {column_id!r} twice")
        align = spec.get("align")
        if align is not None and align not in ALIGNMENTS:
            raise _Invalid((*here, "align"), f"align {align!r} of column {column_id!r} is not one of {', '.join(ALIGNMENTS)}")
        label = _label(spec["label"], (*here, "label"), "label") if spec.get("label") is not None else column_id
        columns.append(Column(column_id, label, align))
    return columns


def _label(value: Any, where: YamlPath, what: str) -> Label:
    if isinstance(value, dict) and value and all(not isinstance(v, (dict, list)) for v in value.values()):
        return {str(lang): str(text) for lang, text in value.items()}
    if isinstance(value, (dict, list)):
        raise _Invalid(where, f"a {what} is a text or a mapping of languages to texts ({{zh: …, fr: …, en: …}})")
    return str(value)


def _versions(value: Any, where: YamlPath, table_id: str, ids: list[str], key: str, limits: Limits) -> list[Version]:
    if not isinstance(value, list) or not value:
        raise _Invalid(where, f"versions of table {table_id!r} must be a list of {{as_of, rows}}, oldest first")
    versions: list[Version] = []
    for index, spec in enumerate(value):
        here = (*where, index)
        _mapping(spec, here, f"version {index + 1} of table {table_id!r}", _VERSION_KEYS)
        as_of = _date(spec.get("as_of"), (*here, "as_of"), table_id)
        previous = versions[-1].as_of if versions else None
        if previous is not None and as_of <= previous:
            raise _Invalid(
                (*here, "as_of"),
                f"versions of table {table_id!r} must be oldest first: {as_of.isoformat()} is listed after {previous.isoformat()}",
            )
        if "rows" not in spec:
            raise _Invalid(here, f"version {as_of.isoformat()} of table {table_id!r} has no rows")
        rows = _rows(spec["rows"], (*here, "rows"), table_id, ids, key, limits)
        source, note = (_text(spec.get(name), (*here, name), name) for name in ("source", "note"))
        versions.append(Version(as_of, rows, source, note))
    return versions


def _date(value: Any, where: YamlPath, table_id: str) -> dt.date:
    day = as_date(value)
    if day is not None:
        return day
    if value is None:
        raise _Invalid(where[:-1], f"a version of table {table_id!r} has no as_of date")
    raise _Invalid(where, f"as_of {value!r} of table {table_id!r} is not a date (YYYY-MM-DD)")


def _text(value: Any, where: YamlPath, what: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise _Invalid(where, f"{what} must be a text")
    return str(value)


def _rows(value: Any, where: YamlPath, table_id: str, ids: list[str], key: str, limits: Limits) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise _Invalid(where, f"rows of table {table_id!r} must be a list of mappings")
    if len(value) > limits.table_rows:
        raise _Invalid(
            (*where, limits.table_rows),
            f"table {table_id!r} has {len(value)} rows, more than {limits.table_rows} (set {SETTINGS['table_rows']} to allow more)",
        )
    rows: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for index, spec in enumerate(value):
        here = (*where, index)
        if not isinstance(spec, dict):
            raise _Invalid(here, f"row {index + 1} of table {table_id!r} must be a mapping of column ids to cells")
        for name in spec:
            if str(name) not in ids:
                raise _Invalid(
                    (*here, str(name)),
                    f"row {index + 1} of table {table_id!r} has a column {str(name)!r} that is not declared ({', '.join(ids)})",
                )
        row = {column: _cell(spec, column, (*here, column)) for column in ids}
        if not row[key]:
            raise _Invalid(here, f"row {index + 1} of table {table_id!r} has no {key!r}, the table's key")
        if row[key] in seen:
            raise _Invalid((*here, key), f"row {index + 1} of table {table_id!r} repeats the key {row[key]!r} of row {seen[row[key]] + 1}")
        seen[row[key]] = index
        rows.append(row)
    return rows


def _cell(row: dict[Any, Any], column: str, where: YamlPath) -> str:
    """A cell as text: YAML dates back to ISO, booleans as Liquid writes them, nothing as empty."""
    value = next((v for k, v in row.items() if str(k) == column), None)
    if isinstance(value, (dict, list)):
        raise _Invalid(where, f"cell {column!r} must be a text, not a {'list' if isinstance(value, list) else 'mapping'}")
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).strip()
