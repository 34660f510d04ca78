"""Jekyll's Liquid filters (``relative_url``, ``markdownify``, ``date_to_xmlschema``…).

Each takes the site from the render context, so one environment serves every
document of a site.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import unicodedata
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from liquid.filter import with_context

from ..kramdown import KramdownOptions, render_markdown


def _site(context: Any) -> dict[str, Any]:
    site = context.globals.get("site")
    return site if isinstance(site, dict) else {}


def _join_url(base: str, path: str) -> str:
    if not path:
        return base or "/"
    if re.match(r"^[a-z][a-z0-9+.-]*:", path):
        return path
    return f"{base.rstrip('/')}/{path.lstrip('/')}" if base else "/" + path.lstrip("/")


@with_context
def relative_url(value: object, *, context: Any) -> str:
    site = _site(context)
    return _join_url(str(site.get("baseurl") or ""), "" if value is None else str(value))


@with_context
def absolute_url(value: object, *, context: Any) -> str:
    site = _site(context)
    relative = relative_url(value, context=context)
    if re.match(r"^[a-z][a-z0-9+.-]*:", relative):
        return relative
    return str(site.get("url") or "").rstrip("/") + relative


@with_context
def markdownify(value: object, *, context: Any) -> str:
    options = context.globals.get("_palimpsest_kramdown") or KramdownOptions()
    return render_markdown("" if value is None else str(value), options)


def _as_datetime(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def date_to_xmlschema(value: object) -> str:
    moment = _as_datetime(value)
    if moment is None:
        return str(value)
    text = moment.isoformat()
    return text if moment.tzinfo else text + "+00:00"


def date_to_rfc822(value: object) -> str:
    moment = _as_datetime(value)
    return moment.strftime("%a, %d %b %Y %H:%M:%S %z").strip() if moment else str(value)


def date_to_string(value: object, style: str | None = None) -> str:
    moment = _as_datetime(value)
    if moment is None:
        return str(value)
    return f"{moment.day} {moment.strftime('%b %Y')}" if style != "ordinal" else _ordinal(moment, "%b")


def date_to_long_string(value: object, style: str | None = None) -> str:
    moment = _as_datetime(value)
    if moment is None:
        return str(value)
    return f"{moment.day} {moment.strftime('%B %Y')}" if style != "ordinal" else _ordinal(moment, "%B")


def _ordinal(moment: dt.datetime, month: str) -> str:
    day = moment.day
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix} {moment.strftime(month)} {moment.year}"


def xml_escape(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True).replace("&#x27;", "&#39;")


def cgi_escape(value: object) -> str:
    return quote(str(value), safe="").replace("%20", "+")


def uri_escape(value: object) -> str:
    return quote(str(value), safe="!#$&'()*+,/:;=?@[]~")


def slugify(value: object, mode: str = "default", cased: bool = False) -> str:
    """Jekyll's ``slugify`` (modes ``default``, ``raw``, ``pretty``, ``ascii``, ``latin``);
    permalinks keep the case (``cased``), the filter lowers it."""
    text = "" if value is None else str(value)
    if mode == "raw":
        slug = re.sub(r"\s+", "-", text)
        return slug if cased else slug.lower()
    if mode == "latin":
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        mode = "default"
    patterns = {
        "default": r"[^\w]+",
        "pretty": r"[^\w._~!$&'()+,;=@]+",
        "ascii": r"[^a-zA-Z0-9]+",
    }
    slug = re.sub(patterns.get(mode, patterns["default"]), "-", text).strip("-")
    return slug if cased else slug.lower()


def jsonify(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))


def number_of_words(value: object) -> int:
    return len(str(value or "").split())


def normalize_whitespace(value: object) -> str:
    return re.sub(r"\s+", " ", str(value or ""))


def array_to_sentence_string(values: list[object], connector: str = "and") -> str:
    items = [str(v) for v in values or []]
    if len(items) <= 2:
        return f" {connector} ".join(items)
    return ", ".join(items[:-1]) + f", {connector} {items[-1]}"


def where(values: list[Any], key: str, expected: object) -> list[Any]:
    return [item for item in values or [] if isinstance(item, dict) and str(item.get(key)) == str(expected)]


def group_by(values: list[Any], key: str) -> list[dict[str, Any]]:
    groups: dict[str, list[Any]] = {}
    for item in values or []:
        groups.setdefault(str(item.get(key, "")) if isinstance(item, dict) else "", []).append(item)
    return [{"name": name, "items": items, "size": len(items)} for name, items in groups.items()]


JEKYLL_FILTERS: dict[str, Callable[..., Any]] = {
    "relative_url": relative_url,
    "absolute_url": absolute_url,
    "markdownify": markdownify,
    "date_to_xmlschema": date_to_xmlschema,
    "date_to_rfc822": date_to_rfc822,
    "date_to_string": date_to_string,
    "date_to_long_string": date_to_long_string,
    "xml_escape": xml_escape,
    "cgi_escape": cgi_escape,
    "uri_escape": uri_escape,
    "slugify": slugify,
    "jsonify": jsonify,
    "number_of_words": number_of_words,
    "normalize_whitespace": normalize_whitespace,
    "array_to_sentence_string": array_to_sentence_string,
    "where": where,
    "group_by": group_by,
}
