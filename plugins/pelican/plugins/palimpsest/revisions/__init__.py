"""Every past revision of every document, built as its own page, like Wikipedia's history and ``oldid`` pages.

The data flows through one module each:

1. :mod:`.history`: git history → the :class:`~.history.Revision` objects of
   each document (renames followed) and their blobs;
2. :mod:`.cache`: rendered bodies and diffs kept between builds in one pack,
   a body keyed by document, blob id and build (code, ``_config.yml``,
   ``_data``, features) and valid while what it read is unchanged, a diff by
   the two bodies it compares;
3. :mod:`.render`: revisions → bodies rendered by today's pipeline (in worker
   processes), diffs against the previous revision and the current version
   (each body parsed once for both), and a summary of each change
   (:class:`~.render.RenderedRevision`; no Pelican, so the CLI and tests use
   it as it is);
4. :mod:`.urls`: where the pages go, relative to the document's URL
   (``history/``, ``history/<date>-<sha7>/``, ``…/diff/``, ``…/compare/``);
5. :mod:`.pages`: each revision page's key (what it is made from), so that a
   page whose key and file did not change is kept, not rendered again;
6. :mod:`.generator`: the Pelican generator, which attaches the revisions to
   each document and writes the pages through Pelican's Writer.

Only :mod:`.generator` imports Pelican; the feature registry loads it when
the ``revisions`` feature is on.
"""
