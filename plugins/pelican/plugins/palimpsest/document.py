"""The pipeline for one document: file -> front matter -> Liquid -> Markdown -> enhancements.

``render_document`` is shared by the Pelican reader, ``palimpsest render``
and the tests, so every entry point renders a file the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from liquid.exceptions import LiquidError

from .common.text import visible_text
from .errors import DocumentError
from .features import DOCUMENT_FEATURES, document_parts
from .frontmatter import FrontMatter, as_datetime, front_matter_line, split_front_matter
from .kramdown import KramdownOptions, render_markdown
from .liquid import BuiltinInclude, HtmlStash, render_liquid
from .liquid.filters import slugify
from .reading_time import CJK_CHARACTERS_PER_MINUTE, WORDS_PER_MINUTE, jekyll_reading_minutes, reading_minutes
from .site import POST_NAME, JekyllSite, escapes_output, output_path, render_permalink

@dataclass
class RenderedDocument:
    source: Path
    html: str
    metadata: dict[str, Any] = field(default_factory=dict)
    body_line: int = 1


@dataclass
class DocumentContext:
    """One document on its way through the pipeline: the features' hooks read and fill it."""

    path: Path
    site: JekyllSite
    front: FrontMatter
    page: dict[str, Any]  # Jekyll's ``page`` variables, which become the metadata
    lang: str | None
    kramdown: KramdownOptions
    includes: dict[str, BuiltinInclude] = field(default_factory=dict)  # includes served in Python
    env: dict[str, Any] = field(default_factory=dict)  # markdown-it's render env: what the plugins found


