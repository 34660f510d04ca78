"""What Minimal Mistakes' layouts read from the site, for the theme's templates: the masthead
navigation (``_data/navigation.yml``), UI words (``_data/ui-text.yml``), the author profile
(``author:`` in ``_config.yml``, ``_data/authors.yml``), the footer links, related posts, and the
site's own ``_includes/head/custom.html`` and ``_includes/footer/custom.html`` rendered with Liquid.

Read once per build (:func:`add_theme_context`, on Pelican's ``generator_init``); the templates
call the globals and filters below.  Values from data are printed escaped; only HTML rendered
from Markdown or from the site's Liquid includes is marked safe.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from .i18n import site_ui_text
from .jekyll.values import ruby_text
from .kramdown import KramdownOptions, render_markdown
from .theme_escaping import refused_scheme
from .theme_lists import by_year, collection_members, posts_only, related_posts, taxonomy_groups

logger = logging.getLogger(__name__)

CONTEXT_KEY = "PALIMPSEST_THEME"
CUSTOM_INCLUDES = {"head": "_includes/head/custom.html", "footer": "_includes/footer/custom.html"}
_PARAGRAPH = re.compile(r"\A<p>(.*)</p>\s*\Z", re.DOTALL)
_CSS_URL_SAFE = ":/?#[]@!$&*+,;=%~-._"
_CSS_COLOR = re.compile(r"\A(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,30}|rgba?\(\s*[\d.%\s,]+\))\Z")


@dataclass
class ThemeSite:
    """The site's values the theme shows, read once per build."""

    root: Path
    config: Mapping[str, Any]
    data: Mapping[str, Any]
    site_variables: Mapping[str, Any]
    include_dirs: tuple[Path, ...]
    kramdown: KramdownOptions
    limits: Any
    navigation: list[dict[str, str]] = field(default_factory=list)
    reported: set[tuple[str, str]] = field(default_factory=set)
    templates: dict[str, Any] = field(default_factory=dict)

    def error_once(self, where: str, message: str) -> None:
        if (where, message) not in self.reported:
            self.reported.add((where, message))
            logger.error("%s: %s", where, message)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ruby_text(value)


def _navigation(root: Path, data: Mapping[str, Any]) -> list[dict[str, str]]:
    """``main:`` of ``_data/navigation.yml``: items with a ``title`` and a ``url``; a bad item is an
    error naming the file and the item, and is left out."""
    navigation = data.get("navigation")
    if not isinstance(navigation, Mapping) or navigation.get("main") is None:
        return []
    items = navigation.get("main")
    where = str(root / "_data" / "navigation.yml")
    if not isinstance(items, list):
        logger.error("%s: main: a list of items (title, url) is expected", where)
        return []
    links = []
    for number, item in enumerate(items, 1):
        if not isinstance(item, Mapping) or item.get("title") in (None, "") or item.get("url") in (None, ""):
            logger.error("%s: main, item %d: an item needs a title and a url; left out of the navigation", where, number)
            continue
        links.append({"title": _text(item["title"]), "url": _text(item["url"])})
    return links


def add_theme_context(generator: Any) -> None:
    """On ``generator_init``: the site's values (once per build, in the shared context) and the
    templates' globals (in every generator's environment)."""
    context = generator.context
    if CONTEXT_KEY not in context:
        from .reader import site_for

        site = site_for(generator.settings)
        theme = ThemeSite(
            root=site.root,
            config=site.config,
            data=site.data,
            site_variables=site.variables,
            include_dirs=site.include_dirs,
            kramdown=KramdownOptions.from_config(site.kramdown_config),
            limits=site.limits,
        )
        theme.navigation = _navigation(site.root, site.data)
        context[CONTEXT_KEY] = theme
    generator.env.globals.update(
        masthead_links=masthead_links,
        author_profile=author_profile,
        footer_links=footer_links,
        custom_include=custom_include,
    )
    generator.env.filters.update(
        ui_text=ui_text_filter,
        markdownify_inline=markdownify_inline,
        excerpt_html=excerpt_html,
        posts_only=posts_only,
        related_posts=related_posts,
        collection_members=collection_members,
        by_year=by_year,
        taxonomy_groups=taxonomy_groups,
        hero_style=hero_style,
        site_url=site_url,
        taxonomy_link=taxonomy_link,
    )


def _theme(context: Context | Mapping[str, Any]) -> ThemeSite | None:
    theme = context.get(CONTEXT_KEY)
    return theme if isinstance(theme, ThemeSite) else None


def _document(context: Context) -> Any:
    return context.get("article") or context.get("page")


@pass_context
def ui_text_filter(context: Context, key: str, lang: object = None) -> str:
    """A UI word in *lang*: the site's ``_data/ui-text.yml`` first, then the theme's own."""
    theme = _theme(context)
    site_text = theme.data.get("ui-text") if theme else None
    return site_ui_text(site_text if isinstance(site_text, Mapping) else None, key, lang or context.get("DEFAULT_LANG"))


