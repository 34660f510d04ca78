"""Tables kept as data in the front matter, rendered by version and compared.

``load_tables`` parses and checks ``tables:``; ``table_includes`` serves
``{% include table %}`` and ``{% include comparison %}`` from them.
"""

from __future__ import annotations

from .includes import TableIncludeError, table_includes
from .model import Column, Table, Version, load_tables

__all__ = ["Column", "Table", "TableIncludeError", "Version", "load_tables", "table_includes"]
