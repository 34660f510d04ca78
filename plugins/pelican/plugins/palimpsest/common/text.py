"""Text in HTML: escaping it, and the text a reader sees in rendered HTML."""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<[^>]+>")
_HTML_SPECIALS = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def escape_html(text: str) -> str:
    """Escape ``& < > "`` as kramdown and markdown-it do (a ``'`` stays as it is)."""
    return text.translate(_HTML_SPECIALS)


def visible_text(markup: str) -> str:
    """The text a reader sees in *markup*, entities decoded and whitespace collapsed."""
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())
