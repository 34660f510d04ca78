"""HTML element tables, from the HTML Living Standard, for every module that reads HTML.

Each set answers one question the standard answers; modules that need a notion
of their own (the diff's "compared as one token") build it from these.
"""

from __future__ import annotations

VOID_ELEMENTS = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"])
"""Elements that never have content nor an end tag (§13.1.2 "void elements"); ``param``,
obsolete since 2023, is kept because parsers still treat it as void."""

RAW_TEXT_ELEMENTS = frozenset(["script", "style"])
"""Elements whose content is text up to their end tag, never markup (§13.1.2 "raw text elements")."""

PREFORMATTED_ELEMENTS = frozenset(["pre", "textarea"])
"""Elements whose whitespace renders as written (§15 Rendering: ``white-space: pre`` / ``pre-wrap``)."""

EMBEDDED_ELEMENTS = frozenset(["audio", "canvas", "embed", "iframe", "img", "math", "object", "picture", "svg", "video"])
"""Media: content that imports another resource or vocabulary and has no text of its own
(§3.2.5.2.6 "embedded content")."""

FORM_CONTROL_ELEMENTS = frozenset(["input", "select", "textarea"])
"""Form controls rendered as widgets (§15.5): their content is a value, not prose."""

BLOCK_ELEMENTS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "details",
        "dialog",
        "div",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "main",
        "nav",
        "p",
        "pre",
        "section",
        "summary",
        "dd",
        "dl",
        "dt",
        "li",
        "ol",
        "ul",
        "caption",
        "col",
        "colgroup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
    ]
)
"""Elements the standard's style sheet (§15.3) lays out as blocks, list items or table parts,
so whitespace around them does not render.  Media (``iframe``, ``video``, ``audio``) are inline
replaced elements and ``script``, ``style``, ``source`` are not rendered: none of them is a block."""

LIST_AND_TABLE_GROUPS = frozenset(["colgroup", "dl", "ol", "table", "tbody", "tfoot", "thead", "ul"])
"""Elements whose content model is rows, columns or list items and never text (§4.4, §4.9):
a changed one is still the same list or table.  ``tr`` groups cells, which are content."""

FOREIGN_ROOTS = frozenset(["math", "svg"])
"""Roots of foreign content (MathML, SVG), inside which ``<path/>`` closes itself; in HTML
``<p/>`` does not (§13.2.6.5)."""
