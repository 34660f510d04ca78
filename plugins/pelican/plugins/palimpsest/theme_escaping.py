"""Nothing from data reaches a page unescaped: the theme's Jinja environment escapes every value it
prints (autoescape), the way kramdown escapes (``& < > "``, a ``'`` stays), and a URL from data
never carries a script (``javascript:``, ``data:``, ``vbscript:``).

Pelican builds its Jinja environment without autoescape; ``prepare_environment`` switches it on
for our theme, and for the templates of ours another theme falls back to."""

from __future__ import annotations

import logging
import re
import weakref
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateNotFound, pass_context, pass_eval_context
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from markupsafe import Markup

from .common.text import escape_html
from .resources import THEME_PATH

logger = logging.getLogger(__name__)

REFUSED_SCHEMES = frozenset({"javascript", "data", "vbscript"})
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]")  # browsers drop these before reading a scheme
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_REPORTED: weakref.WeakKeyDictionary[Environment, set[tuple[str, str]]] = weakref.WeakKeyDictionary()


def refused_scheme(url: str) -> str | None:
    """The scheme of *url* if it is one that runs a script (as a browser reads it), else None."""
    match = _SCHEME.match(_IGNORED_IN_SCHEME.sub("", url).lower())
    return match.group(1) if match and match.group(1) in REFUSED_SCHEMES else None


def _line_of(path: Path, text: str) -> int | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return next((number for number, line in enumerate(lines, 1) if text in line), None)


@pass_context
def safe_url(context: Context, value: object) -> str:
    """*value* as a URL for ``href``/``src``; a script URL is refused (empty) and reported once,
    naming the document (file and line) that holds it."""
    url = "" if value is None else str(value)
    scheme = refused_scheme(url)
    if scheme is None:
        return url
    document = context.get("article") or context.get("page")
    source = str(getattr(document, "source_path", "") or "")
    reported = _REPORTED.setdefault(context.environment, set())
    if (source, url) not in reported:
        reported.add((source, url))
        line = _line_of(Path(source), url) if source else None
        where = f"{source}:{line}" if source and line else source or "a template value"
        logger.error("%s: a %s: URL is not published (%s)", where, scheme, url.strip()[:80])
    return ""


def check_site_url(settings: dict[str, Any], context: dict[str, Any]) -> None:
    """The site's own URL (``url`` in ``_config.yml``) is printed in every link: a script URL there
    is refused once for the whole build (generators share the settings and the context), and every
    page links from the site's root instead."""
    url = str(context.get("SITEURL") or "")
    scheme = refused_scheme(url)
    if scheme is None:
        return
    config = settings.get("PALIMPSEST_CONFIG")
    line = _line_of(Path(config), url[:40]) if config else None
    where = f"{config}:{line}" if config and line else config or "SITEURL"
    logger.error("%s: url: a %s: URL is not published; links start at the site's root", where, scheme)
    for values in (context, settings):  # the templates read the context, the sitemap the settings
        for key in ("SITEURL", "FEED_DOMAIN"):  # Pelican's FEED_DOMAIN defaults to SITEURL
            if values.get(key) == url:
                values[key] = ""


@pass_eval_context
def _escape_like_kramdown(eval_ctx: EvalContext, value: Any) -> Any:
    """What autoescape prints: kramdown's escaping (a ``'`` stays, as in the rendered bodies), so
    that ordinary values print exactly as before; HTML marked safe stays as it is."""
    if not eval_ctx.autoescape or hasattr(value, "__html__"):
        return value
    return _escaped(value) if type(value) is str else Markup(escape_html(str(value)))


@lru_cache(maxsize=4096)
def _escaped(text: str) -> Markup:
    """:func:`escape_html` of a string as safe markup, kept: a page prints the same few (the site's
    URL and name, a language, UI words) dozens of times, and every page prints them again."""
    return Markup(escape_html(text))


def _theme_templates(env: Environment) -> Callable[[str | None], bool]:
    """Autoescape for the templates our theme serves, when another theme falls back to them."""
    ours = (THEME_PATH / "templates").resolve()
    default = env.autoescape

    def autoescape(name: str | None) -> bool:
        if name is not None and env.loader is not None:
            try:
                _, filename, _ = env.loader.get_source(env, name)
            except TemplateNotFound:
                filename = None
            if filename and Path(filename).resolve().is_relative_to(ours):
                return True
        return default(name) if callable(default) else bool(default)

    return autoescape


def prepare_environment(env: Environment, settings: dict[str, Any]) -> None:
    """Autoescape on: everywhere with our theme, else for our templates only; values escaped as kramdown escapes."""
    theme = settings.get("THEME")
    if theme and Path(str(theme)).resolve() == THEME_PATH.resolve():
        env.autoescape = True
    else:
        env.autoescape = _theme_templates(env)
    if env.finalize is None:
        env.finalize = _escape_like_kramdown
