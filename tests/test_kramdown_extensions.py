"""kramdown's extensions where raw HTML is off, and unclosed tags at scale (expected values by hand)."""

from __future__ import annotations

import time

from pelican.plugins.palimpsest.kramdown import build_parser, render_markdown


def test_extensions_write_no_raw_html_where_html_is_off() -> None:
    md = build_parser()
    md.options["html"] = False
    html = md.renderInline("a {::nomarkdown}<b>x</b>{:/} {::comment}--><i>{:/}")
    assert "<b>" not in html and "<i>" not in html and "<!--" not in html


def test_unclosed_extension_tags_stay_linear() -> None:
    start = time.perf_counter()
    render_markdown("{::comment} " * 20000 + "\n\n" + "{::nomarkdown}\n" * 20000)
    assert time.perf_counter() - start < 5


def test_options_tag_sets_footnote_number_for_the_whole_document() -> None:
    html = render_markdown('See[^n].\n\n{::options footnote_nr="4" /}\n\n[^n]: Note.\n')
    assert ">4</a></sup>" in html and '<ol start="4">' in html
