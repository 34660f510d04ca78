"""Nothing from git reaches a page unescaped, and no path of the builder's machine is published.

The front-matter and ``_config.yml`` cases are hostile-input cases (``fixtures/hostile/escape-*``);
these need a git repository, which the hostile-input harness does not make.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader

from pelican.plugins.palimpsest.cli import main
from pelican.plugins.palimpsest.resources import THEME_PATH
from pelican.plugins.palimpsest.theme_escaping import prepare_environment, refused_scheme

from .gitrepo import commit, init

CONFIG = "title: Escaping\nurl: https://example.org\npermalink: /:year/:month/:day/:title/\n"
POST = "_posts/2024-01-05-post.md"
SUBJECT = '<script>alert(1)</script> & "quoted"'
SUBJECT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A post committed with a script in its subject, then broken (an unclosed ``if``), then fixed."""
    site = init(tmp_path_factory.mktemp("escaping") / "blog")
    commit(site, {"_config.yml": CONFIG, POST: "---\ntitle: Post\n---\n\nFirst.\n"}, SUBJECT, "2024-01-05T10:00:00+00:00")
    commit(site, {POST: "---\ntitle: Post\n---\n\nSecond.\n\n{% if true %}\n"}, "Broken", "2024-01-06T10:00:00+00:00")
    commit(site, {POST: "---\ntitle: Post\n---\n\nThird.\n"}, "Fixed", "2024-01-07T10:00:00+00:00")
    output = tmp_path_factory.mktemp("out")
    assert main(["build", str(site), "-o", str(output)]) == 0
    return site, output / "2024" / "01" / "05" / "post" / "history"


def test_commit_subject_is_text_on_the_history_page(built: tuple[Path, Path]) -> None:
    page = (built[1] / "index.html").read_text(encoding="utf-8")
    assert f'<span class="history__message">{SUBJECT_ESCAPED}</span>' in page
    assert "<script>alert(1)" not in page and '"quoted"' not in page


def test_commit_subject_is_text_in_the_revision_banner(built: tuple[Path, Path]) -> None:
    (first,) = built[1].glob("2024-01-05-*/index.html")
    page = first.read_text(encoding="utf-8")
    assert f"</code> — {SUBJECT_ESCAPED}</p>" in page
    assert "<script>alert(1)" not in page
    for diff in built[1].glob("*/*/index.html"):  # diff/ and compare/ pages show the banner too
        assert "<script>alert(1)" not in diff.read_text(encoding="utf-8"), diff


def test_broken_revision_says_where_and_why_without_the_builders_path(built: tuple[Path, Path]) -> None:
    site, history = built
    (broken,) = history.glob("2024-01-06-*/index.html")
    page = broken.read_text(encoding="utf-8")
    assert re.search(f'<p class="revision-error">{POST}:[0-9]+: Liquid error: expected tag endif', page), page
    assert str(site) not in page and str(site.resolve()) not in page
    for path in history.rglob("*.html"):
        assert str(site.parent) not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("javascript:alert(1)", "javascript"),
        (" JaVaScRiPt:alert(1)", "javascript"),
        ("java\tscript:alert(1)", "javascript"),
        ("\x01javascript:alert(1)", "javascript"),
        ("data:text/html,x", "data"),
        ("VBScript:msgbox", "vbscript"),
        ("https://example.org/a.png", None),
        ("/images/javascript:x.png", None),
        ("images/a.png", None),
        ("mailto:a@example.org", None),
    ],
)
def test_script_urls_are_recognised_as_a_browser_reads_them(url: str, scheme: str | None) -> None:
    assert refused_scheme(url) == scheme


def test_another_theme_keeps_its_setting_and_our_fallback_templates_escape() -> None:
    """A pelicanconf.py with its own theme: its templates render as they did; ours, which it falls back
    to (history.html…), escape."""
    theme = DictLoader({"theirs.html": "{{ value }}", "base.html": "{% block content %}{% endblock %}"})
    env = Environment(loader=ChoiceLoader([theme, FileSystemLoader(str(THEME_PATH / "templates"))]))
    prepare_environment(env, {"THEME": "/somewhere/else"})
    assert env.get_template("theirs.html").render(value="<b>'x'</b>") == "<b>'x'</b>"
    assert callable(env.autoescape) and env.autoescape("history.html") and not env.autoescape("theirs.html")


def test_our_theme_escapes_as_kramdown_does() -> None:
    env = Environment(loader=DictLoader({"t.html": '<a title="{{ value }}">{{ value }}{{ html|safe }}</a>'}))
    prepare_environment(env, {"THEME": str(THEME_PATH)})
    rendered = env.get_template("t.html").render(value='l\'été <b> & "x"', html="<i>ok</i>")
    assert rendered == "<a title=\"l'été &lt;b&gt; &amp; &quot;x&quot;\">l'été &lt;b&gt; &amp; &quot;x&quot;<i>ok</i></a>"
