"""Who writes what: every output path of a build is claimed before anything is written.

Pelican writes a document wherever its ``save_as`` says, and a document's own
``save_as`` overrides a generated page, so a post with ``permalink: /index.html``
would replace the home page and two posts with one permalink would abort the build.
Here every output is claimed once the documents are read, before the first write,
and the first claim on a path keeps it, in this order:

1. the site's own outputs, from the settings: Pelican's direct templates (paginated),
   feeds, tag/category/author pages, period archives, ``TEMPLATE_PAGES``, the plugin's
   pages (:func:`..site_outputs.planned_pages`), the theme's static folder, Pagefind's folder;
2. articles (posts, collection documents) in sorted source order, each with its revision
   folder ``<url>/history/`` (:mod:`..revisions.urls`);
3. pages, the same way;
4. static files copied from the site, in sorted source order.

The outputs the site may have its own of (the home page, 404, ``robots.txt``, ``sitemap.xml``,
``feed.xml``, a collection's index, the search and updates pages: :func:`..site_outputs.yielding_pages`)
are reserved in step 1: refused to posts and collection documents, given up to a page (step 3) or
static file (step 4) of the site, which Jekyll would write there; their generator then writes nothing.

A later claim on a claimed path (the same file, a file inside a claimed folder, a file
where a folder is needed or the reverse) is an ERROR naming both sources, and the later
claimant is withdrawn, so it is not written; the rest of the site builds.  The Writer
(:class:`.files.ClaimingWriter`) still refuses any second write that gets past this.
"""

from __future__ import annotations

import logging
import os
import posixpath
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pelican.paginator import Paginator

logger = logging.getLogger(__name__)

_CONTEXT_KEY = "palimpsest_claims"


def normalise(save_as: str) -> str:
    """*save_as* as a path relative to the output folder, ``/``-separated (a folder keeps its ``/``)."""
    path = posixpath.normpath(str(save_as).replace(os.sep, "/")).lstrip("/")
    return f"{path}/" if str(save_as).endswith("/") and path not in ("", ".") else path


def describe(source: Any) -> str:
    """A claimant in words: a document is ``file:line`` (the line of its ``permalink:``, else 1)."""
    if isinstance(source, (str, RevisionHistory)):
        return str(source)
    path = str(getattr(source, "source_path", source))
    return f"{path}:{_permalink_line(Path(path))}"


