"""pelican-palimpsest: Jekyll blogs, read as they are and rendered as Jekyll renders them.

``register()`` connects the plugin to Pelican's signals; each feature can be
switched off with ``PALIMPSEST_FEATURES`` in ``pelicanconf.py``.
"""

from __future__ import annotations

import logging
from typing import Any

from pelican import signals

from .settings import DEFAULT_FEATURES, MARKDOWN_EXTENSIONS, feature_enabled

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_FEATURES", "features_for", "register"]


def features_for(settings: dict[str, Any]) -> frozenset[str]:
    """The enhancements switched on in *settings* (``PALIMPSEST_FEATURES``)."""
    return frozenset(name for name in DEFAULT_FEATURES if feature_enabled(settings, name))


def _add_reader(readers: Any) -> None:
    if not feature_enabled(readers.settings, "jekyll"):
        return
    from .reader import JekyllReader

    for extension in MARKDOWN_EXTENSIONS:
        readers.reader_classes[extension] = JekyllReader


class _HandledByUs(logging.Filter):
    """Drop Pelican's "install markdown" warning for files this plugin reads."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Could not import 'markdown.Markdown'" not in record.getMessage()


def _add_generators(pelican: Any) -> Any:
    from .revisions import RevisionsGenerator
    from .site_outputs import SiteOutputsGenerator

    return (RevisionsGenerator, SiteOutputsGenerator)


def _prepare_templates(generator: Any) -> None:
    """Our filters, and our templates as a fallback, so that any theme can show the added pages."""
    from jinja2 import ChoiceLoader, FileSystemLoader

    from .site_outputs import jinja_filters
    from .theme import THEME_PATH

    generator.env.filters.update(jinja_filters())
    fallback = FileSystemLoader(str(THEME_PATH / "templates"))
    if isinstance(generator.env.loader, ChoiceLoader):
        generator.env.loader.loaders.append(fallback)


def _index_for_search(pelican: Any) -> None:
    from .search import index_site

    index_site(pelican)


def register() -> None:
    signals.readers_init.connect(_add_reader)
    signals.get_generators.connect(_add_generators)
    signals.generator_init.connect(_prepare_templates)
    signals.finalized.connect(_index_for_search)
    logging.getLogger("pelican.readers").addFilter(_HandledByUs())
