"""What one document may cost, so that hostile input fails with a clear error instead of hanging.

Each bound is a Pelican setting (``PALIMPSEST_…``) with a default no real blog comes near;
:meth:`Limits.from_settings` reads them, and the site (``JekyllSite.limits``) carries them
to the pipeline.  YAML alias expansion and nesting depth have their own bounds in ``jekyll/yaml_aliases.py``, because
``_config.yml`` is read before any Pelican setting exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

# Setting name for each field of Limits.
SETTINGS = {
    "liquid_loop": "PALIMPSEST_LIQUID_LOOP_LIMIT",
    "liquid_output": "PALIMPSEST_LIQUID_OUTPUT_LIMIT",
    "liquid_locals": "PALIMPSEST_LIQUID_LOCALS_LIMIT",
    "front_matter_size": "PALIMPSEST_FRONT_MATTER_SIZE_LIMIT",
    "markdown_size": "PALIMPSEST_MARKDOWN_SIZE_LIMIT",
    "table_rows": "PALIMPSEST_TABLE_ROW_LIMIT",
    "table_cells": "PALIMPSEST_TABLE_CELL_LIMIT",
}


@dataclass(frozen=True)
class Limits:
    """Bounds on one document; every one is a positive integer."""

    liquid_loop: int = 1_000_000  # iterations of one loop, nested loops multiplied
    liquid_output: int = 10_000_000  # bytes one template (or one capture) writes
    liquid_locals: int = 10_000_000  # bytes (as ``sys.getsizeof`` counts) held by assigned variables
    front_matter_size: int = 300_000  # characters of one front matter (about 0.2 s of YAML through libyaml)
    markdown_size: int = 1_000_000  # characters of one body (after Liquid) rendered as Markdown
    table_rows: int = 5_000  # rows of one front-matter table version
    table_cells: int = 100_000  # cells of one front-matter table, all versions together

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Limits:
        """The limits a Pelican build asks for; a setting that is not a positive integer is a usage error."""
        values: dict[str, int] = {}
        for item in fields(cls):
            name = SETTINGS[item.name]
            value = settings.get(name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"{name} must be a positive integer, not {value!r}")
            values[item.name] = value
        return cls(**values)
