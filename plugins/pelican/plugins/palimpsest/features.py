"""The feature registry: every feature of the library, and what each contributes.

The document pipeline and ``register()`` know no feature by name: they ask
this registry which features ``PALIMPSEST_FEATURES`` switches on and take
their contributions (markdown-it plugins, hooks around Liquid and Markdown,
Pelican generators, finalizers).  Switching a feature off removes all of it.

Contributions are loaded on first use, so importing the plugin stays cheap:
the render stack (markdown-it, python-liquid, ruamel, Pygments) loads when a
document is read, not when Pelican discovers the plugin.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

    from .document import DocumentContext

MarkdownPlugin = Callable[["MarkdownIt"], None]
DocumentHook = Callable[["DocumentContext"], None]


@dataclass(frozen=True)
class DocumentParts:
    """What a feature adds to the rendering of one document, in the order the data flows."""

    # Before Liquid: derive metadata from the front matter, serve built-in includes.
    before_liquid: tuple[DocumentHook, ...] = ()
    # markdown-it plugins, applied after kramdown's own behaviours, in registry order.
    markdown_plugins: tuple[MarkdownPlugin, ...] = ()
    # After Markdown: turn what the plugins found (the render env) into metadata.
    after_markdown: tuple[DocumentHook, ...] = ()


@dataclass(frozen=True)
class SiteParts:
    """What a feature adds to a Pelican build."""

    reads_markdown: bool = False  # the Jekyll reader takes Pelican's Markdown extensions
    generators: tuple[type, ...] = ()
    finalizers: tuple[Callable[[Any], None], ...] = ()  # run with the Pelican object once the site is written
    # Run with the generator and writer once every article and page is written (Pelican's
    # ``page_writer_finalized``), while the other generators' pages are still to come.
    documents_written: tuple[Callable[[Any, Any], None], ...] = ()
    # Theme templates the feature's pages use (the plugin's own theme is the fallback for any theme).
    templates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feature:
    name: str
    summary: str
    document: Callable[[], DocumentParts] | None = field(default=None, repr=False)
    site: Callable[[], SiteParts] | None = field(default=None, repr=False)
    default: bool = True


def _jekyll_site() -> SiteParts:
    from .site_outputs import SiteOutputsGenerator

    return SiteParts(reads_markdown=True, generators=(SiteOutputsGenerator,), templates=("404", "collection"))


def _notices() -> DocumentParts:
    from .enhance.notices import collect_notices, notices_plugin

    return DocumentParts(markdown_plugins=(notices_plugin,), after_markdown=(collect_notices,))


def _updates() -> DocumentParts:
    from .enhance.updates import collect_updates, updates_plugin

    return DocumentParts(markdown_plugins=(updates_plugin,), after_markdown=(collect_updates,))


def _updates_site() -> SiteParts:
    from .site_outputs import RecentUpdatesGenerator

    return SiteParts(generators=(RecentUpdatesGenerator,), templates=("updates",))


def _tables() -> DocumentParts:
    from .tables import serve_tables

    return DocumentParts(before_liquid=(serve_tables,))


def _math() -> DocumentParts:
    from .enhance.math import mathml_plugin

    return DocumentParts(markdown_plugins=(mathml_plugin,))


def _emoji() -> DocumentParts:
    from .enhance.emoji_shortcodes import ask_site, emoji_plugin

    return DocumentParts(before_liquid=(ask_site,), markdown_plugins=(emoji_plugin,))


def _revisions_site() -> SiteParts:
    from .revisions.generator import RevisionsGenerator

    return SiteParts(generators=(RevisionsGenerator,), templates=("history", "revision", "revision_diff"))


def _search_site() -> SiteParts:
    from .search import index_site, start_indexing
    from .site_outputs import SearchPageGenerator

    return SiteParts(
        generators=(SearchPageGenerator,), finalizers=(index_site,), documents_written=(start_indexing,), templates=("search",)
    )


# In pipeline order: notices before updates, so that an update inside a notice keeps its styling.
FEATURES: tuple[Feature, ...] = (
    Feature("jekyll", "read Jekyll Markdown (front matter, Liquid, kramdown) and write Jekyll's site pages", site=_jekyll_site),
    Feature("notices", "notice boxes: Minimal Mistakes classes, GitHub alerts, Obsidian callouts", document=_notices),
    Feature("updates", "dated update callouts as data, driving `modified`", document=_updates, site=_updates_site),
    Feature("tables", "comparison tables kept in the front matter", document=_tables),
    Feature("math", "kramdown's $$ math as MathML at build time, the TeX kept as annotation", document=_math),
    Feature("emoji", "jemoji's :shortcode: as the Unicode emoji, for a site that lists jemoji", document=_emoji),
    Feature("revisions", "every past revision of every article, from git history, with diffs", site=_revisions_site),
    Feature("search", "a Pagefind index of article and page bodies, a search page and box", site=_search_site),
)
FEATURES_BY_NAME: dict[str, Feature] = {feature.name: feature for feature in FEATURES}
# The features that change a document's body: what ``render_document`` applies unless told otherwise.
DOCUMENT_FEATURES = frozenset(feature.name for feature in FEATURES if feature.document is not None)


def enabled_features(settings: Mapping[str, Any]) -> frozenset[str]:
    """The names of the features ``PALIMPSEST_FEATURES`` in *settings* leaves on (each defaults to on)."""
    chosen = settings.get("PALIMPSEST_FEATURES") or {}
    return frozenset(feature.name for feature in FEATURES if bool(chosen.get(feature.name, feature.default)))


def is_enabled(settings: Mapping[str, Any], name: str) -> bool:
    return name in enabled_features(settings)


def _chosen(names: Iterable[str]) -> list[Feature]:
    wanted = set(names)
    unknown = wanted - FEATURES_BY_NAME.keys()
    if unknown:
        raise ValueError(f"unknown feature(s): {', '.join(sorted(unknown))}; known: {', '.join(FEATURES_BY_NAME)}")
    return [feature for feature in FEATURES if feature.name in wanted]


@cache
def document_parts(names: frozenset[str]) -> tuple[DocumentParts, ...]:
    """What the features named add to each document, in pipeline order (loaded once)."""
    return tuple(feature.document() for feature in _chosen(names) if feature.document is not None)


@cache
def site_parts(names: frozenset[str]) -> tuple[SiteParts, ...]:
    """What the features named add to a Pelican build, in registry order (loaded once)."""
    return tuple(feature.site() for feature in _chosen(names) if feature.site is not None)


def markdown_plugins(names: frozenset[str]) -> tuple[MarkdownPlugin, ...]:
    """The markdown-it plugins of the features named, in pipeline order."""
    return tuple(plugin for parts in document_parts(names) for plugin in parts.markdown_plugins)
