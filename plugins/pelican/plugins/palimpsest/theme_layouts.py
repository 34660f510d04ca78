"""Minimal Mistakes' ``layout:`` names → the theme's templates (Pelican's ``template`` metadata).

A Minimal Mistakes site picks a page's look with ``layout:``; the theme has one template per
layout under ``templates/layouts/``.  ``single`` is the theme's own article and page template.
A layout the theme does not know is a warning naming the file (Jekyll warns too), and the page
builds with ``single``.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from .jekyll.values import ruby_text
from .report import note_unknown

logger = logging.getLogger(__name__)

# Minimal Mistakes' layouts; None: the theme's article or page template (``single``).
LAYOUT_TEMPLATES: dict[str, str | None] = {
    "single": None,
    "default": None,  # Minimal Mistakes' base layout: the bare page, which ``single`` gives
    "compress": None,
    "home": "layouts/home",
    "posts": "layouts/posts",
    "tags": "layouts/tags",
    "tag": "layouts/tags",  # one tag (``taxonomy:``)
    "categories": "layouts/categories",
    "category": "layouts/categories",  # one category (``taxonomy:``)
    "collection": "layouts/collection",
    "archive": "layouts/archive",
    "splash": "layouts/splash",
    "search": "layouts/search",
}
_NO_LAYOUT = frozenset({"none", "null", ""})
_LAYOUT_LINE = re.compile(r"^layout\s*:")


def _layout_line(source: Path) -> int | None:
    """The line of ``layout:`` in *source*'s front matter, None when it came from ``defaults:``."""
    try:
        lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    if not lines or lines[0].rstrip() != "---":
        return None
    for number, line in enumerate(lines[1:], 2):
        if line.rstrip() in ("---", "..."):
            return None
        if _LAYOUT_LINE.match(line):
            return number
    return None


def layout_template(layout: object, source: Path) -> str | None:
    """The template for *layout* (None: the default article/page template); an unknown layout is
    a warning at ``file:line``, and the document builds with ``single``."""
    if layout is None or layout is False:
        return None
    name = ruby_text(layout) if not isinstance(layout, str) else layout
    if name.strip().lower() in _NO_LAYOUT:
        return None
    if isinstance(layout, str) and name in LAYOUT_TEMPLATES:
        return LAYOUT_TEMPLATES[name]
    line = _layout_line(source)
    where = f"{source}:{line}" if line else f"{source} (layout from defaults: in _config.yml)"
    known = ", ".join(sorted(LAYOUT_TEMPLATES))
    logger.warning("%s: layout %r is not a layout this theme knows (%s); built with 'single'", where, name[:80], known)
    note_unknown("layout", name[:80], source, line)  # and in the migration report (report.py)
    return None
