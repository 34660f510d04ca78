"""What Jekyll derives for a document from its file name and front matter (jekyll/document.rb,
jekyll/page.rb): date, slug, title, categories and tags, URL; plus what Pelican needs from
them (``save_as``, ``published``, ``future``).

A post must keep its date, title and URL when moved from Jekyll, so these follow
Jekyll's code, not what seems reasonable.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path, PurePosixPath
from typing import Any

from ..common.dates import as_datetime
from ..errors import DocumentError
from .frontmatter import FrontMatter, front_matter_line
from .permalinks import (
    PermalinkError,
    date_placeholders,
    document_placeholders,
    escapes_output,
    output_path,
    render_page_permalink,
    render_permalink,
)
from .site import DocumentPlace, JekyllSite
from .values import key_line, ruby_text

logger = logging.getLogger(__name__)

__all__ = ["POST_NAME", "derive_page", "document_url"]

# document.rb's DATE_FILENAME_MATCHER, applied to the name without its extension.
POST_NAME = re.compile(r"^(\d{2,4})-(\d{1,2})-(\d{1,2})-(.*)$")

# The longest file name (one path component) Linux, macOS and Windows file systems take, in bytes.
NAME_MAX = 255
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# The front matter keys an output path is made of, the one most likely at fault first.
_PATH_KEYS = ("permalink", "slug", "categories", "category", "title")


def derive_page(page: dict[str, Any], path: Path, site: JekyllSite, place: DocumentPlace, front: FrontMatter) -> None:
    """Fill in *page* what Jekyll derives: date, slug, title, categories, tags, url, modified;
    and ``save_as``, ``published``, ``future`` for Pelican."""
    stem = path.stem
    name_match = POST_NAME.match(stem)  # pages too: ours take a date from their name, unlike Jekyll's
    tz = site.timezone
    date = as_datetime(page.get("date"), tz)
    if page.get("date") is not None and date is None:
        raise DocumentError(path, front_matter_line(front.yaml, ("date",)), f"date {page.get('date')!r} is not a date")
    if date is not None:
        # Jekyll re-parses the date's to_s (whole seconds) and shows it in the site's zone
        date = date.replace(microsecond=0).astimezone(tz)
    elif name_match:
        try:
            date = dt.datetime(int(name_match[1]), int(name_match[2]), int(name_match[3]), tzinfo=tz)
        except ValueError:
            date_text = f"{name_match[1]}-{name_match[2]}-{name_match[3]}"
            raise DocumentError(path, 1, f"the date in the file name, {date_text}, is not a date (Jekyll refuses it too)") from None
    name_slug = (name_match[4] if name_match else stem).rstrip(".")
    slug = ruby_text(page.get("slug") or name_slug)
    if page.get("title") is None and (place.type != "pages" or name_match):  # from the file name, not `slug`
        page["title"] = " ".join(part.capitalize() for part in name_slug.split("-"))
    modified_value = page.get("last_modified_at", page.get("modified"))
    modified = as_datetime(modified_value, tz) if modified_value is not None else None
    if modified_value is not None and modified is None:
        key = "last_modified_at" if "last_modified_at" in front.data else "modified"
        raise DocumentError(path, front_matter_line(front.yaml, (key,)), f"{key} {modified_value!r} is not a date")
    page["slug"] = slug
    if date is not None:
        page["date"] = date
    if modified is not None:
        page["last_modified_at"] = modified
        page["modified"] = modified
    # A page has no collection of its own; its front matter's ``collection:`` stays (Minimal Mistakes' collection layout).
    page["collection"] = place.type if place.type != "pages" else page.get("collection")
    page["categories"] = _categories(page, place, path, front)
    page["tags"] = [ruby_text(tag) for tag in _tags(page, path, front)]
    try:
        page["url"] = document_url(page, path, site, place, date, slug)
    except PermalinkError as err:
        raise DocumentError(path, front_matter_line(front.yaml, ("permalink",)), str(err)) from None
    save_as = output_path(page["url"])
    # Jekyll quietly drops ``..`` from a permalink; we report it, as the author meant another place
    if escapes_output(save_as) or ".." in PurePosixPath(str(page.get("permalink") or "")).parts:
        message = f"permalink {page.get('permalink')!r} points outside the output folder"
        raise DocumentError(path, front_matter_line(front.yaml, ("permalink",)), message)
    _check_file_name(save_as, page, path, front)
    page["save_as"] = save_as
    page["published"] = page.get("published", True) is not False
    if date is not None and not site.config.get("future") and date > dt.datetime.now(dt.timezone.utc):
        page["future"] = True


def _check_file_name(save_as: str, page: dict[str, Any], path: Path, front: FrontMatter) -> None:
    """An output path every file system can hold: no control character, no name over NAME_MAX bytes.
    The line is that of the key the path comes from (the permalink, else the slug or categories),
    looked up only when the path is refused."""
    sources = [key for key in _PATH_KEYS if key in front.data]
    control = _CONTROL.search(save_as)
    if control:
        holder = next((key for key in sources if control.group(0) in ruby_text(front.data[key])), None)
        line = key_line(front, holder or sources[0]) if sources else None
        name = "NUL" if control.group(0) == "\0" else f"U+{ord(control.group(0)):04X}"
        raise DocumentError(path, line, f"the output path {save_as!r} holds a control character ({name}); no file can have that name")
    for part in PurePosixPath(save_as).parts:
        if len(part.encode("utf-8")) > NAME_MAX:
            message = f"the output path has a name longer than {NAME_MAX} bytes ({part[:20]}…, {len(part.encode('utf-8'))} bytes)"
            line = key_line(front, sources[0]) if sources else None
            raise DocumentError(path, line, message + "; no common file system can hold it")


def _pluralized(page: dict[str, Any], singular: str, plural: str) -> list[Any]:
    """utils.rb's pluralized_array_from_hash: the singular key as is (unless nil or false), else the
    plural one split if text, compacted if a list; anything else there counts as nothing."""
    value = page.get(singular)
    if value is None or value is False:
        value = page.get(plural)
        value = value.split() if isinstance(value, str) else value if isinstance(value, list) else None
    if isinstance(value, list):
        return [item for item in _flatten(value) if item is not None]
    return [] if value is None else [value]


def _flatten(items: list[Any]) -> list[Any]:
    """Ruby's ``Array#flatten``."""
    return [leaf for item in items for leaf in (_flatten(item) if isinstance(item, list) else [item])]


