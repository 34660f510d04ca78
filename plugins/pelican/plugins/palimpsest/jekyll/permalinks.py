"""Jekyll's permalinks: the named styles, every ``:placeholder`` of jekyll/drops/url_drop.rb,
and how jekyll/url.rb fills and cleans a URL.

Old links must keep working after the move to Pelican, so the URL of each
document is computed by Jekyll's rules, not ours (``tests/fixtures/jekyll``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath

from ..common.dates import english_strftime
from .slugify import slugify

__all__ = [
    "PERMALINK_STYLES",
    "PermalinkError",
    "collection_template",
    "date_placeholders",
    "escapes_output",
    "output_path",
    "render_permalink",
    "style_pattern",
]

PERMALINK_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_PLACEHOLDER = re.compile(r":([a-z_]+)")


class PermalinkError(ValueError):
    """A permalink names a placeholder Jekyll does not have (Jekyll stops the build)."""


def style_pattern(style: str) -> str:
    """A style name's pattern; any other text is a pattern already."""
    return PERMALINK_STYLES.get(style, style)


def collection_template(style: str) -> str:
    """A collection's URL when it sets none: ``/:collection/:path`` ended like the site's style
    (Utils.add_permalink_suffix)."""
    template = "/:collection/:path"
    if style == "pretty":
        return template + "/"
    if style in ("date", "ordinal", "none"):
        return template + ":output_ext"
    if style.endswith("/"):
        template += "/"
    if style.endswith(":output_ext"):
        template += ":output_ext"
    return template


def date_placeholders(date: dt.datetime) -> dict[str, str]:
    """The date parts of url_drop.rb; names are English as Ruby's strftime gives them."""
    iso_year, iso_week, iso_day = date.isocalendar()
    return {
        "year": f"{date.year:04d}",
        "month": f"{date.month:02d}",
        "day": f"{date.day:02d}",
        "hour": f"{date.hour:02d}",
        "minute": f"{date.minute:02d}",
        "second": f"{date.second:02d}",
        "i_day": str(date.day),
        "i_month": str(date.month),
        "short_month": english_strftime(date, "%b"),
        "long_month": english_strftime(date, "%B"),
        "short_year": f"{date.year % 100:02d}",
        "w_year": str(iso_year),
        "week": f"{iso_week:02d}",
        "w_day": str(iso_day),
        "short_day": english_strftime(date, "%a"),
        "long_day": english_strftime(date, "%A"),
        "y_day": f"{date.timetuple().tm_yday:03d}",
    }


def document_placeholders(collection: str, cleaned_path: str, basename: str, slug: str | None, categories: list[str]) -> dict[str, str]:
    """The non-date placeholders of a collection document (posts included)."""
    unique: dict[str, None] = {}
    for category in categories:
        unique.setdefault(category.lower(), None)
    slugged: dict[str, None] = {}
    for category in categories:
        slugged.setdefault(slugify(category), None)
    return {
        "collection": collection,
        "output_ext": ".html",
        "path": cleaned_path,
        "name": slugify(basename),
        "title": slugify(slug or basename, "pretty", cased=True),
        "slug": slugify(slug or basename),
        "categories": "/".join(unique),
        "slugified_categories": "/".join(slugged),
    }


def render_permalink(pattern: str, values: dict[str, str]) -> str:
    """Fill a document's ``:placeholders`` as url.rb's generate_url_from_drop does (``:name_``
    may stand for ``:name``), then clean the URL.  Unknown placeholders raise PermalinkError."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        for key in (name, name[:-1]) if name.endswith("_") else (name,):
            if key in values:
                return match.group(0).replace(":" + key, values[key], 1)
        raise PermalinkError(f"the permalink has no :{name} placeholder")

    return sanitize_url(_PLACEHOLDER.sub(fill, pattern))


def render_page_permalink(pattern: str, values: dict[str, str]) -> str:
    """A page's URL (url.rb's generate_url_from_hash): unknown placeholders stay as written."""
    url = pattern
    for key, value in values.items():
        url = url.replace(":" + key, value)
    return sanitize_url(url)


def sanitize_url(url: str) -> str:
    """url.rb's sanitize_url: a leading ``/``, no ``..``, no ``./``, no doubled slashes."""
    url = ("/" + url).replace("..", "/").replace("./", "")
    return re.sub(r"/+", "/", url)


def output_path(url: str) -> str:
    """The file, relative to the output folder, that serves *url*."""
    path = url.lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    elif not PurePosixPath(path).suffix:
        path += ".html"
    return path


def escapes_output(save_as: str) -> bool:
    """Whether *save_as* would be written outside the output folder."""
    return save_as.startswith(("/", "\\")) or ".." in PurePosixPath(save_as.replace("\\", "/")).parts
