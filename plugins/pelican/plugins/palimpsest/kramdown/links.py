"""Link destinations kept as written.

kramdown copies a destination verbatim (``[x](<https://a/b c/中文>)`` keeps
its space and its Chinese); markdown-it percent-encodes it.  Only the
encoding step is replaced: ``validateLink`` still refuses ``javascript:``.
markdown-it documents ``normalizeLink`` and ``normalizeLinkText`` as the
parser's overridable link hooks; they are set on this parser only.
"""

from __future__ import annotations

from markdown_it import MarkdownIt


def _keep(url: str) -> str:
    return url


def links_plugin(md: MarkdownIt) -> None:
    setattr(md, "normalizeLink", _keep)  # noqa: B010 (an instance hook; mypy refuses assigning to a method)
    setattr(md, "normalizeLinkText", _keep)  # noqa: B010
