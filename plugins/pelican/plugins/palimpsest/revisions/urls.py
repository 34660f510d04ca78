"""Where a document's revisions live, relative to the document's own URL.

- ``<url>/history/``: every revision, newest first, with what changed;
- ``<url>/history/<YYYY-MM-DD>-<sha7>/``: one revision (``noindex``, canonical
  link to the current page);
- ``…/<YYYY-MM-DD>-<sha7>/diff/``: against the previous revision;
- ``…/<YYYY-MM-DD>-<sha7>/compare/``: against the current version.

Every URL ends in a folder; its page is ``index.html`` there (:func:`save_as`).
"""

from __future__ import annotations


def history_url(document_url: str) -> str:
    """``<document url>/history/``, the document's URL made a folder (``a.html`` → ``a/history/``)."""
    url = document_url
    if url.endswith(".html"):
        url = url[: -len(".html")] + "/"
    elif url and not url.endswith("/"):
        url += "/"
    return f"{url}history/"


def revision_url(history: str, slug: str) -> str:
    return f"{history}{slug}/"


def diff_url(history: str, slug: str) -> str:
    """Against the previous revision."""
    return f"{revision_url(history, slug)}diff/"


def compare_url(history: str, slug: str) -> str:
    """Against the current version."""
    return f"{revision_url(history, slug)}compare/"


def save_as(url: str) -> str:
    """The file a folder URL is served from."""
    return f"{url}index.html"
