from pelican.plugins.palimpsest.testing.canonical import canonical_html


def test_attribute_and_class_order_do_not_count() -> None:
    assert canonical_html('<p class="b a" id="x">t</p>') == canonical_html('<p id="x" class="a b">t</p>')


def test_whitespace_between_blocks_does_not_count() -> None:
    assert canonical_html("<ul>\n  <li>a</li>\n</ul>\n\n<p>b</p>") == canonical_html("<ul><li>a</li></ul><p>b</p>")


def test_whitespace_that_renders_counts() -> None:
    assert canonical_html("<p>a <b>b</b></p>") != canonical_html("<p>a<b>b</b></p>")


def test_preformatted_text_is_verbatim() -> None:
    assert canonical_html("<pre>a\n  b</pre>") != canonical_html("<pre>a\n b</pre>")


def test_comments_do_not_count() -> None:
    assert canonical_html("<p>a<!-- x --></p>") == canonical_html("<p>a</p>")


def test_highlight_tokens_can_be_ignored() -> None:
    rouge = '<div class="highlight"><pre class="highlight"><code><span class="nt">&lt;a&gt;</span></code></pre></div>'
    pygments = (
        '<div class="highlight"><pre class="highlight"><code>'
        '<span class="p">&lt;</span><span class="nt">a</span><span class="p">&gt;</span>'
        "</code></pre></div>"
    )
    assert canonical_html(rouge) != canonical_html(pygments)
    assert canonical_html(rouge, strip_highlight_tokens=True) == canonical_html(pygments, strip_highlight_tokens=True)