def _permalink_line(path: Path) -> int:
    """Read again, as it is needed only when a claim is refused: the front matter's text, no YAML parsed
    but for the line lookup."""
    from ..jekyll.frontmatter import front_matter_line, front_matter_text, normal_source

    try:
        yaml = front_matter_text(normal_source(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError):  # reported when it was read; 1 still names it
        return 1
    return (front_matter_line(yaml, ("permalink",)) if yaml else None) or 1


class RevisionHistory:
    """The claimant of a document's revision folder, put in words only when a claim is refused."""

    def __init__(self, document: Any) -> None:
        self.document = document

    def __str__(self) -> str:
        return f"the revision history of {describe(self.document)}"


class Claims:
    """Output paths and who claimed each: files, and folders claimed whole (``theme/``, ``pagefind/``).

    A reserved file (the 404 page, ``robots.txt``, the home page...) is refused to a post or a
    collection document, but given up to the site's own page or static file there (:meth:`give_up`),
    as Jekyll writes the site's own ``404.md`` or ``robots.txt``."""

    def __init__(self) -> None:
        self.files: dict[str, Any] = {}
        self.folders: dict[str, Any] = {}  # "a/b/" → source
        self._holding: dict[str, Any] = {}  # every folder holding a claim → the first claimant in it
        self.reserved: set[str] = set()
        self.yielded: set[str] = set()  # reserved files the site took: their generator writes nothing

    def give_up(self, path: str) -> None:
        """Free a reserved *path* for the site's own page or static file."""
        if path in self.reserved and path in self.files:
            del self.files[path]
            self.reserved.discard(path)
            self.yielded.add(path)

    def holder(self, path: str) -> Any | None:
        """Who already holds *path*, or a path it cannot coexist with; None when it is free."""
        bare = path.rstrip("/")
        if bare in self.files:
            return self.files[bare]
        parts = bare.split("/")
        for end in range(1, len(parts) + 1):
            ancestor = "/".join(parts[:end])
            if end < len(parts) and ancestor in self.files:  # a file where a folder is needed
                return self.files[ancestor]
            if f"{ancestor}/" in self.folders:
                return self.folders[f"{ancestor}/"]
        return self._holding.get(bare)  # a file or folder where others already put files

    def claim(self, path: str, source: Any) -> Any | None:
        """Claim *path* for *source*: None if it was free, else who holds it (and nothing is claimed)."""
        first = self.holder(path)
        if first is not None:
            return first
        if path.endswith("/"):
            self.folders[path] = source
        else:
            self.files[path] = source
        parts = path.rstrip("/").split("/")
        for end in range(1, len(parts)):
            self._holding.setdefault("/".join(parts[:end]), source)
        return None


def claims_of(context: dict[str, Any]) -> Claims:
    """The one :class:`Claims` of a build (kept in Pelican's shared context)."""
    claims = context.get(_CONTEXT_KEY)
    if not isinstance(claims, Claims):
        claims = context[_CONTEXT_KEY] = Claims()
    return claims


def yielded(context: dict[str, Any]) -> set[str]:
    """The reserved outputs the site's own pages and files took (not to be written by their generator)."""
    return claims_of(context).yielded


def paginated_files(settings: dict[str, Any], save_as: str, url: str, template: str, objects: list[Any]) -> list[str]:
    """The files of one listing, with Pelican's own pagination."""
    if not save_as:
        return []
    if template not in settings["PAGINATED_TEMPLATES"]:
        return [save_as]
    per_page = settings["PAGINATED_TEMPLATES"][template] or settings["DEFAULT_PAGINATION"]
    paginator = Paginator(save_as, url, objects, settings, per_page)
    return [paginator.page(number).save_as for number in paginator.page_range]


def _feeds(settings: dict[str, Any], groups: dict[str, Iterable[Any]]) -> Iterable[tuple[str, str]]:
    for key in ("FEED_ATOM", "FEED_RSS", "FEED_ALL_ATOM", "FEED_ALL_RSS"):
        if settings.get(key):
            yield str(settings[key]), f"Pelican's feed ({key})"
    for kind, values in groups.items():
        for suffix in ("ATOM", "RSS"):
            pattern = settings.get(f"{kind}_FEED_{suffix}")
            for value in values if pattern else ():
                field = "lang" if kind == "TRANSLATION" else "slug"
                yield str(pattern).format(**{field: getattr(value, "slug", value)}), f"Pelican's feed of {value} ({kind}_FEED_{suffix})"


def site_outputs(generator: Any) -> list[tuple[str, str]]:
    """What the site itself writes (not the documents), derived from the settings and the articles read."""
    from ..site_outputs import planned_pages

    settings: dict[str, Any] = generator.settings
    articles: list[Any] = list(generator.articles)
    everything = [*articles, *generator.translations]
    taxonomies: dict[str, dict[Any, list[Any]]] = {"TAG": {}, "CATEGORY": {}, "AUTHOR": {}}
    for article in articles:
        for tag in getattr(article, "tags", None) or []:
            taxonomies["TAG"].setdefault(tag, []).append(article)
        if getattr(article, "category", None):
            taxonomies["CATEGORY"].setdefault(article.category, []).append(article)
        for author in getattr(article, "authors", None) or []:
            taxonomies["AUTHOR"].setdefault(author, []).append(article)
    langs = sorted({str(getattr(a, "lang", "")) for a in everything})
    outputs = list(_feeds(settings, {**taxonomies, "TRANSLATION": langs}))
    for template in settings["DIRECT_TEMPLATES"]:
        save_as = settings.get(f"{template.upper()}_SAVE_AS", f"{template}.html")
        url = settings.get(f"{template.upper()}_URL", f"{template}.html")
        outputs += [(page, f"Pelican's {template} page") for page in paginated_files(settings, save_as, url, template, articles)]
    for kind, groups in taxonomies.items():
        for value, members in groups.items():
            name = f"Pelican's {kind.lower()} page of {value} ({kind}_SAVE_AS)"
            outputs += [(page, name) for page in paginated_files(settings, value.save_as, value.url, kind.lower(), members)]
    dates = sorted(articles, key=lambda a: a.date, reverse=True)
    for periods in generator._build_period_archives(dates, articles, settings).values():
        for period in periods:
            name = "Pelican's period archive (*_ARCHIVE_SAVE_AS)"
            files = paginated_files(settings, period["save_as"], period["url"], "period_archives", period["articles"])
            outputs += [(page, name) for page in files]
    outputs += [
        (str(dest), f"the template page {source} (TEMPLATE_PAGES)") for source, dest in (settings.get("TEMPLATE_PAGES") or {}).items()
    ]
    if settings.get("THEME_STATIC_PATHS") and settings.get("THEME_STATIC_DIR") is not None:
        outputs.append((f"{str(settings['THEME_STATIC_DIR']).strip('/')}/", "the theme's static files (THEME_STATIC_DIR)"))
    return outputs + planned_pages(settings, articles)


def reserved_outputs(generator: Any) -> list[tuple[str, str]]:
    """What the site writes unless a page or static file of the site is there (:func:`..site_outputs.yielding_pages`)."""
    from ..site_outputs import yielding_pages

    return yielding_pages(generator.settings, list(generator.articles))


def _history_folder(settings: dict[str, Any], document: Any) -> str | None:
    from ..features import is_enabled
    from ..revisions.urls import history_url

    # Claimed whether or not git is there: a site builds the same with and without its history.
    return normalise(history_url(str(document.url))) if is_enabled(settings, "revisions") and document.url is not None else None


def _refuse(claims: Claims, document: Any, path: str, first: Any) -> None:
    logger.error(
        "%s: its output %s is already claimed by %s, which keeps it; this document is not written",
        describe(document),
        path,
        describe(first),
    )


def claim_documents(claims: Claims, settings: dict[str, Any], documents: Iterable[Any], *, site_own: bool = False) -> set[int]:
    """Claim each document's file (and revision folder) in sorted source order; the ids of those refused.
    *site_own* (the site's pages) takes reserved files over."""
    candidates = sorted((d for d in documents if getattr(d, "save_as", "")), key=lambda d: str(d.source_path))
    folders = [(d, _history_folder(settings, d)) for d in candidates]
    histories: dict[str, list[Any]] = {}  # revision folder -> the documents whose folder it is
    for document, history in folders:
        if history:
            histories.setdefault(history, []).append(document)
    refused: set[int] = set()
    for document, history in folders:
        path = normalise(document.save_as)
        if site_own:
            claims.give_up(path)
        inside = _history_holding(histories, path, document)
        first = claims.holder(path) or (RevisionHistory(inside) if inside is not None else None)
        if first is None and history is not None:
            first = claims.holder(history)
        if first is not None:
            _refuse(claims, document, path, first)
            refused.add(id(document))
            continue
        claims.claim(path, document)
        if history is not None:
            claims.claim(history, RevisionHistory(document))
    return refused


def _history_holding(histories: dict[str, list[Any]], path: str, document: Any) -> Any | None:
    """The first other document (in *histories*' order) whose revision folder holds *path*: the folders
    along the path looked up, not every document's."""
    folders = (path[: end + 1] for end, character in enumerate(path) if character == "/")
    holders = [other for folder in folders for other in histories.get(folder, ()) if other is not document]
    return min(holders, key=lambda other: str(other.source_path)) if holders else None


def _withdraw(owner: Any, names: Iterable[str], refused: Callable[[Any], bool]) -> None:
    """Take the refused out of each list *owner* (a generator or the context) holds under *names*, in place."""
    for name in names:
        items = owner.get(name) if isinstance(owner, dict) else getattr(owner, name, None)
        if isinstance(items, list):
            items[:] = [item for item in items if not refused(item)]


def _forget(generator: Any, refused: set[int], documents: Iterable[Any]) -> None:
    generated = generator.context.get("generated_content") or {}
    for document in documents:
        if id(document) in refused:
            generated.pop(getattr(document, "relative_source_path", None), None)


def check_articles(generator: Any) -> None:
    """``article_generator_pretaxonomy``: the site's outputs, then articles; refused articles leave every list
    before tags, categories and archives are built."""
    claims = claims_of(generator.context)
    for path, source in site_outputs(generator):
        claims.claim(normalise(path), source)  # the site's own outputs never collide but by bad settings
    for path, source in reserved_outputs(generator):
        if claims.claim(normalise(path), source) is None:
            claims.reserved.add(normalise(path))
    lists = ("articles", "translations", "hidden_articles", "hidden_translations")
    documents = [d for name in lists for d in getattr(generator, name, [])]
    refused = claim_documents(claims, generator.settings, documents)
    _forget(generator, refused, documents)
    _withdraw(generator, lists, lambda d: id(d) in refused)


def check_pages(generator: Any) -> None:
    """``page_generator_finalized``: pages after articles."""
    claims = claims_of(generator.context)
    lists = ("pages", "translations", "hidden_pages", "hidden_translations")
    documents = [d for name in lists for d in getattr(generator, name, [])]
    refused = claim_documents(claims, generator.settings, documents, site_own=True)
    _forget(generator, refused, documents)
    _withdraw(generator, lists, lambda d: id(d) in refused)
    _withdraw(generator.context, ("pages", "hidden_pages"), lambda d: id(d) in refused)


def check_static_files(generators: list[Any]) -> None:
    """``all_generators_finalized``: static files last; a refused one is not copied."""
    if not generators:
        return
    context = generators[0].context
    claims = claims_of(context)
    refused: set[int] = set()
    for static in sorted(context.get("staticfiles") or [], key=lambda s: str(s.source_path)):
        path = normalise(static.save_as)
        claims.give_up(path)  # the site's own robots.txt, 404.html...
        first = claims.claim(path, f"{static.source_path}:1")
        if first is not None:
            logger.error(
                "%s:1: this static file's output %s is already claimed by %s, which keeps it; it is not copied",
                static.source_path,
                path,
                describe(first),
            )
            refused.add(id(static))
    for generator in generators:
        _withdraw(generator, ("staticfiles",), lambda s: id(s) in refused)
    _withdraw(context, ("staticfiles",), lambda s: id(s) in refused)
