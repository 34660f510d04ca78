"""The folder a build keeps what it may reuse in, inside the output folder: ``.palimpsest-cache/``.

What is kept there, and by whom: ``documents/`` (content_cache.py), ``templates/`` (templates.py),
``stamp.json`` (stamp.py), ``pages.pickle`` (page_memo.py), ``search/`` (search_shards.py),
``revisions/`` and ``revision-pages.json`` (revisions/). It is left out of a deployment; deleting
it only makes the next build a cold one.
"""

from __future__ import annotations

__all__ = ["CACHE_FOLDER"]

CACHE_FOLDER = ".palimpsest-cache"
