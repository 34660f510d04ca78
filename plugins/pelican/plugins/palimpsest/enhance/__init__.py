"""This project's own enhancements of a document's body, as markdown-it plugins applied after
kramdown's behaviours: notice boxes and dated update callouts.  The feature registry
(``features.py``) applies them; ``--plain`` rendering leaves them out."""