def read_source(path: Path) -> str:
    """The file's text; undecodable bytes are an error naming the line."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise DocumentError(path, line, f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})") from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def render_document(
    path: Path,
    site: JekyllSite,
    *,
    plain: bool = False,
    text: str | None = None,
    features: Iterable[str] = DOCUMENT_FEATURES,
) -> RenderedDocument:
    """Render *path* (or *text*, as if it were *path*'s content) within *site*.

    *features* names the features to apply (see ``features.py``); *plain*
    turns them all off and gives exactly what Jekyll + kramdown produce.
    """
    path = Path(path)
    parts = () if plain else document_parts(frozenset(features))
    source = read_source(path) if text is None else text
    front = split_front_matter(source, path)
    place = site.place(path)
    page: dict[str, Any] = dict(site.front_matter_defaults(place))
    page.update(front.data)
    _derive(page, path, site, place, front)
    lang = page.get("lang") or site.config.get("locale") or site.config.get("lang")
    document = DocumentContext(path, site, front, page, str(lang) if lang else None, site.kramdown)
    for part in parts:
        for hook in part.before_liquid:
            hook(document)

    stash = None if plain and not front.present else HtmlStash()
    body = front.body
    if front.present:
        try:
            body = render_liquid(
                site.liquid,
                body,
                {"site": site.variables, "page": page, "content": ""},
                site.kramdown,
                stash,
                document.includes,
            )
        except LiquidError as err:
            raise DocumentError(path, _liquid_line(err, front.body_line), f"Liquid error: {err.message}") from None
    document.env.update(lang=lang, source_path=str(path), line_offset=front.body_line - 1)
    plugins = tuple(plugin for part in parts for plugin in part.markdown_plugins)
    html = render_markdown(body, site.kramdown, document.env, plugins)
    if stash:
        html = stash.restore(html)
    for part in parts:
        for hook in part.after_markdown:
            hook(document)
    if "excerpt" not in page:
        page["excerpt"] = _excerpt(body, html, site)
    page["reading_time"] = _reading_time(visible_text(html), page, site)
    return RenderedDocument(path, html, page, front.body_line)


_FIRST_BLOCK = re.compile(r"^<(p|h[1-6]|ul|ol|blockquote|div|table)\b.*?</\1>", re.MULTILINE | re.DOTALL)


def _excerpt(body: str, html: str, site: JekyllSite) -> str:
    """Jekyll's excerpt: what comes before ``excerpt_separator`` (a blank line by default), rendered."""
    separator = str(site.config.get("excerpt_separator") or "\n\n")
    if separator.strip():  # e.g. <!--more-->: render what precedes it
        return render_markdown(body.split(separator, 1)[0], site.kramdown) if separator in body else html
    first = _FIRST_BLOCK.search(html)
    return first.group(0) if first else ""


def _reading_time(text: str, page: dict[str, Any], site: JekyllSite) -> int:
    """A page's own ``words_per_minute`` reproduces Jekyll's number; otherwise count by script."""
    if _is_number(page.get("words_per_minute")):  # page.words_per_minute, front matter or defaults
        return jekyll_reading_minutes(text, int(page["words_per_minute"]))
    speeds = site.config.get("reading_speed") if isinstance(site.config.get("reading_speed"), dict) else {}
    latin = site.config.get("words_per_minute")
    return reading_minutes(
        text,
        int(speeds.get("latin") or (latin if _is_number(latin) else WORDS_PER_MINUTE)),
        int(speeds.get("cjk") or CJK_CHARACTERS_PER_MINUTE),
    )


def _liquid_line(err: LiquidError, body_line: int) -> int:
    context = err.context()
    return body_line + (context[0] - 1 if context else 0)


def _is_number(value: object) -> bool:
    """A positive count of words per minute (``words_per_minute: 20`` or ``"20"``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return False
    try:
        return int(value) > 0
    except (ValueError, OverflowError):
        return False


def _derive(page: dict[str, Any], path: Path, site: JekyllSite, place: Any, front: FrontMatter) -> None:
    """Fill in what Jekyll derives: date, slug, title, url, modified."""
    stem = path.stem
    name_match = POST_NAME.match(stem)
    tz = site.timezone
    date = as_datetime(page.get("date"), tz)
    if page.get("date") is not None and date is None:
        raise DocumentError(path, front_matter_line(front.yaml, ("date",)), f"date {page.get('date')!r} is not a date")
    if date is None and name_match:
        try:
            date = dt.datetime(int(name_match[1]), int(name_match[2]), int(name_match[3]), tzinfo=tz)
        except ValueError:
            raise DocumentError(path, None, f"file name date {stem[:10]!r} is not a date") from None
    slug = str(page.get("slug") or (name_match[4] if name_match else stem))
    if page.get("title") is None and (place.type != "pages" or name_match):
        page["title"] = " ".join(part.capitalize() for part in slug.split("-"))
    modified_value = page.get("last_modified_at", page.get("modified"))
    modified = as_datetime(modified_value, tz) if modified_value is not None else None
    if modified_value is not None and modified is None:
        raise DocumentError(path, front_matter_line(front.yaml, ("last_modified_at" if "last_modified_at" in front.data else "modified",)), f"last_modified_at {modified_value!r} is not a date")
    page["slug"] = slug
    if date is not None:
        page["date"] = date
    if modified is not None:
        page["last_modified_at"] = modified
        page["modified"] = modified
    page["collection"] = place.type if place.type != "pages" else None
    for key in ("tags", "categories"):
        value = page.get(key)
        if isinstance(value, str):
            page[key] = value.split()
        elif value is None:
            page[key] = []
        else:
            page[key] = [str(item) for item in value]
    if page.get("category") and not page["categories"]:
        page["categories"] = [str(page["category"])]
    page["url"] = _url(page, path, site, place, date, slug)
    save_as = output_path(page["url"])
    if escapes_output(save_as):
        raise DocumentError(path, front_matter_line(front.yaml, ("permalink",)), f"permalink {page.get('permalink')!r} points outside the output folder")
    page["save_as"] = save_as
    page["published"] = page.get("published", True) is not False
    if date is not None and not site.config.get("future") and date > dt.datetime.now(dt.timezone.utc):
        page["future"] = True


def _url(page: dict[str, Any], path: Path, site: JekyllSite, place: Any, date: dt.datetime | None, slug: str) -> str:
    pattern = str(page.get("permalink") or site.permalink_pattern(place))
    pattern = "/" + pattern.lstrip("/") if not pattern.startswith("/") else pattern
    relative = PurePosixPath(place.relative_path)
    inner = PurePosixPath(*relative.parts[1:]) if place.type != "pages" and len(relative.parts) > 1 else relative
    values = {
        "collection": place.type,
        "path": str(inner.with_suffix("")),
        "name": slug,
        "basename": path.stem,
        "title": slugify(slug, "pretty", cased=True),
        "slug": slugify(slug, "pretty", cased=True),
        "categories": "/".join(slugify(c, "pretty", cased=True) for c in page.get("categories") or []),
        "output_ext": ".html",
    }
    if date is not None:
        values.update(
            year=f"{date.year:04d}", month=f"{date.month:02d}", day=f"{date.day:02d}",
            i_month=str(date.month), i_day=str(date.day), short_year=f"{date.year % 100:02d}",
            hour=f"{date.hour:02d}", minute=f"{date.minute:02d}", second=f"{date.second:02d}",
            y_day=f"{date.timetuple().tm_yday:03d}",
        )
    if place.type == "pages" and not page.get("permalink"):
        return "/" + str(relative.with_suffix(".html"))
    return render_permalink(pattern, values)


plain_text = visible_text  # transitional name, for modules being moved
