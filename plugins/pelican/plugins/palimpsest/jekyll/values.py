"""Front matter values of the wrong type: printed as Jekyll prints them, or refused at the key's line.

YAML gives any key any type (``title: [a, b]``, ``lang: [zh]``, ``header: text``). Jekyll's Liquid
prints them with Ruby's ``to_s`` (an array joined with nothing between its items); Python's ``str``
would put ``['a', 'b']`` on a page, so everything that turns a value into text goes through
:func:`ruby_text`. Values that have no sensible text (a page with two languages, a header image
that is a number) are refused at their line: a wrong page is worse than an error.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import DocumentError
from .frontmatter import FrontMatter, front_matter_line

__all__ = ["check_page_values", "key_line", "ruby_text"]

logger = logging.getLogger(__name__)

# Keys the theme prints as they are (Minimal Mistakes' names): made text here, as Liquid prints them.
PRINTED = ("toc_label",)

# The keys of Minimal Mistakes' ``header`` the theme turns into an image's address.
HEADER_IMAGES = ("image", "overlay_image", "teaser")


def ruby_text(value: object) -> str:
    """*value* as Jekyll's Liquid outputs it (Ruby's ``to_s``; an array flattened and joined)."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "".join(ruby_text(item) for item in value)
    if isinstance(value, float):
        return _ruby_float(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S %z").rstrip()
    return str(value)  # int, date (ISO, as Ruby), anything else


def _ruby_float(value: float) -> str:
    """Ruby's ``Float#to_s``: ``1.0``, ``1.0e+20``, ``1.0e-05``, ``Infinity``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return repr(value)  # 0.0, -0.0
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    point = len(text) + exponent  # where the decimal point falls among the digits
    minus = "-" if sign else ""
    if -4 < point <= 15:
        if point <= 0:
            return f"{minus}0.{'0' * -point}{text}"
        whole, fraction = text[:point].ljust(point, "0"), text[point:]
        return f"{minus}{whole}.{fraction or '0'}"
    return f"{minus}{text[0]}.{text[1:] or '0'}e{point - 1:+03d}"


def key_line(front: FrontMatter, *where: str | int) -> int | None:
    """The line of a front matter key (None when the value came from the defaults)."""
    return front_matter_line(front.yaml, where) if front.present else None


def _refuse(path: Path, front: FrontMatter, key: str, message: str, *where: str | int) -> DocumentError:
    line = key_line(front, key, *where)
    if line is None:
        message += " (set by the front matter defaults of _config.yml)"
    return DocumentError(path, line, message)


def check_page_values(page: dict[str, Any], path: Path, front: FrontMatter) -> None:
    """Refuse or convert (in *page*) the values the pipeline, Pelican and the theme turn into text."""
    title = page.get("title")
    if isinstance(title, dict):
        raise _refuse(path, front, "title", "title must be text, not a mapping")
    if isinstance(title, list):
        logger.warning(
            "%s:%s: title is a list; printed as Jekyll prints it, %r",
            path,
            key_line(front, "title") or "",
            ruby_text(title),
        )
    lang = page.get("lang")
    if isinstance(lang, bool):
        hint = ' (YAML 1.1 reads no as false: write lang: "no" for Norwegian)' if lang is False else ""
        raise _refuse(path, front, "lang", f"lang must be one language tag such as en or zh-Hant, not {ruby_text(lang)}{hint}")
    if isinstance(lang, (list, dict)):
        kind = "a list" if isinstance(lang, list) else "a mapping"
        raise _refuse(path, front, "lang", f"lang must be one language tag such as en or zh-Hant, not {kind}")
    for key in PRINTED:
        value = page.get(key)
        if isinstance(value, dict):
            raise _refuse(path, front, key, f"{key} must be text, not a mapping")
        if value is not None and not isinstance(value, str):
            page[key] = ruby_text(value)
    _check_header(page, path, front)
    speed = page.get("words_per_minute")
    if speed is not None and not _positive_whole(speed):
        raise _refuse(path, front, "words_per_minute", f"words_per_minute must be a positive number of words, not {ruby_text(speed)!r}")


def _check_header(page: dict[str, Any], path: Path, front: FrontMatter) -> None:
    """Minimal Mistakes' ``header``: a mapping whose images are addresses (text)."""
    header = page.get("header")
    if header is None:
        return
    if not isinstance(header, dict):
        shown = ruby_text(header)
        raise _refuse(path, front, "header", f"header must be a mapping (image:, overlay_image:, teaser:, caption:), not {shown!r}")
    for key in HEADER_IMAGES:
        value = header.get(key)
        if value is not None and not isinstance(value, str):
            raise _refuse(path, front, "header", f"header.{key} must be text (an image's path or URL), not {ruby_text(value)!r}", key)
    caption = header.get("caption")
    if caption is not None and not isinstance(caption, str):
        if isinstance(caption, dict):
            raise _refuse(path, front, "header", "header.caption must be text, not a mapping", "caption")
        page["header"] = {**header, "caption": ruby_text(caption)}  # a copy: the defaults' mapping stays as it is


def _positive_whole(value: object) -> bool:
    """A reading speed as document.py reads it: a positive whole number (``200``, ``"200"``, ``250.0``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return False
    try:
        return int(value) > 0
    except (ValueError, OverflowError):
        return False
