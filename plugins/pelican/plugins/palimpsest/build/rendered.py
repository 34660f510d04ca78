"""What the pipeline (``document.py``) gives for one document, in a module of its own: the content
cache holds it, and a build whose documents all come from the cache never loads the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["RenderedDocument"]


@dataclass
class RenderedDocument:
    source: Path
    html: str
    metadata: dict[str, Any] = field(default_factory=dict)
    body_line: int = 1
