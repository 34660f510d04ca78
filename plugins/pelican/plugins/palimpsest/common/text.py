"""Text in HTML: escaping it, and the text a reader sees in rendered HTML."""

from __future__ import annotations

import html
import re

from markdown_it.common.utils import escapeHtml

_TAG = re.compile(r"<[^>]+>")


def escape_html(text: str) -> str:
    """Escape ``& < > "`` as kramdown and markdown-it do (a ``'`` stays as it is), in text and in attributes."""
    return escapeHtml(text)


def visible_text(markup: str) -> str:
    """The text a reader sees in *markup*, entities decoded and whitespace collapsed."""
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())
