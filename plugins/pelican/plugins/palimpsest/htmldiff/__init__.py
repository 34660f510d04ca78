"""Show what changed between two renderings of an article body.

A history view needs the *new* article, readable as an article, with the
changes marked in place: a table must stay a table and a list a list, so a
text diff of the HTML source will not do.  ``diff_html`` works on the block
structure; the modules, in data-flow order:

- ``parse``: both fragments become small trees, by a regular-expression
  scanner (BeautifulSoup and even ``html.parser`` are several times slower;
  200 KB per side diffs in a fraction of a second); a :class:`Fragment`
  keeps its tree, so a revision diffed against several others is parsed once;
- ``units``: the children of a container are cut into units (blocks, and
  runs of inline content between them), with the canonical form that says
  whether anything visible changed;
- ``sequence``: units, and later tokens, are aligned with ``difflib``
  opcodes, chunked so long inputs stay near-linear;
- ``pairing``: in the regions that differ, old and new units are paired by
  text similarity, so an edited paragraph is one edited paragraph;
- ``tokens``: a paired leaf block is cut into tokens (a CJK character, a
  Latin word, whitespace, punctuation) that remember their inline context;
- ``render``: token diffs are written with ``<ins>``/``<del>`` innermost,
  which keeps the output balanced whatever the inline markup;
- ``blocks``: drives it all, recursing into paired containers and marking
  unpaired units ``diff-added`` or ``diff-removed``;
- ``serialise``: writes unchanged and removed content back (removed content
  without its ``id``, so anchors keep pointing at the new version).
"""

from __future__ import annotations

from dataclasses import dataclass

from .blocks import Differ
from .parse import Fragment
from .units import canonical

__all__ = ["DiffResult", "Fragment", "diff_html"]


@dataclass(frozen=True)
class DiffResult:
    """The new HTML with the changes marked, and how much changed.

    ``changed`` is False only when both versions are the same once
    attribute order, class order, comments and insignificant whitespace are
    normalised away; then ``html`` is the new fragment untouched.  An
    attribute-only change (a resized image) is a change: its old and new
    elements are shown in ``<del>``/``<ins>`` (or, for a block element whose
    own attributes changed, with the class ``diff-changed``).  Character
    counts collapse runs of whitespace to one character; ``inserted_media``
    and ``deleted_media`` count images, iframes, videos ... which have no text.
    """

    html: str
    changed: bool
    inserted_chars: int = 0
    deleted_chars: int = 0
    inserted_media: int = 0
    deleted_media: int = 0


def diff_html(old: str | Fragment, new: str | Fragment) -> DiffResult:
    """Mark in *new* what changed since *old* (both rendered HTML fragments).

    Tokens are cut by script (each CJK, Thai, Lao, Khmer or Myanmar character
    is a token, other text is split into words), which handles the usual mix
    of Chinese prose and French terms without a language hint.  Either side
    may be a :class:`Fragment`, to be parsed once for several diffs.
    """
    old_fragment = old if isinstance(old, Fragment) else Fragment(old)
    new_fragment = new if isinstance(new, Fragment) else Fragment(new)
    if old_fragment.html == new_fragment.html:
        return DiffResult(html=new_fragment.html, changed=False)
    old_root, new_root = old_fragment.root, new_fragment.root
    if canonical(old_root) == canonical(new_root):
        return DiffResult(html=new_fragment.html, changed=False)
    differ = Differ()
    html = differ.children(old_root, new_root) + "\n"
    stats = differ.stats
    return DiffResult(
        html=html,
        changed=True,
        inserted_chars=stats.inserted_chars,
        deleted_chars=stats.deleted_chars,
        inserted_media=stats.inserted_media,
        deleted_media=stats.deleted_media,
    )
