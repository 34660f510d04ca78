"""Jekyll's rules, not ours: the site folder, front matter, slugs, permalinks and what a
document derives from its file name.  Kept apart so that each can be checked against
real Jekyll (``tools/jekyll_fixture.py``) and changed only when Jekyll does."""