@pass_context
def site_url(context: Context, url: object) -> str:
    """A URL from data as a link: an absolute one as it is, a site path under ``SITEURL``
    (Jekyll's ``relative_url``); a script URL is empty."""
    text = "" if url is None else _text(url).strip()
    if refused_scheme(text):
        return ""
    if "://" in text or text.startswith(("//", "mailto:", "tel:", "#")):
        return text
    return f"{str(context.get('SITEURL') or '').rstrip('/')}/{text.lstrip('/')}"


@pass_context
def masthead_links(context: Context) -> list[dict[str, str]]:
    """The masthead's links: ``main:`` of ``_data/navigation.yml``; without it, the site's pages
    (never the 404 page), the posts archive and Recently updated."""
    theme = _theme(context)
    if theme and theme.navigation:
        return [{"title": item["title"], "url": site_url(context, item["url"])} for item in theme.navigation]
    root = str(context.get("SITEURL") or "")
    links = [
        {"title": str(page.title), "url": f"{root}/{page.url}"}
        for page in context.get("pages") or []
        if not str(page.url).endswith("404.html") and str(page.url).strip("/") != "404"
    ]
    archive = next((page for page in context.get("pages") or [] if getattr(page, "layout", None) == "posts"), None)
    if archive is not None:
        links = [link for link in links if link["url"] != f"{root}/{archive.url}"]
        links.append({"title": ui_text_filter(context, "archives"), "url": f"{root}/{archive.url}"})
    elif "archives" in (context.get("DIRECT_TEMPLATES") or ()) and context.get("ARCHIVES_SAVE_AS"):
        links.append({"title": ui_text_filter(context, "archives"), "url": f"{root}/{context['ARCHIVES_SAVE_AS']}"})
    if context.get("PALIMPSEST_RECENT_UPDATES", True) is not False and "updates" in _features(context):
        links.append({"title": ui_text_filter(context, "recently_updated"), "url": f"{root}/updates/"})
    return links


def _features(context: Context) -> frozenset[str]:
    from .features import enabled_features

    return enabled_features({"PALIMPSEST_FEATURES": context.get("PALIMPSEST_FEATURES")})


def _links(context: Context, items: object) -> list[dict[str, str]]:
    """``links:`` of an author or the footer: items with a ``label`` and a ``url``."""
    if not isinstance(items, list):
        return []
    links = []
    for item in items:
        if isinstance(item, Mapping) and item.get("label") and item.get("url"):
            url = site_url(context, item["url"])
            if url:
                links.append({"label": _text(item["label"]), "url": url})
    return links


@pass_context
def author_profile(context: Context, document: Any = None) -> dict[str, Any] | None:
    """The author profile Minimal Mistakes shows with ``author_profile: true``: the page's
    ``author`` (a key of ``_data/authors.yml``), else the site's ``author`` mapping."""
    theme = _theme(context)
    if theme is None:
        return None
    jekyll = getattr(document, "jekyll", None) or {}
    author: object = theme.config.get("author")
    key = jekyll.get("author")
    authors = theme.data.get("authors")
    if isinstance(key, str) and isinstance(authors, Mapping) and isinstance(authors.get(key), Mapping):
        author = authors[key]
    elif isinstance(key, str) and key.strip():
        author = {"name": key}
    if isinstance(author, str):
        author = {"name": author}
    if not isinstance(author, Mapping) or not author.get("name"):
        return None
    avatar = site_url(context, author.get("avatar")) if author.get("avatar") else ""
    bio = author.get("bio")
    return {
        "name": _text(author["name"]),
        "avatar": avatar,
        "bio": markdownify_inline(context, bio) if bio else "",
        "location": _text(author.get("location")) if author.get("location") else "",
        "links": _links(context, author.get("links")),
    }


@pass_context
def footer_links(context: Context) -> list[dict[str, str]]:
    """``footer.links`` of ``_config.yml``."""
    theme = _theme(context)
    footer = theme.config.get("footer") if theme else None
    return _links(context, footer.get("links")) if isinstance(footer, Mapping) else []


@pass_context
def markdownify_inline(context: Context, text: object) -> Markup:
    """Front-matter text (``header.caption``, ``excerpt``, an author's ``bio``) rendered as
    Markdown with the site's kramdown options, one paragraph unwrapped.  Raw HTML is not taken
    from data: ``<`` and ``&`` stay text."""
    if text is None or text == "":
        return Markup("")
    theme = _theme(context)
    source = _text(text).replace("&", "&amp;").replace("<", "&lt;")
    html = render_markdown(source, theme.kramdown if theme else KramdownOptions()).strip()
    match = _PARAGRAPH.match(html)
    return Markup(match.group(1) if match and "<p>" not in match.group(1) else html)


