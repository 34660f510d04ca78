"""HTML that Liquid produced and Markdown must not touch.

CommonMark (and kramdown) would re-parse an include's HTML: a blank line
inside a ``<figure>`` ends the HTML block and its indented lines turn into
code.  So tags that emit HTML store it here and leave a placeholder comment
in the text; after Markdown, the placeholders are swapped back.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from liquid.context import RenderContext

_PLACEHOLDER = re.compile(r"<!--palimpsest-html:(\d+)-->")


class HtmlStash:
    """Numbered HTML fragments standing in for placeholders."""

    def __init__(self) -> None:
        self.fragments: list[str] = []

    def store(self, html: str) -> str:
        """Keep *html* and return the placeholder to write instead."""
        self.fragments.append(html)
        return f"<!--palimpsest-html:{len(self.fragments) - 1}-->"

    def restore(self, html: str) -> str:
        """Replace every placeholder in *html* by the fragment it stands for."""
        if not self.fragments:
            return html
        return _PLACEHOLDER.sub(lambda match: self.fragments[int(match.group(1))], html)

    def __bool__(self) -> bool:
        return bool(self.fragments)


def context_stash(context: RenderContext) -> HtmlStash | None:
    """The stash given to the page's render (Liquid global ``_palimpsest_stash``), if any."""
    stash = context.globals.get("_palimpsest_stash")
    return stash if isinstance(stash, HtmlStash) else None
