"""kramdown's standalone images: ``![alt](src){: standalone}`` alone in a paragraph.

kramdown 2.4 renders such a paragraph as ``<figure>`` with the image and a
``<figcaption>`` of its alt text; the image's class and id move to the
figure unless the paragraph's own IAL gives one.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token


def standalone_images(state: StateCore) -> None:
    tokens = state.tokens
    for index in range(1, len(tokens) - 1):
        inline = tokens[index]
        children = [child for child in inline.children or [] if not (child.type == "text" and not child.content.strip())]
        if inline.type != "inline" or tokens[index - 1].type != "paragraph_open" or len(children) != 1:
            continue
        image = children[0]
        if image.type != "image" or "standalone" not in image.meta.get("ial_refs", ()):
            continue
        opening, closing = tokens[index - 1], tokens[index + 1]
        opening.tag = closing.tag = "figure"
        for name in ("class", "id"):
            if name in image.attrs and name not in opening.attrs:
                opening.attrs[name] = image.attrs.pop(name)
        caption = Token("html_inline", "", 0)
        alt = "".join(child.content for child in image.children or [])
        caption.content = f"\n<figcaption>{escapeHtml(alt)}</figcaption>\n"
        inline.children = [image, caption]


def standalone_images_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("kramdown_standalone_images", standalone_images)
