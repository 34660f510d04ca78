"""pelican-palimpsest: Jekyll blogs, read as they are and rendered as Jekyll renders them.

``register()`` connects the plugin to Pelican's signals.  What it connects
comes from the feature registry (``features.py``); ``PALIMPSEST_FEATURES`` in
``pelicanconf.py`` switches any feature off.  Importing this module costs only
what ``register()`` needs: the render stack loads when a document is read.
"""

from __future__ import annotations

import logging
from typing import Any

from pelican import signals

from .features import enabled_features, site_parts

logger = logging.getLogger(__name__)

__all__ = ["register"]

# Jekyll's default ``markdown_ext`` plus Pelican's ``mdown``.
MARKDOWN_EXTENSIONS = ("md", "markdown", "mkdown", "mkdn", "mkd", "mdown")


def _add_reader(readers: Any) -> None:
    if not any(parts.reads_markdown for parts in site_parts(enabled_features(readers.settings))):
        return
    from .reader import JekyllReader

    for extension in MARKDOWN_EXTENSIONS:
        readers.reader_classes[extension] = JekyllReader
    if readers.settings.get("PALIMPSEST_HTML_PAGES"):  # a build from _config.yml: .html pages are Jekyll's
        for extension in ("html", "htm"):
            readers.reader_classes[extension] = JekyllReader


class _HandledByUs(logging.Filter):
    """Drop Pelican's "install markdown" warning for files this plugin reads."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Could not import 'markdown.Markdown'" not in record.getMessage()


def _add_generators(pelican: Any) -> tuple[type, ...]:
    return tuple(generator for parts in site_parts(enabled_features(pelican.settings)) for generator in parts.generators)


def _prepare_templates(generator: Any) -> None:
    """Our filters, our templates as a fallback (so that any theme can show the added pages), autoescape."""
    from jinja2 import ChoiceLoader, FileSystemLoader

    from .build.documents import CACHE_SETTING
    from .build.templates import keep_compiled
    from .resources import THEME_PATH
    from .theme_escaping import check_site_url, prepare_environment
    from .theme_filters import jinja_filters

    generator.env.filters.update(jinja_filters())
    from .theme_context import add_theme_context

    add_theme_context(generator)  # Minimal Mistakes' navigation, UI words, author, custom includes
    fallback = FileSystemLoader(str(THEME_PATH / "templates"))
    if isinstance(generator.env.loader, ChoiceLoader):
        generator.env.loader = ChoiceLoader([*generator.env.loader.loaders, fallback])
    prepare_environment(generator.env, generator.settings)  # autoescape: nothing from data printed raw
    check_site_url(generator.settings, generator.context)
    keep_compiled(generator.env, generator.output_path, cache=bool(generator.settings.get(CACHE_SETTING, True)))


def _finalize(pelican: Any) -> None:
    for parts in site_parts(enabled_features(pelican.settings)):
        for finalizer in parts.finalizers:
            finalizer(pelican)


def _documents_written(generator: Any, writer: Any) -> None:
    for parts in site_parts(enabled_features(generator.settings)):
        for hook in parts.documents_written:
            hook(generator, writer)


def _writer(pelican: Any) -> type:
    """Every output file written once, by a named writer (a second writer is an error, not a
    replacement), and only when its bytes changed (build/writer.py)."""
    from .build.writer import BuildWriter

    return BuildWriter


def _finish_writer(pelican: Any) -> None:
    from .build.writer import finish

    finish(pelican)


def _drop_drafts(generator: Any) -> None:
    """Jekyll writes nothing for an unpublished or future document, not even a draft page (and
    Pelican's draft pages would need a category, which a Jekyll post need not have)."""
    generator.drafts = []
    generator.drafts_translations = []


def _claim_articles(generator: Any) -> None:
    from .common.claims import check_articles

    check_articles(generator)


def _claim_pages(generator: Any) -> None:
    from .common.claims import check_pages

    check_pages(generator)


def _claim_static_files(generators: list[Any]) -> None:
    from .common.claims import check_static_files

    check_static_files(generators)


def _contain(pelican: Any) -> None:
    from .jekyll.containment import contain_build

    contain_build(pelican)


def _contain_files(generator: Any) -> None:
    from .jekyll.containment import filter_files

    filter_files(generator)


def _jekyll_entries(generator: Any) -> None:
    from .jekyll.inventory import filter_entries

    filter_entries(generator)


def _contain_static(generator: Any) -> None:
    from .jekyll.containment import drop_unreadable_static

    drop_unreadable_static(generator)


def _track_generator(generator: Any) -> None:
    from .build.documents import track

    track(generator)


def _finish_documents(pelican: Any) -> None:
    from .build.documents import finish

    finish(pelican)


def register() -> None:
    signals.initialized.connect(_contain)  # nothing outside the site, the output folder, Jekyll's exclude:
    signals.generator_init.connect(_contain_files)
    signals.generator_init.connect(_jekyll_entries)  # Jekyll's EntryFilter (special names, include:)
    signals.static_generator_finalized.connect(_contain_static)
    signals.readers_init.connect(_add_reader)
    signals.get_generators.connect(_add_generators)
    signals.generator_init.connect(_prepare_templates)
    signals.page_writer_finalized.connect(_documents_written)
    signals.finalized.connect(_finalize)
    # The build's documents: cached between builds, rendered by worker processes (build/documents.py).
    signals.generator_init.connect(_track_generator)
    signals.finalized.connect(_finish_documents)
    # Who writes what, claimed before anything is written (common/claims.py), then kept by the Writer.
    signals.get_writer.connect(_writer)
    signals.finalized.connect(_finish_writer)  # what the build wrote said, the page memo kept
    signals.article_generator_finalized.connect(_drop_drafts)
    signals.article_generator_pretaxonomy.connect(_claim_articles)
    signals.page_generator_finalized.connect(_claim_pages)
    signals.all_generators_finalized.connect(_claim_static_files)
    logging.getLogger("pelican.readers").addFilter(_HandledByUs())
