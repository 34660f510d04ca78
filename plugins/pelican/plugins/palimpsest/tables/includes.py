"""``{% include table id="…" %}`` and ``{% include comparison id="…" %}``, served in Python.

They take Jekyll's include syntax so that a post reads like any Minimal
Mistakes post; a site's own ``_includes/table`` or ``_includes/comparison``
still wins (see ``liquid/include_tag.py``).  Mistakes in the tag are Liquid
errors carrying the tag's token, so they are reported at the tag's line.
"""

from __future__ import annotations

from typing import Any

from liquid.exceptions import LiquidError
from liquid.token import Token

from ..kramdown import KramdownOptions
from ..liquid.include_tag import BuiltinInclude
from .model import Table, Version
from .render import cell_parser, render_comparison, render_table


class TableIncludeError(LiquidError):
    """A table include naming no table, a missing version or an unknown parameter."""


def table_includes(tables: dict[str, Table], lang: object, kramdown: KramdownOptions) -> dict[str, BuiltinInclude]:
    """The ``table`` and ``comparison`` includes for a page whose front matter holds *tables*."""
    md = cell_parser(kramdown)

    def table(params: dict[str, Any], token: Token) -> str:
        found = _table(tables, params, token, "table", ("id", "version"))
        version = found.versions[-1] if params.get("version") is None else _version(found, params["version"], token)
        return render_table(found, version, lang, md)

    def comparison(params: dict[str, Any], token: Token) -> str:
        found = _table(tables, params, token, "comparison", ("id", "from", "to"))
        if len(found.versions) < 2:
            raise TableIncludeError(f"table {found.id!r} has a single version: there is nothing to compare", token=token)
        if params.get("from") is None and params.get("to") is None:
            return render_comparison(found, found.versions, lang, md)
        start = found.versions[0] if params.get("from") is None else _version(found, params["from"], token)
        end = found.versions[-1] if params.get("to") is None else _version(found, params["to"], token)
        if found.versions.index(start) >= found.versions.index(end):
            raise TableIncludeError(f"comparison of table {found.id!r}: from= must name an older version than to=", token=token)
        return render_comparison(found, [start, end], lang, md)

    return {"table": table, "comparison": comparison}


def _table(tables: dict[str, Table], params: dict[str, Any], token: Token, name: str, allowed: tuple[str, ...]) -> Table:
    for param in params:
        if param not in allowed:
            raise TableIncludeError(f"include {name} has no parameter {param!r}; it takes {', '.join(allowed)}", token=token)
    table_id = params.get("id")
    if table_id is None:
        raise TableIncludeError(f'include {name} needs id="…", the id of a table in the front matter', token=token)
    found = tables.get(str(table_id))
    if found is None:
        known = ", ".join(repr(known_id) for known_id in tables) or "none"
        raise TableIncludeError(f"unknown table id {str(table_id)!r} (the front matter's tables: {known})", token=token)
    return found


def _version(table: Table, as_of: Any, token: Token) -> Version:
    found = table.version(str(as_of))
    if found is None:
        dates = ", ".join(v.as_of.isoformat() for v in table.versions if v.as_of is not None) or "none, it has plain rows"
        raise TableIncludeError(f"table {table.id!r} has no version {str(as_of)!r} (its versions: {dates})", token=token)
    return found
