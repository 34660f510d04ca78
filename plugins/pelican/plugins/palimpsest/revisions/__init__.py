"""Every past revision of every document, built as its own page, like Wikipedia's history and ``oldid`` pages.

The data flows through one module each:

1. :mod:`.history`: git history → the :class:`~.history.Revision` objects of
   each document (renames followed) and their blobs;
2. :mod:`.cache`: rendered bodies and diffs kept between builds, keyed by blob
   id, the pipeline's fingerprint and the site's settings;
3. :mod:`.render`: revisions → bodies rendered by today's pipeline, diffs
   against the previous revision and the current version, and a summary of
   each change (:class:`~.render.RenderedRevision`; no Pelican, so the CLI and
   tests use it as it is);
4. :mod:`.urls`: where the pages go, relative to the document's URL
   (``history/``, ``history/<date>-<sha7>/``, ``…/diff/``, ``…/compare/``);
5. :mod:`.generator`: the Pelican generator, which attaches the revisions to
   each document and writes the pages through Pelican's Writer.

Only :mod:`.generator` imports Pelican; the feature registry loads it when
the ``revisions`` feature is on.
"""
