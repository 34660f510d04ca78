"""One notice model for Minimal Mistakes notices, GitHub alerts and Obsidian callouts.

All three come out with Minimal Mistakes' classes (``notice``,
``notice--info``…), so existing CSS and content keep working, plus what
assistive technology needs: ``role="note"`` and an ``aria-label`` in the
page's language.  A foldable Obsidian callout (``> [!info]- Title``) becomes
``<details>``.  The kinds found are listed in ``env["notices"]``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..common.text import escape_html
from ..i18n import ui_text

if TYPE_CHECKING:
    from ..document import DocumentContext

NOTICE_CLASSES = ("notice", "notice--primary", "notice--info", "notice--warning", "notice--success", "notice--danger")
# GitHub alert types, then Obsidian callout types, to Minimal Mistakes' notice classes.
ALERT_KINDS = {
    "note": "notice--info",
    "tip": "notice--success",
    "important": "notice--primary",
    "warning": "notice--warning",
    "caution": "notice--danger",
    "info": "notice--info",
    "todo": "notice--info",
    "question": "notice--info",
    "help": "notice--info",
    "faq": "notice--info",
    "abstract": "notice--primary",
    "summary": "notice--primary",
    "tldr": "notice--primary",
    "hint": "notice--success",
    "success": "notice--success",
    "check": "notice--success",
    "done": "notice--success",
    "attention": "notice--warning",
    "failure": "notice--danger",
    "fail": "notice--danger",
    "missing": "notice--danger",
    "danger": "notice--danger",
    "error": "notice--danger",
    "bug": "notice--danger",
    "example": "notice",
    "quote": "notice",
    "cite": "notice",
}
_MARKER = re.compile(r"^\[!([A-Za-z]+)\]([+-]?)[ \t]*([^\n]*)(?:\n|$)")
_HTML_CLASS = re.compile(r"""^(\s*<[A-Za-z][\w-]*\b[^>]*?\bclass\s*=\s*["'])([^"']*)(["'])""")


def notice_kind(classes: str) -> str | None:
    """The notice class among *classes*, the most specific one."""
    found = [name for name in classes.split() if name in NOTICE_CLASSES]
    return max(found, key=len) if found else None


def _label(token: Token, kind: str, lang: object, title: str | None = None) -> None:
    if token.attrGet("role") is None:
        token.attrSet("role", "note")
    if token.attrGet("aria-label") is None:
        token.attrSet("aria-label", title or ui_text(kind, lang))


def _convert_alert(tokens: list[Token], index: int) -> str | None:
    """Turn the blockquote at *index* into a notice if it starts with ``[!TYPE]``."""
    if index + 2 >= len(tokens) or tokens[index + 1].type != "paragraph_open":
        return None
    inline = tokens[index + 2]
    match = _MARKER.match(inline.content)
    if not match or match.group(1).lower() not in ALERT_KINDS:
        return None
    kind = ALERT_KINDS[match.group(1).lower()]
    fold, title = match.group(2), match.group(3).strip()
    close = _matching_close(tokens, index)
    tag = "details" if fold else "div"
    for token in (tokens[index], tokens[close]):
        token.tag = tag
        token.type = token.type.replace("blockquote", "notice")
    tokens[index].attrJoin("class", kind)
    if fold == "+":
        tokens[index].attrSet("open", "")
    _strip_marker(inline, len(match.group(0)))
    insert: list[Token] = []
    if title or fold:
        heading = Token("html_block", "", 0)
        text = title or match.group(1).capitalize()
        heading.content = (
            f"<summary>{escape_html(text)}</summary>\n" if fold else f'<p class="notice__title"><strong>{escape_html(text)}</strong></p>\n'
        )
        heading.block = True
        insert.append(heading)
    if not inline.children:
        del tokens[index + 1 : index + 4]
    tokens[index + 1 : index + 1] = insert
    tokens[index].meta["notice_title"] = title or None
    return kind


def _strip_marker(inline: Token, length: int) -> None:
    """Remove the ``[!TYPE] title`` line: the children up to the first line break."""
    inline.content = inline.content[length:]
    children = inline.children or []
    for position, child in enumerate(children):
        if child.type in ("softbreak", "hardbreak"):
            inline.children = children[position + 1 :]
            return
    inline.children = []


def _matching_close(tokens: list[Token], index: int) -> int:
    level = tokens[index].level
    for position in range(index + 1, len(tokens)):
        if tokens[position].level == level and tokens[position].nesting == -1:
            return position
    return len(tokens) - 1


def notices_rule(state: StateCore) -> None:
    lang = state.env.get("lang")
    found: list[str] = state.env.setdefault("notices", [])
    tokens = state.tokens
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "blockquote_open":
            kind = _convert_alert(tokens, index)
            if kind:
                _label(tokens[index], kind, lang, tokens[index].meta.get("notice_title"))
                found.append(kind)
                index += 1
                continue
        if token.nesting == 1 and token.block:
            kind = notice_kind(str(token.attrGet("class") or ""))
            if kind:
                _label(token, kind, lang)
                found.append(kind)
        elif token.type == "html_block":
            match = _HTML_CLASS.match(token.content)
            kind = notice_kind(match.group(2)) if match else None
            if kind and "role=" not in token.content.split(">", 1)[0]:
                label = ui_text(kind, lang)
                token.content = re.sub(r"^(\s*<[A-Za-z][\w-]*)", rf'\1 role="note" aria-label="{label}"', token.content, count=1)
                found.append(kind)
        index += 1


def notices_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("text_join", "palimpsest_notices", notices_rule)


def collect_notices(document: DocumentContext) -> None:
    """The page's ``notices``: the kind of every notice box, in document order."""
    document.page["notices"] = document.env.get("notices", [])
