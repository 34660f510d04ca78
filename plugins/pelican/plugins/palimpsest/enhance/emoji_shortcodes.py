"""jemoji's ``:shortcode:`` as the Unicode emoji, when the site lists jemoji in ``plugins:``.

jemoji (html-pipeline's EmojiFilter) replaces ``:name:`` in every text node
outside ``pre``, ``code`` and ``tt`` with an image from GitHub's servers;
here it becomes the character itself (no request at build or read time), for
GitHub's names (gemoji's aliases, which the ``emoji`` package carries) and
the ``emoji`` package's own names.  As in jemoji, a name followed by the next
colon is tried and an unknown one stays as text; unlike it, raw HTML, URLs
and image descriptions are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

if TYPE_CHECKING:
    from ..document import DocumentContext

PLUGIN = "jemoji"
ENV_KEY = "jemoji"
_NAME = re.compile(r"[\w+\-]{1,64}")
_CODE_OPEN = re.compile(r"<(code|pre|tt)\b", re.IGNORECASE)
_CODE_CLOSE = re.compile(r"</(code|pre|tt)\s*>", re.IGNORECASE)
_URL_LOOKBEHIND = 256  # characters before a shortcode searched for the ``://`` of a URL it would be part of


def wants_jemoji(config: Mapping[str, Any]) -> bool:
    """Whether ``_config.yml`` asks for jemoji (``plugins:``, or ``gems:`` as before Jekyll 3.5)."""
    for key in ("plugins", "gems"):
        plugins = config.get(key)
        if isinstance(plugins, list) and PLUGIN in plugins:
            return True
    return False


def ask_site(document: DocumentContext) -> None:
    """Before the Markdown: tell the plugin whether this site uses jemoji."""
    document.env[ENV_KEY] = wants_jemoji(document.site.config)


@cache
def shortcodes() -> dict[str, str]:
    """Every name → its fully qualified emoji: GitHub's aliases first, then the package's English names.
    (The package is loaded here, with the first shortcode: a site without jemoji never needs it.)"""
    import emoji

    qualified = emoji.STATUS["fully_qualified"]
    chosen = [(char, data) for char, data in emoji.EMOJI_DATA.items() if data["status"] <= qualified]
    names: dict[str, str] = {}
    for char, data in chosen:
        for alias in data.get("alias", []):
            names.setdefault(alias.strip(":"), char)
    for char, data in chosen:
        names.setdefault(str(data["en"]).strip(":"), char)
    return names


def emojize(text: str) -> str:
    """*text* with each known ``:name:`` as its emoji (linear: each colon is looked at once)."""
    names: dict[str, str] | None = None  # loaded with the first name that could be a shortcode
    parts: list[str] = []
    done = 0
    start = text.find(":")
    while start >= 0:
        end = text.find(":", start + 1)
        if end < 0:
            break
        name = text[start + 1 : end]
        char = None
        if _NAME.fullmatch(name) and not _in_url(text, start):
            names = shortcodes() if names is None else names
            char = names.get(name)
        if char is None:
            start = end  # the closing colon may open the next shortcode
            continue
        parts += [text[done:start], char]
        done = end + 1
        start = text.find(":", done)
    parts.append(text[done:])
    return "".join(parts)


def _in_url(text: str, start: int) -> bool:
    word = text[max(0, start - _URL_LOOKBEHIND) : start].rsplit(None, 1)
    return bool(word) and "://" in word[-1] and not text[start - 1].isspace()


def _replace(children: list[Token]) -> None:
    in_code = in_autolink = False
    for child in children:
        if child.type == "html_inline":
            # a raw element (``<code>…</code>``) may come whole, as one token
            opens = bool(_CODE_OPEN.match(child.content)) and not _CODE_CLOSE.search(child.content)
            in_code = opens or (in_code and not _CODE_CLOSE.match(child.content))
        elif child.type == "link_open":
            in_autolink = child.markup == "autolink"
        elif child.type == "link_close":
            in_autolink = False
        elif child.type == "text" and ":" in child.content and not (in_code or in_autolink):
            child.content = emojize(child.content)


def emoji_rule(state: StateCore) -> None:
    if not state.env.get(ENV_KEY):
        return
    for token in state.tokens:
        if token.type == "inline" and token.children:
            _replace(token.children)


def emoji_plugin(md: MarkdownIt) -> None:
    """After heading ids are made from the text (as jemoji runs after kramdown), before headings are recorded."""
    names = md.core.ruler.get_all_rules()
    if "kramdown_headings" in names:
        md.core.ruler.before("kramdown_headings", "palimpsest_emoji", emoji_rule)
    else:
        md.core.ruler.push("palimpsest_emoji", emoji_rule)
