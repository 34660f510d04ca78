"""Math as MathML and jemoji's shortcodes, both features of the registry.

Expected MathML is written by hand (MathML Core: ``mi`` for identifiers, ``mn`` for
numbers, ``mo`` for operators) and checked against latex2mathml's output by eye; the
emoji are the ones GitHub shows for each name.  ``--plain`` stays kramdown's TeX.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from pelican.plugins.palimpsest.document import render_document
from pelican.plugins.palimpsest.enhance.emoji_shortcodes import emojize
from pelican.plugins.palimpsest.enhance.math import MathError, to_mathml
from pelican.plugins.palimpsest.features import DOCUMENT_FEATURES
from pelican.plugins.palimpsest.jekyll.site import JekyllSite

MATHML = 'xmlns="http://www.w3.org/1998/Math/MathML"'


def _math(display: str, presentation: str, tex: str) -> str:
    return (
        f'<math {MATHML} display="{display}"><semantics>{presentation}'
        f'<annotation encoding="application/x-tex">{tex}</annotation></semantics></math>'
    )


def render(
    tmp_path: Path, body: str, *, config: str = "title: T\n", plain: bool = False, features: frozenset[str] = DOCUMENT_FEATURES
) -> str:
    (tmp_path / "_config.yml").write_text(config, encoding="utf-8")
    post = tmp_path / "_posts" / "2024-01-01-post.md"
    post.parent.mkdir(exist_ok=True)
    post.write_text(f"---\ntitle: Post\n---\n{body}", encoding="utf-8")
    return render_document(post, JekyllSite.load(tmp_path), plain=plain, features=features).html


# --- math ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tex", "display", "expected"),
    [
        ("x^2", False, _math("inline", "<mrow><msup><mi>x</mi><mn>2</mn></msup></mrow>", "x^2")),
        (
            r"\frac{1}{2}",
            True,
            _math("block", "<mrow><mfrac><mrow><mn>1</mn></mrow><mrow><mn>2</mn></mrow></mfrac></mrow>", r"\frac{1}{2}"),
        ),
        (r"\alpha+1", False, _math("inline", "<mrow><mi>α</mi><mo>+</mo><mn>1</mn></mrow>", r"\alpha+1")),
        (r"\sqrt{2}", False, _math("inline", "<mrow><msqrt><mrow><mn>2</mn></mrow></msqrt></mrow>", r"\sqrt{2}")),
        # < is an operator, escaped in the MathML and in the annotation
        ("a<b", False, _math("inline", "<mrow><mi>a</mi><mo>&lt;</mo><mi>b</mi></mrow>", "a&lt;b")),
    ],
    ids=["power", "fraction", "greek", "root", "less-than"],
)
def test_formula_becomes_mathml_with_its_tex(tex: str, display: bool, expected: str) -> None:
    assert to_mathml(tex, display=display) == expected


def test_text_in_a_formula_cannot_inject_html() -> None:
    mathml = to_mathml(r"\text{<script>alert(1)</script>}", display=False)
    assert "<script" not in mathml
    assert "<mtext>&lt;script&gt;alert(1)&lt;/script&gt;</mtext>" in mathml


@pytest.mark.parametrize(
    ("tex", "reason"),
    [
        (r"\frac{a", "unbalanced '{'"),
        ("x}", "unbalanced '}'"),
        (r"\foo x", r"unknown command '\foo'"),
        ("x^", "missing super script or subscript"),
        (r"\begin{aligned}a\end{aligned}", "unknown environment 'aligned'"),
        (r"\frac a", "missing argument to a mfrac"),
        ("{" * 3000 + "x" + "}" * 3000, "nested too deeply"),
    ],
    ids=["open-brace", "close-brace", "unknown-command", "no-superscript", "unknown-environment", "no-denominator", "deep"],
)
def test_what_cannot_be_converted_says_why(tex: str, reason: str) -> None:
    with pytest.raises(MathError) as caught:
        to_mathml(tex, display=True)
    assert str(caught.value) == reason


def test_kramdown_math_in_a_document(tmp_path: Path) -> None:
    html = render(tmp_path, "Area $$\\pi r^2$$ here.\n\n$$\nx = 1\n$$\n")
    assert html == (
        "<p>Area "
        + _math("inline", "<mrow><mi>π</mi><msup><mi>r</mi><mn>2</mn></msup></mrow>", r"\pi r^2")
        + " here.</p>\n"
        + _math("block", "<mrow><mi>x</mi><mo>=</mo><mn>1</mn></mrow>", "x = 1")
        + "\n"
    )


def test_plain_and_math_off_keep_kramdowns_tex(tmp_path: Path) -> None:
    body = "Area $$\\pi r^2$$ here.\n\n$$\nx = 1\n$$\n"
    expected = "<p>Area \\(\\pi r^2\\) here.</p>\n\\[x = 1\\]\n"
    assert render(tmp_path, body, plain=True) == expected
    assert render(tmp_path, body, features=DOCUMENT_FEATURES - {"math"}) == expected


def test_a_formula_that_cannot_be_converted_stays_tex_with_a_warning_at_its_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # file lines: 1-3 front matter, 4 "First", 5 "then", 6 blank, 7-9 the display formula
    body = "First line,\nthen $$\\frac{a$$ broken.\n\n$$\n\\foo\n$$\n"
    with caplog.at_level(logging.WARNING):
        html = render(tmp_path, body)
    assert html == "<p>First line,\nthen \\(\\frac{a\\) broken.</p>\n\\[\\foo\\]\n"
    post = tmp_path / "_posts" / "2024-01-01-post.md"
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert warnings == [
        f"{post}:5: formula left as TeX (unbalanced '{{'): \\frac{{a",
        f"{post}:7: formula left as TeX (unknown command '\\foo'): \\foo",
    ]


# --- emoji -----------------------------------------------------------------------------------

JEMOJI = "title: T\nplugins:\n  - jekyll-feed\n  - jemoji\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (":smile: :+1: :tada:", "😄 👍 🎉"),
        ("I :heart: it", "I ❤️ it"),
        (":nope: stays", ":nope: stays"),
        ("ratio 1:2:3", "ratio 1:2:3"),
        (":foo:smile:", ":foo😄"),  # as html-pipeline: the closing colon of an unknown name may open the next one
        ("https://example.com/a:smile:b", "https://example.com/a:smile:b"),
        ("see :smile:", "see 😄"),
    ],
    ids=["github-names", "variation-selector", "unknown", "ratio", "after-unknown", "url", "plain"],
)
def test_shortcodes(text: str, expected: str) -> None:
    assert emojize(text) == expected


def test_jemoji_site_gets_unicode_emoji_outside_code(tmp_path: Path) -> None:
    body = (
        "Done :tada: and `:smile:` and <code>:smile:</code> and [:smile:](https://example.com/:smile:) "
        "and <https://example.com/:smile:>.\n\n"
        "    :smile: indented\n\n"
        "```\n:smile: fenced\n```\n\n"
        "# Heading :+1:\n"
    )
    html = render(tmp_path, body, config=JEMOJI)
    assert html == (
        '<p>Done 🎉 and <code class="language-plaintext highlighter-rouge">:smile:</code> and <code>:smile:</code> '
        'and <a href="https://example.com/:smile:">😄</a> '
        'and <a href="https://example.com/:smile:">https://example.com/:smile:</a>.</p>\n'
        '<div class="language-plaintext highlighter-rouge"><div class="highlight"><pre class="highlight"><code>:smile: indented\n'
        "</code></pre></div></div>\n"
        '<div class="language-plaintext highlighter-rouge"><div class="highlight"><pre class="highlight"><code>:smile: fenced\n'
        "</code></pre></div></div>\n"
        '<h1 id="heading-1">Heading 👍</h1>\n'
    )


def test_without_jemoji_shortcodes_stay_text(tmp_path: Path) -> None:
    assert render(tmp_path, "Done :tada:\n") == "<p>Done :tada:</p>\n"
    assert render(tmp_path, "Done :tada:\n", config="title: T\nplugins: [jekyll-feed]\n") == "<p>Done :tada:</p>\n"


def test_jemoji_in_gems_as_before_jekyll_3_5(tmp_path: Path) -> None:
    assert render(tmp_path, "Done :tada:\n", config="title: T\ngems: [jemoji]\n") == "<p>Done 🎉</p>\n"


def test_plain_and_emoji_off_keep_shortcodes(tmp_path: Path) -> None:
    assert render(tmp_path, "Done :tada:\n", config=JEMOJI, plain=True) == "<p>Done :tada:</p>\n"
    assert render(tmp_path, "Done :tada:\n", config=JEMOJI, features=DOCUMENT_FEATURES - {"emoji"}) == "<p>Done :tada:</p>\n"


def test_a_separated_excerpt_reads_like_the_body(tmp_path: Path) -> None:
    config = "title: T\nplugins: [jemoji]\nexcerpt_separator: <!--more-->\n"
    (tmp_path / "_config.yml").write_text(config, encoding="utf-8")
    post = tmp_path / "_posts" / "2024-01-01-post.md"
    post.parent.mkdir()
    post.write_text("---\ntitle: Post\n---\nArea $$r^2$$ :tada:\n<!--more-->\nRest.\n", encoding="utf-8")
    excerpt = render_document(post, JekyllSite.load(tmp_path)).metadata["excerpt"]
    assert excerpt == "<p>Area " + _math("inline", "<mrow><msup><mi>r</mi><mn>2</mn></msup></mrow>", "r^2") + " 🎉</p>\n"
    plain = render_document(post, JekyllSite.load(tmp_path), plain=True).metadata["excerpt"]
    assert plain == "<p>Area \\(r^2\\) :tada:</p>\n"
