"""Jekyll's Liquid filters (``relative_url``, ``markdownify``, ``date_to_xmlschema``…).

Each takes the site from the render context, so one environment serves every
document of a site.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from liquid.exceptions import FilterError
from liquid.filter import with_context
from liquid.undefined import is_undefined

from ..common.cjk import CJK_RANGES
from ..common.dates import as_datetime, english_strftime
from ..jekyll.slugify import slugify
from ..jekyll.values import ruby_text
from ..kramdown import KramdownOptions, render_markdown
from ..kramdown.typography import kramdown_typography
from .array_filters import ARRAY_FILTERS


def _site(context: Any) -> dict[str, Any]:
    site = context.globals.get("site")
    return site if isinstance(site, dict) else {}


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# What Addressable's ``normalize`` leaves as it is: RFC 3986's reserved and unreserved characters
# (and existing escapes); everything else, spaces and non-ASCII included, is percent-encoded.
_URL_SAFE = "/:?#[]@!$&'()*+,;=%~-._"


def _leading_slash(part: str) -> str:
    return part if not part or part.startswith("/") else "/" + part


@with_context
def relative_url(value: object, *, context: Any) -> str:
    """``baseurl`` + the path, each with a leading slash (Jekyll's url_filters.rb), percent-encoded."""
    if value is None:
        return ""
    text = str(value)
    if _SCHEME.match(text):
        return text
    base = str(_site(context).get("baseurl") or "").removesuffix("/")
    return quote(_leading_slash(base) + _leading_slash(text), safe=_URL_SAFE)


@with_context
def absolute_url(value: object, *, context: Any) -> str:
    """``url`` + :func:`relative_url`, joined as written (``url: https://x.org/`` gives ``//``, as in Jekyll)."""
    if value is None:
        return ""
    text = str(value)
    if _SCHEME.match(text):
        return text
    relative = relative_url(value, context=context)
    site_url = str(_site(context).get("url") or "")
    return quote(site_url + relative, safe=_URL_SAFE) if site_url else relative


@with_context
def markdownify(value: object, *, context: Any) -> str:
    options = context.globals.get("_palimpsest_kramdown") or KramdownOptions()
    return render_markdown("" if value is None else str(value), options)


def _moment(value: object, context: Any) -> dt.datetime | None:
    """Jekyll's ``time(input)``: the value as a time in the site's zone (Jekyll sets ``TZ`` from
    ``timezone``; without one, the moment keeps its own zone)."""
    zone = _timezone(_site(context))
    moment = as_datetime(value, zone)
    if moment is None and isinstance(value, str):
        try:
            moment = as_datetime(dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00")), zone)
        except ValueError:
            return None
    if moment is not None and zone is not None:
        moment = moment.astimezone(zone)
    return moment


def _timezone(site: dict[str, Any]) -> dt.tzinfo | None:
    name = site.get("timezone")
    if not name:
        return None
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _is_empty(value: object) -> bool:
    return value is None or value == ""


@with_context
def date_to_xmlschema(value: object, *, context: Any) -> object:
    """``2024-03-02T10:00:00+01:00``: Ruby's Time#xmlschema, whole seconds."""
    moment = None if _is_empty(value) else _moment(value, context)
    if moment is None:
        return value
    return moment.isoformat(timespec="seconds")


@with_context
def date_to_rfc822(value: object, *, context: Any) -> object:
    """``Sat, 02 Mar 2024 10:00:00 +0100``: Ruby's Time#rfc822, English names."""
    moment = None if _is_empty(value) else _moment(value, context)
    return english_strftime(moment, "%a, %d %b %Y %H:%M:%S %z") if moment else value


@with_context
def date_to_string(value: object, kind: str | None = None, style: str | None = None, *, context: Any) -> object:
    """``02 Mar 2024``; ``2nd Mar 2024`` with ``"ordinal"``; ``Mar 2nd, 2024`` with ``"ordinal", "US"``."""
    return _stringify_date(value, "%b", kind, style, context)


@with_context
def date_to_long_string(value: object, kind: str | None = None, style: str | None = None, *, context: Any) -> object:
    """``02 March 2024``; ``2nd March 2024`` with ``"ordinal"``; ``March 2nd, 2024`` with ``"ordinal", "US"``."""
    return _stringify_date(value, "%B", kind, style, context)


def _stringify_date(value: object, month: str, kind: str | None, style: str | None, context: Any) -> object:
    """date_filters.rb's stringify_date."""
    moment = None if _is_empty(value) else _moment(value, context)
    if moment is None:
        return value
    if kind == "ordinal":
        day = moment.day
        suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
        if style == "US":
            return english_strftime(moment, f"{month} {day}{suffix}, %Y")
        return english_strftime(moment, f"{day}{suffix} {month} %Y")
    return english_strftime(moment, f"%d {month} %Y")


_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"})


def xml_escape(value: object) -> str:
    return ("" if value is None else str(value)).translate(_XML_ESCAPES)


def cgi_escape(value: object) -> str:
    return quote(str(value), safe="").replace("%20", "+")


def uri_escape(value: object) -> str:
    return quote(str(value), safe="!#$&'()*+,/:;=?@[]~")


def jsonify(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))


# Jekyll's \p{Han}\p{Katakana}\p{Hiragana}\p{Hangul}: CJK letters, not CJK punctuation.
_CJK_LETTER = rf"(?=\w)[{CJK_RANGES}]"
_CJK_CHARACTER = re.compile(_CJK_LETTER)
_NON_CJK_WORD = re.compile(rf"(?:(?!{_CJK_LETTER})\S)+")


def number_of_words(value: object, mode: str | None = None) -> int:
    """Whitespace-separated words; ``cjk`` counts each CJK character as a word, ``auto`` does so
    only when the text has any (Jekyll 4.3)."""
    text = str(value or "")
    cjk = len(_CJK_CHARACTER.findall(text)) if mode in ("cjk", "auto") else 0
    if mode == "cjk" or (mode == "auto" and cjk):
        return cjk + len(_NON_CJK_WORD.findall(text))
    return len(text.split())


def normalize_whitespace(value: object) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip()


def array_to_sentence_string(values: list[object], connector: str = "and") -> str:
    items = [str(v) for v in values or []]
    if len(items) <= 2:
        return f" {connector} ".join(items)
    return ", ".join(items[:-1]) + f", {connector} {items[-1]}"


def inspect(value: object) -> str:
    """Ruby's ``inspect`` of the value, XML-escaped (``{"a"=>1}``, ``"text"``, ``nil``)."""
    return xml_escape(ruby_inspect(value))


_RUBY_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\x1b": "\\e",
    "\f": "\\f",
    "\v": "\\v",
    "\a": "\\a",
    "\b": "\\b",
}


