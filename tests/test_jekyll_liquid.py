"""Jekyll's site variables and tags in a document: ``site.posts``, ``site.tags``, ``site.<collection>``,
``page.next``… and ``post_url``, ``link``, ``include_relative``, ``gist``.

The expected text is what real Jekyll 4.3.1 wrote for the same tiny site (``jekyll build`` with
``TZ=UTC``; ``gist: {noscript: false}`` so that jekyll-gist does not fetch the code)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pelican.plugins.palimpsest.document import render_document
from pelican.plugins.palimpsest.errors import DocumentError
from pelican.plugins.palimpsest.jekyll.site import JekyllSite

CONFIG = "url: https://ex.org\nbaseurl: /b\ncollections:\n  tds:\n    output: true\nplugins: [jekyll-gist]\ngist:\n  noscript: false\n"
FILES = {
    "_posts/2024-01-01-hello.md": (
        "---\ntitle: Hello\ntags: [a, b]\n---\nHi {{ page.next.title }}|{{ page.previous.title }}|{{ page.id }}|{{ page.path }}\n"
    ),
    "_posts/cat/2024-02-01-world.md": (
        '---\ntags: [b]\ncategories: x\n---\nWorld {{ site.posts | map: "title" | join: "," }} '
        '{{ site.tds | map: "url" | join: "," }} {% for t in site.tags %}{{ t[0] }}={{ t[1].size }};{% endfor %} '
        '{{ site.collections | map: "label" | join: "," }} {{ site.pages | map: "url" | join: "," }} '
        "{{ site.categories.x.size }} {{ page.previous.url }}\n"
    ),
    "_tds/one.md": "---\ntitle: T\n---\nDoc\n",
    "_tds/two.md": "no front matter: a static file of the collection\n",
    "about.md": "---\ntitle: About\n---\nabout\n",
    "sub/index.html": "---\n---\nx\n",
    "sub/part.md": "PART {{ include.x }}\n",
    "assets/a.css": "x\n",
    "sub/page.md": (
        "---\n---\n[{% post_url 2024-01-01-hello %}] [{% post_url cat/2024-02-01-world %}] [{% link _tds/one.md %}] "
        '[{% link about.md %}] [{% link assets/a.css %}] [{% include_relative part.md x="1" %}] {% gist user/123 a.py %}\n'
    ),
}
# Jekyll's output for each page (kramdown's table indentation aside: ours does not indent).
EXPECTED = {
    "_posts/cat/2024-02-01-world.md": (
        "<p>World World,Hello /tds/one.html a=1;b=2; posts,tds /about.html,/sub/,/sub/page.html 1 /2024/01/01/hello.html</p>"
    ),
    "sub/page.md": (
        "<p>[/b/2024/01/01/hello.html] [/b/x/2024/02/01/world.html] [/b/tds/one.html] [/b/about.html] [/b/assets/a.css] [PART 1\n] "
        '<script src="https://gist.github.com/user/123.js?file=a.py"> </script></p>'
    ),
}


@pytest.fixture()
def site(tmp_path: Path) -> JekyllSite:
    (tmp_path / "_config.yml").write_text(CONFIG, encoding="utf-8")
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return JekyllSite.load(tmp_path, fresh=True)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_site_variables_and_tags_as_jekyll(site: JekyllSite, name: str) -> None:
    assert render_document(site.root / name, site, plain=True).html.strip() == EXPECTED[name]


def test_page_next_previous_id_path(site: JekyllSite) -> None:
    html = render_document(site.root / "_posts/2024-01-01-hello.md", site, plain=True).html
    for cell in ("<td>Hi World</td>", "<td>/2024/01/01/hello</td>", "<td>_posts/2024-01-01-hello.md</td>"):
        assert cell in html


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{% post_url 2023-01-01-nope %}", "could not find post \"2023-01-01-nope\" in tag 'post_url'"),
        ("{% post_url nodate %}", "does not contain valid date and/or title"),
        ("{% link _posts/nope.md %}", "could not find document '_posts/nope.md' in tag 'link'"),
        ("{% link _tds/two.md %}", "could not find document '_tds/two.md'"),
        ("{% include_relative ../../etc/passwd %}", "invalid include name"),
        ("{% include_relative missing.md %}", "include file not found: 'missing.md'"),
    ],
)
def test_unknown_target_is_an_error_at_its_line(site: JekyllSite, body: str, message: str) -> None:
    path = site.root / "sub" / "bad.md"
    path.write_text(f"---\n---\n\n{body}\n", encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        render_document(path, site, plain=True)
    assert caught.value.line == 4
    assert message in str(caught.value)


def test_include_relative_link_out_of_the_site_is_refused(site: JekyllSite, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.md"
    outside.write_text("SECRET\n", encoding="utf-8")
    (site.root / "sub" / "link.md").symlink_to(outside)
    path = site.root / "sub" / "bad.md"
    path.write_text("---\n---\n{% include_relative link.md %}\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="outside the site"):
        render_document(path, site, plain=True)


def test_gist_fallback_is_a_link_without_network(site: JekyllSite) -> None:
    (site.root / "_config.yml").write_text(CONFIG.replace("gist:\n  noscript: false\n", ""), encoding="utf-8")
    fresh = JekyllSite.load(site.root, fresh=True)
    path = site.root / "sub" / "gist.md"
    path.write_text("---\n---\n{% gist 28949e1d5ee2273f9fd3 %}\n", encoding="utf-8")
    html = render_document(path, fresh, plain=True).html
    assert '<noscript><p><a href="https://gist.github.com/28949e1d5ee2273f9fd3">' in html
    assert html.rstrip().endswith('<script src="https://gist.github.com/28949e1d5ee2273f9fd3.js"> </script>')


def test_site_without_document_variables_never_scans(site: JekyllSite) -> None:
    render_document(site.root / "about.md", site, plain=True)
    assert "documents" not in vars(site)  # the scan is made only when a template asks
