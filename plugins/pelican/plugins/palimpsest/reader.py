"""The Pelican reader for Jekyll Markdown documents.

Pelican hands it a file; it runs the shared pipeline (``document.py``) and
translates Jekyll's front matter into Pelican metadata: ``last_modified_at``
becomes ``modified``, the permalink becomes ``url``/``save_as``, and
``published: false`` keeps the document out of the output, as in Jekyll.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

from pelican.readers import METADATA_PROCESSORS, BaseReader
from pelican.utils import SafeDatetime

from .build.documents import BuildDocuments, current
from .build.rendered import RenderedDocument
from .errors import DocumentError
from .features import enabled_features
from .jekyll.site import JekyllSite
from .jekyll.values import ruby_text
from .limits import Limits
from .revisions.history import first_commit_date
from .theme_layouts import layout_template

logger = logging.getLogger(__name__)

_FILE_NAME_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")

# Keys Pelican gives a meaning of its own; they are translated below, not copied.
_PELICAN_OWNED = frozenset(
    {
        "tags",
        "categories",
        "category",
        "date",
        "modified",
        "last_modified_at",
        "url",
        "save_as",
        "published",
        "author",
        "authors",
        "status",
        "summary",
        "template",
        "lang",
        "slug",
        "title",
    }
)

# The date Pelican needs for a collection document Jekyll knows no date of (``undated``: none shown);
# fixed, so that a build is the same every day, and older than any real date (listed last).
UNDATED = dt.datetime(1970, 1, 1)


def site_for(settings: dict[str, Any]) -> JekyllSite:
    """The site of a Pelican build.  ``JekyllSite.load`` keeps one site per unchanged ``_config.yml`` and
    ``_data``, so a long-running ``pelican --autoreload`` or livereload sees an edited one."""
    site = JekyllSite.load(Path(settings["PATH"]).resolve(), settings.get("PALIMPSEST_CONFIG"))
    # palimpsest build --url/--baseurl (and serve's local url), before anything reads the config
    site.config.update(settings.get("PALIMPSEST_CONFIG_OVERRIDES") or {})
    site.limits = Limits.from_settings(settings)  # this build's limits, even on a site loaded before
    return site


class JekyllReader(BaseReader):
    enabled = True
    # Empty: Pelican registers every imported reader class for its extensions;
    # this one is registered only by the plugin (``_add_reader``), when switched on.
    file_extensions: list[str] = []  # noqa: RUF012 (Pelican reads it from the class)

    def process_metadata(self, name: str, value: Any) -> Any:
        """Pelican's own processing; a date Pelican cannot read in a file name (FILENAME_METADATA runs
        before ``read``) is left to ``read``, which names the file and says why."""
        processor: Callable[[Any, Any], Any] | None = METADATA_PROCESSORS.get(name)
        if processor is None:
            return value
        if name == "date" and isinstance(value, str) and (day := _FILE_NAME_DAY.fullmatch(value)):
            try:  # the date of every post's file name: what Pelican's dateutil parse gives, 40 µs sooner
                return SafeDatetime(int(day[1]), int(day[2]), int(day[3]))
            except ValueError:
                return None
        try:
            return processor(value, self.settings)
        except ValueError:
            if name != "date":
                raise
            return None

    @cached_property
    def jekyll_site(self) -> JekyllSite:
        """The site, looked up once per reader (Pelican makes readers anew for each build)."""
        return site_for(self.settings)

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        site = self.jekyll_site
        build = current(self.settings)  # a Pelican build: the content cache, worker processes
        try:
            if build is None:
                from .document import render_document  # the pipeline, loaded when a document is rendered

                document = render_document(Path(source_path), site, features=enabled_features(self.settings))
            else:
                document = self._rendered(build, Path(source_path), site)
        except DocumentError as err:
            # Pelican only says "Could not process" unless DEBUG is on: say why, with file and line.
            logger.error("%s", err)
            raise
        return document.html, self.pelican_metadata(document, site)

    def _rendered(self, build: BuildDocuments, path: Path, site: JekyllSite) -> RenderedDocument:
        """The document as the build rendered it (cached, by a worker, or now), its messages said here,
        where a serial build says them."""
        rendering = build.rendering(path, site, enabled_features(self.settings))
        rendering.say()
        if rendering.error is not None:
            raise rendering.error
        assert rendering.document is not None
        return rendering.document

    def pelican_metadata(self, document: RenderedDocument, site: JekyllSite) -> dict[str, Any]:
        page = document.metadata
        metadata: dict[str, Any] = {"jekyll": page}
        for key, value in page.items():
            if key in _PELICAN_OWNED:
                continue
            if isinstance(key, str) and key.isidentifier():
                metadata[key.lower()] = value
        author = page.get("author")
        known = (site.data.get("authors") or {}).get(author) if isinstance(author, str) else None
        if isinstance(known, dict) and known.get("name"):  # Minimal Mistakes: an author key into _data/authors.yml
            author = str(known["name"])
        if isinstance(author, str) and author.strip():
            metadata["author"] = self.process_metadata("author", author)
        if page.get("title") is not None:
            metadata["title"] = ruby_text(page["title"])
        date = page.get("date") or page.get("modified") or first_commit_date(document.source)
        if date is not None:  # an undated collection document: its last change, else its first commit
            metadata["date"] = date
        elif page.get("collection") not in (None, "posts"):  # none at all: built, listed, no date shown
            metadata["date"] = UNDATED.replace(tzinfo=site.timezone)
            metadata["undated"] = True
        if page.get("modified") is not None:
            metadata["modified"] = page["modified"]
        if page.get("tags"):
            metadata["tags"] = self.process_metadata("tags", list(page["tags"]))
        category = (page.get("categories") or [None])[0] or page.get("collection")
        if category and category != "posts":
            metadata["category"] = self.process_metadata("category", ruby_text(category))
        metadata["slug"] = page["slug"]
        template = layout_template(page.get("layout"), document.source)  # Minimal Mistakes' layout:
        if template is not None:
            metadata["template"] = template
        metadata["url"] = page["url"].lstrip("/")
        metadata["save_as"] = page["save_as"]
        if page.get("lang"):
            metadata["lang"] = ruby_text(page["lang"])
        # Jekyll's excerpt, even empty: Pelican's own summary (truncate_html_words) is not Jekyll's,
        # and takes quadratic time on deeply nested HTML.
        metadata["summary"] = ruby_text(page.get("excerpt") or "")
        if not page.get("published") or page.get("future"):
            metadata["status"] = "draft"
            metadata["save_as"] = ""
            metadata["url"] = ""
        return metadata