def _ruby_string(text: str) -> str:
    out = []
    for index, char in enumerate(text):
        if char in _RUBY_ESCAPES:
            out.append(_RUBY_ESCAPES[char])
        elif char == "#" and text[index + 1 : index + 2] in ("{", "$", "@"):
            out.append("\\#")
        elif not char.isprintable() and char != " ":
            out.append(f"\\u{ord(char):04X}" if ord(char) > 0x7F else f"\\x{ord(char):02X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def ruby_inspect(value: object) -> str:
    """Ruby 3.1's ``inspect`` for what YAML and Liquid hold."""
    if value is None or is_undefined(value):
        return "nil"
    if isinstance(value, str):
        return _ruby_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(ruby_inspect(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{ruby_inspect(key)}=>{ruby_inspect(item)}" for key, item in value.items()) + "}"
    if isinstance(value, dt.datetime):
        text = value.strftime("%Y-%m-%d %H:%M:%S")
        if value.microsecond:
            text += f".{value.microsecond:06d}".rstrip("0")
        return text + (value.strftime(" %z") if value.tzinfo else "")
    return ruby_text(value)


_BARE_AMPERSAND = re.compile(r"&(?!#?\w+;)")


def smartify(value: object) -> str:
    """Jekyll's SmartyPants converter (kramdown's smart quotes and typographic symbols), as text."""
    text = _BARE_AMPERSAND.sub("&amp;", ruby_text(value))
    return kramdown_typography(text).replace("<<", "&lt;&lt;")


def _no_sass(name: str) -> Callable[..., Any]:
    def refuse(value: object) -> str:
        raise FilterError(f"the {name} filter is not supported: compile Sass outside Liquid (a .scss file in assets/)", token=None)

    refuse.__name__ = name
    return refuse


sassify = _no_sass("sassify")
scssify = _no_sass("scssify")


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
    "inspect": inspect,
    "smartify": smartify,
    "sassify": sassify,
    "scssify": scssify,
    **ARRAY_FILTERS,
}
