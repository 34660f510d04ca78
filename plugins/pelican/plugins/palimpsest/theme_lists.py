"""The lists Minimal Mistakes' layouts show: posts only (no collection documents), a collection's
members in its ``sort_by``/``sort_order``, posts by year, tag and category groups with counts, and
related posts.  Filters of the theme (registered by :mod:`.theme_context`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .jekyll.values import ruby_text

RELATED_POSTS = 4  # Minimal Mistakes shows four


def _collection(document: Any) -> str:
    jekyll = getattr(document, "jekyll", None) or {}
    return str(jekyll.get("collection") or "posts")


def posts_only(documents: Iterable[Any]) -> list[Any]:
    """The posts among *documents* (Minimal Mistakes' home and archives list no collection document)."""
    return [document for document in documents or [] if _collection(document) == "posts"]


def related_posts(document: Any, articles: Iterable[Any], limit: int = RELATED_POSTS) -> list[Any]:
    """Posts sharing the most tags with *document*, newest first among equals; without any, the
    latest posts (Minimal Mistakes' ``related: true``)."""
    posts = [post for post in posts_only(articles) if post is not document and getattr(post, "url", None) != getattr(document, "url", None)]
    tags = {str(tag) for tag in getattr(document, "tags", None) or []}
    newest = sorted(posts, key=lambda post: (post.date, str(post.url)), reverse=True)
    shared = [(len(tags & {str(tag) for tag in getattr(post, "tags", None) or []}), post) for post in newest]
    ranked = [post for count, post in sorted(shared, key=lambda pair: -pair[0]) if count > 0]
    return (ranked or newest)[:limit]


def _sort_key(value: object) -> tuple[int, Any]:
    if value is None:
        return (0, "")  # Jekyll's sort: nil first
    if isinstance(value, bool):
        return (2, str(value))
    if isinstance(value, int | float):
        return (1, value)
    return (2, ruby_text(value))


def collection_members(articles: Iterable[Any], label: object, sort_by: object = None, sort_order: object = None) -> list[Any]:
    """``site.<label>``: the collection's documents, in Jekyll's order (date, then path) or by the
    page's ``sort_by`` field; ``sort_order: reverse`` reverses."""
    name = ruby_text(label) if label is not None else ""
    members = [document for document in articles or [] if _collection(document) == name]
    members.sort(key=lambda d: (d.date is None, d.date.timestamp() if d.date else 0, str(getattr(d, "source_path", ""))))
    if isinstance(sort_by, str) and sort_by:
        field_name = sort_by

        def key(document: Any) -> tuple[int, Any]:
            jekyll = getattr(document, "jekyll", None) or {}
            return _sort_key(jekyll.get(field_name))

        members.sort(key=key)  # nil first, then numbers, then text: values of one kind compare
    if sort_order == "reverse":
        members.reverse()
    return members


def by_year(documents: Iterable[Any]) -> list[tuple[int, list[Any]]]:
    """Posts grouped by year, newest year and post first (Minimal Mistakes' ``posts`` layout)."""
    groups: dict[int, list[Any]] = {}
    for document in sorted(documents or [], key=lambda d: (d.date, str(d.url)), reverse=True):
        groups.setdefault(document.date.year, []).append(document)
    return sorted(groups.items(), reverse=True)


def taxonomy_groups(documents: Iterable[Any], kind: str, only: object = None) -> list[dict[str, Any]]:
    """``site.tags`` / ``site.categories`` as Minimal Mistakes lists them: posts only, every tag or
    category of each (Jekyll's, not Pelican's first category), the largest group first (ties by
    name), each with its anchor (Jekyll's ``slugify``); *only* keeps one (``layout: tag`` with
    ``taxonomy:``)."""
    from .jekyll.slugify import slugify

    groups: dict[str, list[Any]] = {}
    for document in sorted(posts_only(documents), key=lambda d: (d.date, str(d.url)), reverse=True):
        jekyll = getattr(document, "jekyll", None) or {}
        names = jekyll.get(kind) or []
        for name in dict.fromkeys(ruby_text(name) for name in (names if isinstance(names, list) else [names])):
            if name and (only is None or name == ruby_text(only)):
                groups.setdefault(name, []).append(document)
    ordered = sorted(groups.items(), key=lambda group: (-len(group[1]), group[0].lower(), group[0]))
    anchors: set[str] = set()
    result = []
    for name, posts in ordered:
        anchor = slugify(name) or "tag"
        while anchor in anchors:  # two names with one slug: each its own anchor
            anchor += "-"
        anchors.add(anchor)
        result.append({"name": name, "anchor": anchor, "posts": posts})
    return result
