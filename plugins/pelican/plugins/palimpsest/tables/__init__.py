"""Tables kept as data in the front matter, rendered by version and compared.

``load_tables`` parses and checks ``tables:``; ``includes.table_includes`` serves
``{% include table %}`` and ``{% include comparison %}`` from them;
``serve_tables`` is the feature's hook into the document pipeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..liquid import has_liquid_markup
from .model import Column, Table, Version, load_tables

if TYPE_CHECKING:
    from ..document import DocumentContext

__all__ = ["Column", "Table", "Version", "load_tables", "serve_tables"]


def serve_tables(document: DocumentContext) -> None:
    """Before Liquid: check the front matter's ``tables:`` and serve the ``table`` and ``comparison`` includes."""
    page = document.page
    tables = load_tables(page["tables"], document.path, document.front.yaml, document.site.limits) if "tables" in page else {}
    if tables:
        page["tables"] = {table_id: table.as_dict() for table_id, table in tables.items()}
    if has_liquid_markup(document.front.body):  # an include is a tag: without one, nothing to serve
        from .includes import table_includes  # (Liquid's: loaded with the first document that has a tag)

        document.includes.update(table_includes(tables, document.lang, document.kramdown))
