"""HTML that Liquid produced and Markdown must not touch.

CommonMark (and kramdown) would re-parse an include's HTML: a blank line
inside a ``<figure>`` ends the HTML block and its indented lines turn into
code.  So tags that emit HTML store it here and leave a placeholder comment
in the text; after Markdown, the placeholders are swapped back.

The placeholder holds a key drawn from the document's own text (a hash of it), so that text can
never forge one: a comment in a post that looks like a placeholder stays a comment. The key is
the same on every build, so the output is too.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from liquid.context import RenderContext

# Any document's placeholder; a match is this document's only with its key (one pattern, compiled once).
_PLACEHOLDER = re.compile(r"<!--palimpsest-html-([0-9a-f]{16}):(\d+)-->")


class HtmlStash:
    """Numbered HTML fragments standing in for placeholders keyed by the document's text."""

    def __init__(self, text: str = "") -> None:
        self.fragments: list[str] = []
        self.key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]

    def store(self, html: str) -> str:
        """Keep *html* and return the placeholder to write instead."""
        self.fragments.append(html)
        return f"<!--palimpsest-html-{self.key}:{len(self.fragments) - 1}-->"

    def restore(self, html: str) -> str:
        """Replace every placeholder in *html* by the fragment it stands for (fragments holding
        placeholders, an include within an include, restored too)."""
        if not self.fragments:
            return html
        return self._restore(html, len(self.fragments))

    def _restore(self, html: str, below: int) -> str:
        """Placeholders of fragments stored before fragment *below* (so never a loop)."""

        def fragment(match: re.Match[str]) -> str:
            index = int(match.group(2))
            if match.group(1) != self.key or index >= below:
                return match.group(0)
            return self._restore(self.fragments[index], index)

        return _PLACEHOLDER.sub(fragment, html)

    def __bool__(self) -> bool:
        return bool(self.fragments)


def context_stash(context: RenderContext) -> HtmlStash | None:
    """The stash given to the page's render (Liquid global ``_palimpsest_stash``), if any."""
    stash = context.globals.get("_palimpsest_stash")
    return stash if isinstance(stash, HtmlStash) else None
