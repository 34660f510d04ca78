"""Reading Jekyll content: front matter as Psych reads it, file names, defaults, permalinks, Liquid."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pelican.plugins.palimpsest.cli import main
from pelican.plugins.palimpsest.document import render_document
from pelican.plugins.palimpsest.errors import DocumentError
from pelican.plugins.palimpsest.jekyll.frontmatter import as_datetime, split_front_matter
from pelican.plugins.palimpsest.jekyll.site import JekyllSite

CONFIG = """
title: Site
url: https://example.org
baseurl: /blog
permalink: /:year/:month/:day/:title/
timezone: Europe/Paris
include: [_pages]
collections:
  guides:
    output: true
    permalink: /:collection/:path/
defaults:
  - scope: {path: "", type: posts}
    values: {layout: single, read_time: true}
  - scope: {path: "_guides"}
    values: {toc: true}
"""


@pytest.fixture()
def site(tmp_path: Path) -> JekyllSite:
    (tmp_path / "_config.yml").write_text(CONFIG, encoding="utf-8")
    for folder in ("_posts", "_guides", "_pages", "_includes", "_data"):
        (tmp_path / folder).mkdir()
    (tmp_path / "_data" / "people.yml").write_text("lin: {name: 林晓岚}\n", encoding="utf-8")
    (tmp_path / "_includes" / "note.html").write_text('<aside class="note">{{ include.text }}</aside>\n', encoding="utf-8")
    return JekyllSite.load(tmp_path)


def write(site: JekyllSite, relative: str, text: str) -> Path:
    path = site.root / relative
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_1_1_booleans_and_dates() -> None:
    front = split_front_matter("---\npublished: no\ntoc: on\nlast_modified_at: 2023-02-10\n---\nbody\n", Path("x.md"))
    assert front.data == {"published": False, "toc": True, "last_modified_at": dt.date(2023, 2, 10)}
    assert front.body == "body\n" and front.body_line == 6


def test_timestamps_psych_accepts() -> None:
    moment = as_datetime("2010-01-07 13:00:00 +0200")
    assert moment == dt.datetime(2010, 1, 7, 11, 0, tzinfo=dt.timezone.utc)


def test_post_date_slug_title_and_permalink(site: JekyllSite) -> None:
    path = write(site, "_posts/2024-03-02-renew-online.md", "---\nlast_modified_at: 2024-04-01\n---\nHi\n")
    page = render_document(path, site).metadata
    assert page["date"] == dt.datetime(2024, 3, 2, tzinfo=site.timezone)
    assert page["slug"] == "renew-online"
    assert page["title"] == "Renew Online"  # derived as Jekyll does
    assert page["modified"].date() == dt.date(2024, 4, 1)
    assert page["url"] == "/2024/03/02/renew-online/"
    assert page["save_as"] == "2024/03/02/renew-online/index.html"
    assert page["layout"] == "single" and page["read_time"] is True  # from defaults


def test_older_modified_key(site: JekyllSite) -> None:
    path = write(site, "_posts/2024-03-02-old.md", "---\ntitle: Old\nmodified: 2024-05-06\n---\nHi\n")
    assert render_document(path, site).metadata["modified"].date() == dt.date(2024, 5, 6)


def test_collection_permalink_and_scoped_defaults(site: JekyllSite) -> None:
    path = write(site, "_guides/renouvellement.md", "---\ntitle: Guide\n---\nHi\n")
    page = render_document(path, site).metadata
    assert page["url"] == "/guides/renouvellement/"
    assert page["toc"] is True and page["collection"] == "guides"


def test_page_permalink(site: JekyllSite) -> None:
    path = write(site, "_pages/about.md", "---\ntitle: About\npermalink: /about/\n---\nHi\n")
    assert render_document(path, site).metadata["save_as"] == "about/index.html"


def test_liquid_runs_before_markdown(site: JekyllSite) -> None:
    path = write(
        site,
        "_posts/2024-01-01-liquid.md",
        "---\ntitle: Liquid\n---\n"
        "[home]({{ site.url }}{{ site.baseurl }}/) by {{ site.data.people.lin.name }} in {{ page.title }}\n\n"
        "{% capture note %}**bold**{% endcapture %}{{ note | markdownify }}\n\n"
        "[about]({{ '/about/' | relative_url }}) `{% raw %}{{ raw }}{% endraw %}`\n",
    )
    html = render_document(path, site).html
    assert '<a href="https://example.org/blog/">home</a> by 林晓岚 in Liquid' in html
    assert "<strong>bold</strong>" in html
    assert '<a href="/blog/about/">about</a>' in html
    assert "{{ raw }}" in html


def test_include_html_is_not_reparsed(site: JekyllSite) -> None:
    (site.root / "_includes" / "box.html").write_text(
        '<div class="box">\n\n    indented, not code\n\n*not emphasis*\n</div>\n', encoding="utf-8"
    )
    path = write(site, "_posts/2024-01-01-inc.md", '---\ntitle: Inc\n---\n\n{% include note.html text="5 €" %}\n\n{% include box.html %}\n')
    html = render_document(path, site).html
    assert '<aside class="note">5 €</aside>' in html
    assert "<pre>" not in html and "<em>" not in html and "*not emphasis*" in html


def test_site_include_overrides_theme_include(site: JekyllSite) -> None:
    (site.root / "_includes" / "video").write_text("<p>site video {{ include.id }}</p>", encoding="utf-8")
    path = write(site, "_posts/2024-01-01-video.md", '---\ntitle: V\n---\n\n{% include video id="abc" provider="youtube" %}\n')
    assert "<p>site video abc</p>" in render_document(path, site).html


def test_highlight_tag(site: JekyllSite) -> None:
    path = write(
        site, "_posts/2024-01-01-hl.md", "---\ntitle: H\n---\n\n{% highlight ruby linenos %}\nputs 1\n\nputs 2\n{% endhighlight %}\n"
    )
    html = render_document(path, site).html
    assert '<figure class="highlight"><pre><code class="language-ruby" data-lang="ruby"><table class="rouge-table">' in html
    assert '<pre class="lineno">1\n2\n3\n</pre>' in html


def test_bad_date_names_its_line(site: JekyllSite) -> None:
    path = write(site, "_posts/2024-01-01-bad.md", "---\ntitle: x\ndate: tomorrow-ish\n---\n")
    with pytest.raises(DocumentError, match=r"2024-01-01-bad.md:3: date"):
        render_document(path, site)


def test_render_json(site: JekyllSite, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(site, "_posts/2024-03-02-json.md", "---\ntitle: J\ntags: [a, b]\nunknown_key: kept\n---\n## 居留\n")
    assert main(["render", str(path), "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["html"] == '<h2 id="居留">居留</h2>\n'
    metadata = payload["metadata"]
    assert metadata["date"].startswith("2024-03-02T00:00:00")
    assert metadata["tags"] == ["a", "b"] and metadata["unknown_key"] == "kept"
    assert metadata["url"] == "/2024/03/02/json/" and metadata["reading_time"] >= 1


def test_render_uses_config_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "conf.yml").write_text("url: https://elsewhere.example\n", encoding="utf-8")
    post = tmp_path / "post.md"
    post.write_text("---\n---\n{{ site.url }}\n", encoding="utf-8")
    assert main(["render", str(post), "--config", str(tmp_path / "conf.yml"), "--plain"]) == 0
    assert capsys.readouterr().out == "<p>https://elsewhere.example</p>\n"


def test_excerpt_is_the_first_block(site: JekyllSite) -> None:
    path = write(site, "_posts/2024-01-02-ex.md", "---\ntitle: Ex\n---\nFirst *para*.\n\nSecond.\n")
    assert render_document(path, site).metadata["excerpt"] == "<p>First <em>para</em>.</p>"


def test_custom_excerpt_separator(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("excerpt_separator: <!--more-->\n", encoding="utf-8")
    post = tmp_path / "2024-01-01-more.md"
    post.write_text("---\ntitle: More\n---\nOne.\n\nTwo.\n<!--more-->\nThree.\n", encoding="utf-8")
    excerpt = render_document(post, JekyllSite.for_file(post)).metadata["excerpt"]
    assert "One." in excerpt and "Two." in excerpt and "Three." not in excerpt


def test_front_matter_excerpt_wins(site: JekyllSite) -> None:
    path = write(site, "_posts/2024-01-03-ex.md", "---\ntitle: Ex\nexcerpt: Short summary.\n---\nBody.\n")
    assert render_document(path, site).metadata["excerpt"] == "Short summary."


@pytest.mark.parametrize("value", ["2015-09-07", "2024-02-29", "1999-12-31", "2023-02-29", "2015-13-01", "2015-9-07", "2015-09-07 10:00"])
def test_file_name_date_as_pelican_reads_it(value: str) -> None:
    """The date of a post's file name: what Pelican's own processing gives (its dateutil parse), or
    None where Pelican cannot read it (``read`` then names the file)."""
    from pelican.readers import METADATA_PROCESSORS
    from pelican.settings import DEFAULT_CONFIG

    from pelican.plugins.palimpsest.reader import JekyllReader

    settings = dict(DEFAULT_CONFIG)
    try:
        expected = METADATA_PROCESSORS["date"](value, settings)
    except ValueError:
        expected = None
    got = JekyllReader(settings).process_metadata("date", value)
    assert got == expected
    assert type(got) is type(expected)
