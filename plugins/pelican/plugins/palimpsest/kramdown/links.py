"""Link destinations kept as written.

kramdown copies a destination verbatim (``[x](<https://a/b c/中文>)`` keeps
its space and its Chinese); markdown-it percent-encodes it.  Only the
encoding step is replaced: ``validateLink`` still refuses ``javascript:``.
"""

from __future__ import annotations

from markdown_it import MarkdownIt


def _keep(url: str) -> str:
    return url


def links_plugin(md: MarkdownIt) -> None:
    md.normalizeLink = _keep  # type: ignore[method-assign]
    md.normalizeLinkText = _keep  # type: ignore[method-assign]
