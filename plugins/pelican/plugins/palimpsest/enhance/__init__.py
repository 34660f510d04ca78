"""This project's own enhancements, applied after kramdown's behaviours as
markdown-it plugins; ``--plain`` rendering leaves them out."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from markdown_it import MarkdownIt

from .notices import notices_plugin
from .updates import updates_plugin

# In pipeline order: notices first, so that an update inside a notice keeps its styling.
EXTENSIONS: dict[str, Callable[[MarkdownIt], None]] = {
    "notices": notices_plugin,
    "updates": updates_plugin,
}


def extensions_for(features: Iterable[str]) -> tuple[Callable[[MarkdownIt], None], ...]:
    wanted = set(features)
    return tuple(plugin for name, plugin in EXTENSIONS.items() if name in wanted)