@pass_context
def excerpt_html(context: Context, document: Any) -> Markup:
    """A document's excerpt as HTML: Jekyll's rendered excerpt as it is; a front-matter
    ``excerpt`` (text, escaped by the reader) rendered as Markdown, as Minimal Mistakes does."""
    summary = str(getattr(document, "summary", "") or "")
    if not summary or summary.lstrip().startswith("<"):  # rendered Markdown starts with an element
        return Markup(summary)
    return markdownify_inline(context, html.unescape(summary))


@pass_context
def taxonomy_link(context: Context, name: object, kind: str = "tags") -> str:
    """Where a tag (or category) links: its anchor on the site's ``layout: tags`` (``categories``)
    page, else Pelican's tag page when the build writes one, else nowhere (empty)."""
    from .jekyll.slugify import slugify

    layouts = {"tags": ("tags", "tag"), "categories": ("categories", "category")}.get(kind, ())
    root = str(context.get("SITEURL") or "")
    for page in context.get("pages") or []:
        if getattr(page, "layout", None) in layouts and not getattr(page, "taxonomy", None):
            return f"{root}/{page.url}#{slugify(_text(str(name))) or 'tag'}"
    save_as = context.get("TAG_SAVE_AS" if kind == "tags" else "CATEGORY_SAVE_AS")
    url = getattr(name, "url", None)
    return f"{root}/{url}" if save_as and url else ""


@pass_context
def hero_style(context: Context, header: object) -> str:
    """The page hero's ``style``: ``overlay_color``, or ``overlay_image`` under ``overlay_filter``
    (an opacity 0-1 or an ``rgba()`` colour), as Minimal Mistakes composes them; only values
    that are a colour, a number or a URL without a script."""
    if not isinstance(header, Mapping):
        return ""
    image = header.get("overlay_image")
    if image:
        url = site_url(context, image)
        if not url:
            return ""
        url = quote(url, safe=_CSS_URL_SAFE)  # no quote, bracket, space or backslash left in url('…')
        overlay = header.get("overlay_filter")
        color = ""
        if isinstance(overlay, int | float) and not isinstance(overlay, bool):
            color = f"rgba(0, 0, 0, {min(max(float(overlay), 0.0), 1.0)})"
        elif isinstance(overlay, str) and _CSS_COLOR.match(overlay.strip()):
            color = overlay.strip()
        gradient = f"linear-gradient({color}, {color}), " if color else ""
        return f"background-image: {gradient}url('{url}');"
    color_value = header.get("overlay_color")
    if isinstance(color_value, str) and _CSS_COLOR.match(color_value.strip()):
        return f"background-color: {color_value.strip()};"
    return ""


@pass_context
def custom_include(context: Context, name: str) -> Markup:
    """The site's ``_includes/<name>/custom.html`` rendered with Liquid (``site``, and ``page`` as
    the document's Jekyll variables), inserted where Minimal Mistakes inserts it; an error in it
    is reported once, naming the file and line, and nothing is inserted."""
    theme = _theme(context)
    relative = CUSTOM_INCLUDES.get(name)
    if theme is None or relative is None:
        return Markup("")
    path = theme.root / relative
    if relative not in theme.templates:
        theme.templates[relative] = _load_include(theme, path)
    template = theme.templates[relative]
    if template is None:
        return Markup("")
    from liquid.exceptions import LiquidError

    document = _document(context)
    page = dict(getattr(document, "jekyll", None) or {})
    try:
        variables = {"site": theme.site_variables, "page": page, "content": ""}
        return Markup(template.render(**variables, _palimpsest_stash=None, _palimpsest_kramdown=theme.kramdown, _palimpsest_includes=None))
    except LiquidError as err:
        line = getattr(getattr(err, "token", None), "linenum", None) or getattr(err, "linenum", None)
        theme.error_once(f"{path}:{line}" if line else str(path), f"Liquid error: {getattr(err, 'message', err)}")
        return Markup("")


def _load_include(theme: ThemeSite, path: Path) -> Any:
    """The include's template, or None when the site has none (or it leads out of the site)."""
    if not path.is_file():
        return None
    if not path.resolve().is_relative_to(theme.root.resolve()):
        return None  # a link out of the site: not read (the build's containment scan reports it)
    from liquid.exceptions import LiquidError

    from .liquid.environment import jekyll_environment

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        theme.error_once(str(path), f"not readable as UTF-8 ({err})")
        return None
    try:
        return jekyll_environment(theme.include_dirs, theme.limits).from_string(text)
    except LiquidError as err:
        line = getattr(getattr(err, "token", None), "linenum", None) or getattr(err, "linenum", None)
        theme.error_once(f"{path}:{line}" if line else str(path), f"Liquid error: {getattr(err, 'message', err)}")
        return None