def _tags(page: dict[str, Any], path: Path, front: FrontMatter) -> list[Any]:
    """document.rb's populate_tags; ``tags`` that are neither text nor a list are dropped, as Jekyll
    drops them, with a warning at their line."""
    value = page.get("tags")
    if page.get("tag") in (None, False) and value is not None and not isinstance(value, (str, list)):
        line = key_line(front, "tags")
        logger.warning("%s:%s: tags: %s is neither text nor a list; ignored, as Jekyll ignores it", path, line or "", ruby_text(value))
    return _pluralized(page, "tag", "tags")


def _categories(page: dict[str, Any], place: DocumentPlace, path: Path, front: FrontMatter) -> list[str]:
    """Folders above ``_posts``, then ``categories``, then ``category`` (document.rb), each once.

    ``categories`` must be text or a list: Jekyll stops reading the file on anything else."""
    relative = PurePosixPath(place.relative_path)
    from_path = list(relative.parts[: relative.parts.index("_posts")]) if place.type == "posts" and "_posts" in relative.parts else []
    own = page.get("categories")
    if own is not None and not isinstance(own, (str, list)):
        shown = ruby_text(own)
        hint = f' (write categories: "{shown}" for the word)' if isinstance(own, bool) else ""
        message = f"categories: {shown} is neither text nor a list; Jekyll refuses it (no implicit conversion into Array){hint}"
        raise DocumentError(path, key_line(front, "categories"), message)
    own_list = own.split() if isinstance(own, str) else list(own) if isinstance(own, list) else [] if own is None else [own]
    result: dict[str, None] = {}
    for category in [*from_path, *_flatten(own_list), *_pluralized(page, "category", "categories")]:
        if category is not None:
            result.setdefault(ruby_text(category), None)
    return list(result)


def document_url(page: dict[str, Any], path: Path, site: JekyllSite, place: DocumentPlace, date: dt.datetime | None, slug: str) -> str:
    """The document's URL by Jekyll's rules (unescaped: an IRI, where Jekyll percent-encodes)."""
    permalink = page.get("permalink")
    style = str(site.config.get("permalink") or "date")
    relative = PurePosixPath(place.relative_path)
    if place.type == "pages":
        return _page_url(str(permalink) if permalink else None, relative, style)
    pattern = str(permalink) if permalink else site.permalink_pattern(place)
    # document.rb's cleaned_relative_path: no extension, the collection's folder cut out once
    cleaned = str(relative.with_suffix("")).replace(f"_{place.type}", "", 1)
    values = document_placeholders(place.type, re.sub(r"\.*\Z", "", cleaned), path.stem, slug, page["categories"])
    values.update(date_placeholders(date or dt.datetime.now(site.timezone)))
    return render_permalink(pattern, values)


def _page_url(permalink: str | None, relative: PurePosixPath, style: str) -> str:
    """page.rb: ``/:path/:basename:output_ext``, ``/:path/`` for an index, ended like the style."""
    folder = "/" + str(relative.parent).strip(".") + "/"
    basename = relative.stem
    if permalink:
        template = permalink
    elif relative.stem == "index":
        template = "/:path/"
    else:
        template = "/:path/:basename"
        if style == "pretty" or (style not in ("date", "ordinal", "none") and style.endswith("/")):
            template += "/"
        elif style in ("date", "ordinal", "none") or style.endswith(":output_ext"):
            template += ":output_ext"
    return render_page_permalink(template, {"path": folder, "basename": basename, "output_ext": ".html"})
