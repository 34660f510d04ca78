"""The site's documents as Liquid sees them: ``site.posts``, ``site.pages``, ``site.<collection>``,
``site.collections``, ``site.tags``, ``site.categories``, ``site.documents``; ``page.next`` and
``page.previous``; what ``post_url`` and ``link`` look up.

Documents render one by one, before all are read, so these come from a cheap scan of every
document's front matter and derived values (url, date, title, slug, categories, tags), made once
per site and only when a template asks for one of them: a site that never uses them pays nothing.
A document the scan cannot read is left out here; its own rendering reports the error.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from ..build.recording import note_clock
from ..errors import DocumentError
from .containment import JEKYLL_EXCLUDES, jekyll_excluded
from .frontmatter import normal_source, split_front_matter

if TYPE_CHECKING:
    from .site import Collection, JekyllSite

__all__ = ["DocumentVariables", "PageVariables", "SiteDocuments", "SiteVariables", "scan_documents"]

# The keys of ``site`` that are Jekyll's own (SiteDrop), computed on first use.
SITE_DOCUMENT_KEYS = frozenset({"posts", "pages", "html_pages", "documents", "collections", "tags", "categories"})
_MARKDOWN_OR_HTML = (".html", ".htm")
POST_FILE = re.compile(r"^\d{2,4}-\d{1,2}-\d{1,2}-.*\.[^.]+$")


class DocumentVariables(dict[str, Any]):
    """One document's ``page``-like variables; ``next``, ``previous`` and ``excerpt`` on first use."""

    scan: SiteDocuments | None = None

    def __missing__(self, key: str) -> Any:
        if self.scan is not None and key in ("next", "previous"):
            return self.scan.neighbour(self, key)
        raise KeyError(key)


class PageVariables(DocumentVariables):
    """The rendered document's ``page``: its own values, ``path``/``id`` added, neighbours looked up."""

    site: JekyllSite | None = None

    def __missing__(self, key: str) -> Any:
        if key in ("next", "previous") and self.site is not None:
            known = self.site.documents.by_path.get(str(self.get("path")))
            return known[key] if known is not None else None
        raise KeyError(key)


class SiteVariables(dict[str, Any]):
    """``site``: the config and ``data``; ``time`` and Jekyll's document lists on first use.  Those are
    not stored as keys, so that each read reaches ``__missing__`` and is noted for the content cache
    (build/recording.py): a document that reads them depends on the clock or on every document."""

    jekyll: JekyllSite | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.computed: dict[str, Any] = {}  # the document lists, computed once

    def __missing__(self, key: str) -> Any:
        if self.jekyll is None:
            raise KeyError(key)
        if key == "time":
            note_clock()
            return self.jekyll.now
        documents = self.jekyll.documents
        if key in self.computed:
            return self.computed[key]
        if key in SITE_DOCUMENT_KEYS:
            value = documents.site_value(key)
        elif key in documents.collections and key != "posts":
            value = documents.collections[key]
        else:
            raise KeyError(key)
        self.computed[key] = value
        return value


@dataclass
class SiteDocuments:
    """Every document of the site, each collection in Jekyll's order (date, then path)."""

    collections: dict[str, list[DocumentVariables]] = field(default_factory=dict)
    pages: list[DocumentVariables] = field(default_factory=list)
    by_path: dict[str, DocumentVariables] = field(default_factory=dict)
    metadata: dict[str, dict[str, Any]] = field(default_factory=dict)

    def neighbour(self, document: DocumentVariables, key: str) -> Any:
        """The next (later) or previous document of the same collection, or nil."""
        docs = self.collections.get(str(document.get("collection")), [])
        index = next((i for i, doc in enumerate(docs) if doc is document), None)
        if index is None:
            return None
        other = index + 1 if key == "next" else index - 1
        return docs[other] if 0 <= other < len(docs) else None

    def site_value(self, key: str) -> Any:
        posts = self.collections.get("posts", [])
        if key == "posts":
            return list(reversed(posts))
        if key == "pages":
            return self.pages
        if key == "html_pages":
            return [page for page in self.pages if str(page.get("url", "")).endswith(("/", ".html", ".htm"))]
        if key == "documents":
            return [doc for docs in self.collections.values() for doc in docs]
        if key == "collections":
            return [self._collection(label, docs) for label, docs in self.collections.items()]
        return _by_attribute(posts, key)

    def _collection(self, label: str, docs: list[DocumentVariables]) -> dict[str, Any]:
        return {**self.metadata.get(label, {}), "docs": docs, "label": label, "files": [], **_folders(label, self.metadata)}


def _folders(label: str, metadata: dict[str, dict[str, Any]]) -> dict[str, str]:
    directory = str(metadata.get(label, {}).get("directory", ""))
    return {"relative_directory": f"_{label}", "directory": directory}


def _by_attribute(posts: list[DocumentVariables], key: str) -> dict[str, list[DocumentVariables]]:
    """site.rb's post_attr_hash: name -> posts, newest first, names in the order first met."""
    result: dict[str, list[DocumentVariables]] = {}
    for post in posts:
        for name in post.get(key) or []:
            result.setdefault(str(name), []).append(post)
    return {name: list(reversed(items)) for name, items in result.items()}


