"""Liquid as Jekyll runs it, before Markdown (``environment.py``: the environment, its tags and
filters, and the rendering of a document's text).

This module loads nothing: a document whose text holds no Liquid markup is its own output, and a
build of such documents never imports python-liquid (0.05 s of start-up).
"""

from __future__ import annotations

__all__ = ["has_liquid_markup"]


def has_liquid_markup(text: str) -> bool:
    """Whether *text* holds Liquid's markup, ``{{`` or ``{%`` (a lone ``{``, an IAL's, is text to Liquid)."""
    return "{{" in text or "{%" in text
