"""Dated update callouts become data.

A paragraph, blockquote or notice whose text *starts* with an update phrase
("2022 年 2 月 14 日更新：", "Mise à jour du 14 février 2022 :", "Update
(2022-02-14):"), or any block marked ``{: .update date="2022-02-14"}``, is an
update: its date is wrapped in ``<time datetime>``, the block gets a stable
id (``update-2022-02-14``) and the class ``update``, and
``env["updates"]`` lists ``{date, id, text}``.  List items are never updates
(a dated timeline is not a changelog).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..common.dates import as_date, as_datetime
from ..errors import DocumentError
from ..i18n import localized_date
from .update_phrases import find_update_phrase

if TYPE_CHECKING:
    from ..document import DocumentContext

logger = logging.getLogger(__name__)

SUMMARY_LENGTH = 120
_CONTAINERS = frozenset({"blockquote_open", "notice_open"})


def _file_line(state: StateCore, token: Token) -> tuple[str, int | None]:
    path = str(state.env.get("source_path") or "<text>")
    if not token.map:
        return path, None
    return path, int(state.env.get("line_offset", 0)) + token.map[0] + 1


def _plain_text(inline: Token) -> str:
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    text = " ".join("".join(parts).split())
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1].rstrip() + "…"


def _first_text(inline: Token) -> int | None:
    """Index of the first text child, skipping opening bold/emphasis markup."""
    for index, child in enumerate(inline.children or []):
        if child.type == "text" and not child.content:
            continue
        if child.type == "text":
            return index
        if child.type not in ("strong_open", "em_open"):
            return None
    return None


def _html(content: str) -> Token:
    return Token("html_inline", "", 0, content=content)


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _wrap_phrase(children: list[Token], index: int, start: int, end: int, date: dt.date) -> None:
    content = children[index].content
    replacement = [
        _text(content[:start]),
        _html(f'<time datetime="{date.isoformat()}">'),
        _text(content[start:end]),
        _html("</time>"),
        _text(content[end:]),
    ]
    children[index : index + 1] = [token for token in replacement if token.type != "text" or token.content]


def _unique_id(state: StateCore, date: dt.date) -> str:
    used: dict[str, int] = state.env.setdefault("update_ids", {})
    base = f"update-{date.isoformat()}"
    count = used.get(base, -1) + 1
    used[base] = count
    return f"{base}-{count}" if count else base


def _record(state: StateCore, block: Token, inline: Token, date: dt.date, quote: bool) -> None:
    identifier = block.attrGet("id") or _unique_id(state, date)
    block.attrSet("id", str(identifier))
    block.attrJoin("class", "update")
    if quote:
        block.attrJoin("class", "update--quote")
    state.env.setdefault("updates", []).append({"date": date, "id": str(identifier), "text": _plain_text(inline)})


def _explicit_date(state: StateCore, block: Token) -> dt.date | None:
    """The date of a ``{: .update date="…"}`` block; an impossible one is an error."""
    classes = str(block.attrGet("class") or "").split()
    value = block.attrGet("date")
    if "update" not in classes or value is None:
        return None
    date = as_date(str(value))
    if date is None:
        path, line = _file_line(state, block)
        raise DocumentError(path, line, f"update date {value!r} is not a valid YYYY-MM-DD date")
    del block.attrs["date"]
    block.attrSet("class", " ".join(c for c in classes if c != "update"))
    if not block.attrGet("class"):
        del block.attrs["class"]
    return date


def updates_rule(state: StateCore) -> None:
    tokens = state.tokens
    parents: list[int] = []  # indexes of the open containers
    lang = state.env.get("lang")
    for index, token in enumerate(tokens):
        if token.nesting == -1:
            if parents:
                parents.pop()
            continue
        if token.nesting != 1:
            continue
        parent_index = parents[-1] if parents else None
        parent = tokens[parent_index] if parent_index is not None else None
        parents.append(index)
        explicit = _explicit_date(state, token)
        if token.type == "paragraph_open" and tokens[index + 1].type == "inline":
            inline = tokens[index + 1]
            if parent is not None and parent.type not in _CONTAINERS:
                continue  # list items, footnotes, table cells…
            first_in_quote = parent is not None and parent_index is not None and parent_index + 1 == index
            block = parent if parent is not None and first_in_quote and not parent.attrGet("id") else token
            date = explicit  # a container's own explicit date was recorded when it opened
            text_index = _first_text(inline)
            children = inline.children or []
            phrase = find_update_phrase(children[text_index].content) if text_index is not None else None
            if phrase is not None and phrase.date is None:
                path, line = _file_line(state, token)
                logger.warning("%s:%s: %r names an impossible date; left as plain text", path, line, phrase.written)
                phrase = None
            if phrase is not None and phrase.date is not None and text_index is not None:
                _wrap_phrase(children, text_index, phrase.start, phrase.end, phrase.date)
                date = date or phrase.date
            elif date is not None:
                inline.children = [
                    _html(f'<time class="update__date" datetime="{date.isoformat()}">{localized_date(date, lang)}</time>'),
                    _text(" "),
                    *children,
                ]
            if date is not None:
                _record(state, block, inline, date, quote=block is not token and block.type == "blockquote_open")
        elif explicit is not None:
            content = next((t for t in tokens[index + 1 :] if t.type == "inline"), None)
            if content is not None:
                _record(state, token, content, explicit, quote=False)


def updates_plugin(md: MarkdownIt) -> None:
    # After the notices, so that a GitHub alert's marker line is gone when the text is read.
    names = md.core.ruler.get_all_rules()
    md.core.ruler.after("palimpsest_notices" if "palimpsest_notices" in names else "text_join", "palimpsest_updates", updates_rule)


def collect_updates(document: DocumentContext) -> None:
    """The page's ``updates``, oldest first; the newest one moves ``modified`` forward."""
    updates = sorted(document.env.get("updates", []), key=lambda update: update["date"])
    document.page["updates"] = updates
    if not updates:
        return
    moment = as_datetime(updates[-1]["date"], document.site.timezone)
    modified = document.page.get("modified")
    if moment is not None and (modified is None or modified < moment):
        document.page["modified"] = moment