def scan_documents(site: JekyllSite) -> SiteDocuments:
    """Read every document's front matter once (errors quiet: each document reports its own)."""
    from .page import derive_page  # page.py imports site.py, which imports this module

    scan = SiteDocuments()
    now = site.variables.get("time") or site.now  # a _config.yml's time:, else the build's (not noted as read)
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)  # a document's warnings are its own rendering's to give
    try:
        for path, relative in _document_files(site):
            document = _read(site, path, relative, derive_page)
            if document is None:
                continue
            document.scan = scan
            scan.by_path[relative] = document
            if document.get("collection"):
                scan.collections.setdefault(str(document["collection"]), []).append(document)
            else:
                scan.pages.append(document)
    finally:
        logging.disable(previous)
    ordered: dict[str, list[DocumentVariables]] = {}
    for label, collection in site.collections.items():
        docs = scan.collections.get(label, [])
        ordered[label] = sorted(docs, key=lambda doc: (_moment(doc.get("date"), now), str(doc["relative_path"])))
        scan.metadata[label] = _collection_metadata(collection, site)
    scan.collections = ordered
    scan.pages.sort(key=lambda page: (str(page["name"]), str(page["path"])))
    return scan


def _moment(value: object, now: dt.datetime) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else now


def _collection_metadata(collection: Collection, site: JekyllSite) -> dict[str, Any]:
    configured = site.config.get("collections")
    own = configured.get(collection.label) if isinstance(configured, dict) else None
    values = dict(own) if isinstance(own, dict) else {}
    values.setdefault("output", collection.output)
    if collection.label == "posts":
        values.setdefault("permalink", site.permalink_pattern(site.place(site.root / "_posts" / "x.md")))
    values["directory"] = str(collection.directory)
    return values


def _read(site: JekyllSite, path: Path, relative: str, derive: Any) -> DocumentVariables | None:
    try:
        text = normal_source(path.read_text(encoding="utf-8"))
        front = split_front_matter(text, path, site.limits.front_matter_size, share=True)  # parsed once: kept for the reader
        place = site.place(path)
        page = DocumentVariables(site.front_matter_defaults(place))
        page.update(front.data)
        derive(page, path, site, place, front)
    except (DocumentError, OSError, UnicodeDecodeError, ValueError):
        return None
    if not page.get("published", True) or page.get("future"):
        return None
    page["content"] = front.body
    page["relative_path"] = relative
    page["path"] = relative
    page["name"] = path.name
    page["ext"] = path.suffix
    if page.get("collection"):
        # document.rb's id: the URL's folder joined with the slug
        page["id"] = posixpath.join(str(PurePosixPath(str(page.get("url") or "/")).parent), str(page.get("slug") or path.stem))
        page["draft"] = False
    else:
        page["dir"] = _page_dir(str(page.get("url") or "/"))
    return page


def _page_dir(url: str) -> str:
    return url if url.endswith("/") else str(PurePosixPath(url).parent).rstrip("/") + "/"


def _document_files(site: JekyllSite) -> Iterator[tuple[Path, str]]:
    """The files Jekyll reads as documents: posts (a dated name), collection documents and pages
    with front matter; links not followed."""
    collections = {f"_{label}" for label in site.collections}
    exclude = [*JEKYLL_EXCLUDES, *_list(site.config.get("exclude"))]
    include = _list(site.config.get("include"))
    markdown = {f".{ext.strip().lower()}" for ext in str(site.config.get("markdown_ext") or "").split(",") if ext.strip()}
    root = site.root
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        relative_folder = here.relative_to(root).as_posix()
        top = relative_folder == "."
        kept = []
        for name in sorted(dirs):
            relative = name if top else f"{relative_folder}/{name}"
            special = name.startswith((".", "_", "#")) and not (name == "_posts" or (top and name in collections))
            if (here / name).is_symlink() or (special and not jekyll_excluded(relative, include)):
                continue
            if not jekyll_excluded(relative, exclude, include):
                kept.append(name)
        dirs[:] = kept
        parts = PurePosixPath(relative_folder).parts
        for name in sorted(files):
            relative = name if top else f"{relative_folder}/{name}"
            path = here / name
            suffix = path.suffix.lower()
            if path.is_symlink() or name.startswith((".", "_", "#", "~")) or name.endswith("~"):
                continue
            if jekyll_excluded(relative, exclude, include):
                continue
            if not (suffix in markdown or suffix in _MARKDOWN_OR_HTML):
                continue
            if "_posts" in parts:  # a post: a dated name, front matter or not (post_reader.rb)
                if POST_FILE.match(name):
                    yield path, relative
            elif _has_front_matter(path):  # a collection's file without it is a static file
                yield path, relative


def _list(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [str(item).lstrip("/") for item in items if str(item).strip("/")]


def _has_front_matter(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            head = file.read(4).removeprefix(b"\xef\xbb\xbf")
    except OSError:
        return False
    return head.startswith(b"---") and head[3:4] in (b"\n", b"\r", b"")
