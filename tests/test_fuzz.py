"""Fuzzing the render entry point: any document either renders or raises the project's own
``DocumentError`` (which the reader turns into ``file:line: reason``), and never takes 5 s.

Random documents are built from the pieces a Jekyll blog is made of: front matter with the keys
Jekyll and this library know (values of every YAML type, CJK text, dates, nested maps, strings
full of quotes, ``{%`` and ``---``), Liquid (variables through every filter, ``if``/``for``,
our shipped includes, ``raw``, unbalanced tags) and kramdown (IALs, ``{:toc}``, tables,
footnotes, maths, HTML blocks with ``markdown="1"``, notices, GitHub alerts, update phrases).
Each is rendered plain and with every feature, in one of three tiny sites.

CI runs the ``ci`` profile (300 derandomized examples); ``HYPOTHESIS_PROFILE=long`` or
``benchmarks/fuzz_render.py`` runs thousands.  A crash found once becomes an ``@example``.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from pelican.plugins.palimpsest.document import RenderedDocument, render_document
from pelican.plugins.palimpsest.errors import DocumentError
from pelican.plugins.palimpsest.jekyll.site import JekyllSite

SLOW_SECONDS = 5.0  # one document taking longer than this is a failure, as a crash is

_BASE = settings(deadline=None, database=None, suppress_health_check=list(HealthCheck), print_blob=True)
settings.register_profile("ci", _BASE, max_examples=300, derandomize=True)
settings.register_profile("long", _BASE, max_examples=10_000)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

# --- three tiny sites ------------------------------------------------------------------------

SITES: dict[str, dict[str, str]] = {
    "plain": {
        "_config.yml": "title: Fuzz\nurl: https://example.org\npermalink: /:year/:month/:day/:title/\n",
    },
    "french": {
        "_config.yml": (
            "title: Essais\nurl: https://example.org\nbaseurl: /blog\nlocale: fr\npermalink: pretty\n"
            "timezone: Europe/Paris\nexcerpt_separator: <!--more-->\nwords_per_minute: 180\n"
            "kramdown:\n  toc_levels: 2..3\n  auto_ids: false\n  hard_wrap: true\n  smart_quotes: lsaquo,rsaquo,laquo,raquo\n"
            "defaults:\n  - scope: {path: ''}\n    values: {toc: true, layout: single, lang: fr}\n"
        ),
        "_data/ui-text.yml": "fr:\n  toc_label: Sur cette page\n",
    },
    "random": {"_config.yml": ""},  # each example may write its own _config.yml (Case.config)
    "chinese": {
        "_config.yml": (
            "title: 试验\nurl: https://example.org\nlang: zh-CN\ntimezone: Asia/Shanghai\npermalink: /:categories/:title.html\n"
            "reading_speed: {latin: 200, cjk: 300}\nplugins: [jemoji]\ncollections: {notes: {output: true, permalink: '/notes/:path/'}}\n"
            "kramdown:\n  input: GFM\n  math_engine: mathjax\n  footnote_backlink: '↩'\n"
        ),
        "_includes/note.html": '<aside class="note">{{ include.text | markdownify }}</aside>\n',
        "_data/authors.json": '{"ann": {"name": "Ann"}}\n',
    },
}
PLACES = ("_posts/2024-01-02-fuzz.md", "about.md", "_posts/2023-12-31-中文.md")


def make_sites(root: Path) -> dict[str, JekyllSite]:
    """Write the tiny sites under *root* and load them."""
    for name, files in SITES.items():
        for relative, text in files.items():
            path = root / name / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (root / name / "_posts").mkdir(exist_ok=True)
    return {name: JekyllSite.load(root / name) for name in SITES}


# --- front matter ----------------------------------------------------------------------------

CJK = "中文汉字漢語繁體日本語ひらがなカタカナ한국어「」『』，。、：；！？…—《》（）"
FRENCH = "àâçéèêëîïôûùüÿœæÀÉÈÇ«» \u00a0\u202f’"
MARKUP = "{}%[]()*_`$|<>:!^#-=+~\\/\"'&;.,?@\t\n "
WEIRD = [
    "",
    " ",
    '"',
    "'",
    '"unclosed',
    "it's",
    "{%",
    "{% endif %}",
    "{{",
    "{{ page.title }}",
    "---",
    "...",
    ": ",
    "- x",
    "#",
    "&anchor",
    "*alias",
    "!!binary",
    "!!python/object:os.system",
    "%YAML 1.2",
    "\\",
    "\x00",
    "\ufeff",
    "\u202e",
    "\u00a0",
    "\U0001f600",
    "null",
    "~",
    "yes",
    "no",
    "on",
    "0x1F",
    "1e400",
    ".nan",
    "-.inf",
    "2024-02-30",
    "2024-01-02 25:61:00 +0800",
    "1999-12-31T23:59:59Z",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "/:year/:title/../../x",
    "[[a]]",
    "<!--more-->",
]
weird_strings = st.sampled_from(WEIRD)
words = st.one_of(
    st.text(max_size=20),
    st.text(alphabet=CJK + FRENCH + "abc xyz", max_size=24),
    st.text(alphabet=MARKUP + "ab中", max_size=16),
    weird_strings,
)
texts = st.one_of(words, st.lists(words, min_size=2, max_size=4).map("".join))
dates = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)),
    st.sampled_from(["2024-01-02", "2024-13-45", "2024-01-02 10:00:00 +0800", "yesterday", "0000-00-00", "2024-1-2"]),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(),
    dates,
    texts,
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.one_of(words, st.integers(-3, 3)), inner, max_size=4),
    max_leaves=10,
)
column_ids = st.sampled_from(["k", "v", "w", "", "中"])
tables = st.dictionaries(
    st.sampled_from(["t", "u", "表"]) | words,
    st.one_of(
        st.fixed_dictionaries(
            {
                "key": column_ids,
                "columns": st.lists(
                    st.fixed_dictionaries({"id": column_ids, "label": texts | st.dictionaries(st.sampled_from(["zh", "fr"]), texts)}),
                    max_size=3,
                ),
            },
            optional={
                "caption": texts,
                "align": st.sampled_from(["left", "center", "middle"]),
                "rows": st.lists(st.dictionaries(column_ids, scalars, max_size=3), max_size=3),
                "versions": st.lists(
                    st.fixed_dictionaries(
                        {"rows": st.lists(st.dictionaries(column_ids, scalars, max_size=3), max_size=3)},
                        optional={"as_of": dates | texts, "source": texts, "note": values},
                    ),
                    max_size=3,
                ),
            },
        ),
        values,
    ),
    max_size=2,
)
KNOWN: dict[str, st.SearchStrategy[Any]] = {
    "title": texts | values,
    "date": dates | values,
    "tags": st.lists(texts, max_size=4) | texts | values,
    "categories": st.lists(texts, max_size=3) | texts | values,
    "permalink": st.sampled_from(["/:year/:title/", "/:categories/:slug.html", "none", "pretty", "/../x/", "/a/../../b", "/:nope/"])
    | texts
    | values,
    "lang": st.sampled_from(["zh", "fr", "en", "zh-CN", "zh-Hant-TW", "xx", "fr_FR"]) | values,
    "locale": st.sampled_from(["zh", "fr", "de"]) | values,
    "header": st.fixed_dictionaries({}, optional={"overlay_image": texts, "teaser": texts, "caption": texts}) | values,
    "excerpt": texts | values,
    "excerpt_separator": st.sampled_from(["<!--more-->", "", "\n\n", "x"]) | values,
    "words_per_minute": st.sampled_from([0, -1, 1, 200, "200", "fast", 1e308, True]) | values,
    "tables": tables | values,
    "gallery": st.lists(st.fixed_dictionaries({"image_path": texts}, optional={"url": texts, "title": texts, "alt": texts}), max_size=3)
    | values,
    "slug": texts | values,
    "published": st.booleans() | values,
    "layout": texts | values,
    "toc": st.booleans() | values,
    "last_modified_at": dates | values,
    "updates": values,
    "author": texts | values,
}


def _dump(data: dict[Any, Any]) -> str:
    out = StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    yaml.dump(data, out)
    return out.getvalue()


dumped_front_matter = (
    st.dictionaries(st.sampled_from(list(KNOWN)) | words, st.none(), max_size=6)
    .flatmap(lambda keys: st.fixed_dictionaries({key: KNOWN.get(key, values) if isinstance(key, str) else values for key in keys}))
    .map(_dump)
)
raw_line = st.builds(
    lambda key, value: f"{key}: {value}",
    st.sampled_from(list(KNOWN)) | words,
    st.one_of(weird_strings, words, st.sampled_from(["[a, b", "{a: 1", "|\n  block", ">-\n  folded", "&a x\nother: *a"])),
)
raw_front_matter = st.lists(raw_line, max_size=5).map(lambda lines: "".join(line + "\n" for line in lines))


@st.composite
def documents_head(draw: st.DrawFn) -> str:
    """The opening of a document: no front matter, an empty one, a dumped one, a raw one, an unclosed one."""
    kind = draw(st.sampled_from(["none", "empty", "dumped", "dumped", "dumped", "raw", "unclosed", "not a mapping"]))
    if kind == "none":
        return ""
    if kind == "empty":
        return "---\n---\n"
    if kind == "unclosed":
        return "---\n" + draw(raw_front_matter)
    if kind == "not a mapping":
        return "---\n" + draw(st.sampled_from(["- a\n- b\n", "just text\n", "42\n", "[1, 2]\n"])) + "---\n"
    return "---\n" + draw(dumped_front_matter if kind == "dumped" else raw_front_matter) + "---\n"


# --- Liquid ----------------------------------------------------------------------------------

VARIABLES = [
    "page.title",
    "page.date",
    "page.tags",
    "page.categories",
    "page.url",
    "page.excerpt",
    "page.tables",
    "page.gallery",
    "page.header",
    "page.words_per_minute",
    "page.nope",
    "site.title",
    "site.data",
    "site.posts",
    "site.time",
    "content",
    "page",
    "site",
    '"2024-13-45"',
    '"中文 text"',
    "-1",
    "99999999999999999999",
    "1.5e300",
    "nil",
    "true",
    "(1..3)",
]
FILTERS = [
    "relative_url",
    "absolute_url",
    "markdownify",
    "date_to_xmlschema",
    "date_to_rfc822",
    "date_to_string",
    'date_to_string: "ordinal", "US"',
    "date_to_long_string",
    "xml_escape",
    "cgi_escape",
    "uri_escape",
    "slugify",
    'slugify: "latin"',
    'slugify: "nope"',
    "jsonify",
    "number_of_words",
    'number_of_words: "cjk"',
    "normalize_whitespace",
    "array_to_sentence_string",
    'where: "a", "b"',
    'group_by: "x"',
    'date: "%Y-%m-%d %A"',
    'date: "%s"',
    "size",
    "first",
    "last",
    "sort",
    "reverse",
    "uniq",
    'join: ", "',
    'split: ","',
    "downcase",
    "escape",
    "strip_html",
    "truncate: 3",
    "truncatewords: 2",
    "plus: 1",
    "divided_by: 0",
    "modulo: 0",
    'append: "x"',
    "slice: 1, 2",
    'default: "d"',
    "nosuchfilter",
    "truncate: -5",
    "slice: -99999999999999999999",
    "times: 99999999999999999999",
    'date: "%Q %-d %"',
    'where_exp: "x", "x.a"',
    "sort: 1",
]
INCLUDES = [
    '{% include figure image_path="/a.png" alt="a" caption="**c** 图" popup=true %}',
    "{% include figure image_path=page.title alt=page.tags %}",
    "{% include figure %}",
    "{% include gallery %}",
    '{% include gallery id="nope" layout="half" caption="x" %}',
    "{% include toc %}",
    '{% include toc title="目录" icon="list" sticky=true %}',
    '{% include video id="dQw4w9WgXcQ" provider="youtube" %}',
    '{% include video id=page.title provider="bilibili" danmaku=1 %}',
    '{% include video id="x" provider="nope" %}',
    '{% include table id="t" %}',
    '{% include table id="t" version="2021-01-01" %}',
    '{% include comparison id="t" %}',
    '{% include comparison id="表" from="2021-01-01" to="2021-02-01" %}',
    '{% include note.html text="*hi*" %}',
    "{% include nosuchfile.html %}",
    "{% include ../_config.yml %}",
    "{% include /etc/passwd %}",
    "{% include {{ page.title }} %}",
    '{% include figure image_path="a" caption="{% raw %}" %}',
]
LIQUID_FIXED = [
    "{% raw %}{{ not rendered }}{% endraw %}",
    "{% raw %}",
    "{% endraw %}",
    "{% if %}x{% endif %}",
    "{% endif %}",
    "{% for %}",
    "{{",
    "}}",
    "{%",
    "%}",
    "{{ }}",
    "{% comment %}x{% endcomment %}",
    "{% comment %}",
    "{% highlight python %}\nprint('{{ x }}')\n{% endhighlight %}",
    "{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}",
    "{% highlight %}\nx\n{% endhighlight %}",
    "{% highlight nosuchlang %}\nx\n{% endhighlight %}",
    "{% highlight python %}\nunclosed",
    "{% assign x = page.tags | first %}{{ x }}",
    "{% capture c %}**captured**{% endcapture %}{{ c | markdownify }}",
    "{% case page.lang %}{% when 'fr' %}fr{% else %}other{% endcase %}",
    "{% for i in (1..3) %}{{ i }}{% endfor %}",
    "{% for i in (1..page.words_per_minute) %}{% endfor %}",
    "{% cycle 'a', 'b' %}",
    "{% increment n %}",
    "{% link _posts/2024-01-02-fuzz.md %}",
    "{% post_url 2024-01-02-fuzz %}",
    "{% unknown_tag %}",
]


@st.composite
def liquid_fragment(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["variable", "if", "for", "include", "fixed", "fixed"]))
    variable = draw(st.sampled_from(VARIABLES))
    if kind == "variable":
        filters = draw(st.lists(st.sampled_from(FILTERS), max_size=3))
        return "{{ " + " | ".join([variable, *filters]) + " }}"
    if kind == "if":
        operator = draw(st.sampled_from(["", " == 'fr'", " contains 'a'", " > 2", " != nil", " and site.title"]))
        body = draw(st.sampled_from(["yes", "**bold**", "{{ page.title }}", "{% else %}no", "{% elsif page.lang %}x"]))
        closing = draw(st.sampled_from(["{% endif %}", "{% endif %}", "", "{% endfor %}"]))
        return f"{{% if {variable}{operator} %}}{body}{closing}"
    if kind == "for":
        closing = draw(st.sampled_from(["{% endfor %}", "{% endfor %}", "", "{% endif %}"]))
        return f"{{% for item in {variable} limit:3 %}}- {{{{ item }}}}\n{closing}"
    if kind == "include":
        return draw(st.sampled_from(INCLUDES))
    return draw(st.sampled_from(LIQUID_FIXED))


# --- kramdown --------------------------------------------------------------------------------

KRAMDOWN_FIXED = [
    "# Title {#custom-id}",
    "## 二级标题\n\n### Sous-titre « français »",
    "Setext\n======",
    "* toc\n{:toc}",
    "1. x\n{:toc}",
    "{:toc}",
    "{: .x}",
    '{: #id .class key="value"}',
    "{:.notice--info}",
    "{: .notice--warning}",
    "{: .notice--nope}",
    "{:ref: .a .b}\n\npara\n{: ref}",
    "{::comment}\nhidden\n{:/comment}",
    "{::nomarkdown}\n<b>x</b>\n{:/nomarkdown}",
    '{::options auto_ids="false" /}',
    '{::options toc_levels="9..1" /}',
    "{::nosuchextension}",
    "| a | b |\n|---|:-:|\n| 1 | 2 |",
    "| a |\n|---|\n| 1 | 2 | 3 |",
    "|---|\n|",
    "| 中文 | français |\n|:---|---:|\n| « x » | 表格 |\n{: .table}",
    "Text with a footnote[^1].\n\n[^1]: The note, with *emphasis*.",
    "[^missing]",
    "[^a]: orphan note",
    "[^1]: a\n[^1]: duplicate",
    "$$x^2 + y^2$$",
    "$$\n\\frac{a}{b}\n$$",
    "$$ unclosed",
    "inline $$a < b$$ math",
    "broken $$\\frac{a$$ and $$\\foo \\begin{x}$$ and $$\\text{<b>&}\\left($$",
    ":smile: `:+1:` :nope:: :tada: [:heart:](https://x.org/:x:) <https://x.org/:fire:>",
    "- one\n- two\n  - nested\n    1. deep",
    "1. a\n2. b\n\n  * loose",
    "- [ ] task\n- [x] done",
    "term\n: definition",
    '<div markdown="1">\n*inside*\n</div>',
    '<div markdown="1">\n*unclosed',
    '<span markdown="span">*x*</span>',
    '<details markdown="block">\n<summary>s</summary>\n\n- a\n</details>',
    "<div>\n<p>raw</p>\n</div>",
    "<script>alert('x')</script>",
    "<!-- comment -->",
    "<!-- unclosed",
    '[link [with] brackets](https://example.org/a_(b) "title")',
    "[ref][id]\n\n[id]: /url 'title'",
    "[self]",
    "![image](/img.png){: .align-center}",
    "<https://example.org>",
    "***strong em*** __strong__ _em_ **unclosed *x",
    "**a*b**c*d***",
    "a_b_c __init__ snake_case_word",
    "`code` ``double `tick` `` `unclosed",
    "```python\nprint('x')\n```",
    "```\nunclosed fence",
    "~~~ ruby\nputs 1\n~~~\n{: .language-ruby}",
    "    indented code",
    "> quote\n> > nested",
    "> [!NOTE]\n> A GitHub alert.",
    "> [!WARNING]\n> **Careful**",
    "> [!nosuch]\n> x",
    "> [!TIP]-\n> folded",
    "> [!info] Obsidian callout\n> body",
    "**Update (2022-02-14):** something changed.",
    "Update 2022-02-30: impossible date.",
    "Updated on Feb 14, 2022: fixed.",
    "2022 年 2 月 14 日更新：修正了错误。",
    "2022年13月45日更新了内容",
    "Mise à jour du 14 février 2022 : correction.",
    "Mise à jour (31/02/2022) : date impossible.",
    '<div class="notice--info" markdown="1">\n**Update (2023-01-01):** in a notice\n</div>',
    "*[HTML]: Hyper Text Markup Language\n\nHTML here.",
    "line one  \nline two\\\nline three",
    "&amp; &copy; &#x1F600; &nosuch; &#0; &#xFFFFFFFF;",
    "\"quotes\" 'single' -- --- ... << >>",
    "中文段落，包含标点符号。「引号」和《书名》……",
    "Un paragraphe français : « guillemets » ; et des espaces ! Vraiment ?",
    "\\* \\_ \\{ \\} \\$",
    "***\n---\n___",
    "^",
    "\t\ttabs\t",
    "<!--more-->",
]


@st.composite
def kramdown_fragment(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["fixed", "fixed", "fixed", "text", "heading", "ial", "table"]))
    if kind == "text":
        return draw(texts)
    if kind == "heading":
        return "#" * draw(st.integers(1, 7)) + " " + draw(texts)
    if kind == "ial":
        return draw(texts) + "\n{: " + draw(st.text(alphabet=".#=\"' abc-_{}:", max_size=12)) + "}"
    if kind == "table":
        cells = draw(st.lists(st.lists(words, min_size=1, max_size=3), min_size=1, max_size=3))
        rows = ["| " + " | ".join(c.replace("\n", " ") for c in row) + " |" for row in cells]
        rows.insert(1, "|" + "---|" * len(cells[0]))
        return "\n".join(rows)
    return draw(st.sampled_from(KRAMDOWN_FIXED))


fragments = st.one_of(liquid_fragment(), kramdown_fragment(), kramdown_fragment())
separators = st.sampled_from(["\n\n", "\n\n", "\n", " ", ""])


# A long document of one thing repeated (nesting, unclosed tags) finds quadratic time; CI keeps it short.
MAX_REPEAT = 300 if PROFILE == "ci" else 3000


@st.composite
def bodies(draw: st.DrawFn, max_repeat: int = MAX_REPEAT) -> str:
    parts = draw(st.lists(st.tuples(fragments, separators), max_size=8))
    if parts and draw(st.integers(0, 9)) == 0:
        fragment, separator = parts.pop()
        parts.append(((fragment + separator) * draw(st.integers(2, max_repeat)), ""))
    return "".join(fragment + separator for fragment, separator in parts)


# --- a random _config.yml -------------------------------------------------------------------

KRAMDOWN_OPTIONS: dict[str, st.SearchStrategy[Any]] = {
    "auto_ids": st.booleans(),
    "auto_id_prefix": st.sampled_from(["", "id-", "中"]),
    "auto_id_stripping": st.booleans(),
    "hard_wrap": st.booleans(),
    "footnote_nr": st.sampled_from([0, 1, -1, 10**20, "3", "x"]),
    "footnote_backlink": st.sampled_from(["", "&#8617;", "<b>", "↩"]),
    "smart_quotes": st.sampled_from(["lsquo,rsquo,ldquo,rdquo", "laquo,raquo", "a,b,c,d", "apos,apos,quot,quot", "x"]),
    "toc_levels": st.sampled_from(["1..6", "2..3", "3..2", "0..9", "1,2,3", [1, 2], [], "x..y", "-1..99999999"]),
    "header_offset": st.integers(-10, 10),
    "input": st.sampled_from(["GFM", "kramdown", "nope"]),
    "math_engine": st.sampled_from(["mathjax", "katex", None, "nope"]),
    "syntax_highlighter": st.sampled_from(["rouge", None, "nope"]),
    "syntax_highlighter_opts": st.fixed_dictionaries({}, optional={"block": values, "span": values, "default_lang": texts}),
    "parse_block_html": st.booleans(),
    "parse_span_html": st.booleans(),
    "typographic_symbols": st.dictionaries(st.sampled_from(["hellip", "mdash", "ndash", "laquo"]), texts, max_size=2),
    "entity_output": st.sampled_from(["as_char", "numeric", "symbolic", "nope"]),
}
CONFIG: dict[str, st.SearchStrategy[Any]] = {
    "title": texts,
    "url": st.sampled_from(["https://example.org", "", "javascript:alert(1)", "http://[::1", "//x"]) | texts,
    "baseurl": st.sampled_from(["", "/blog", "blog/", "/../..", "/中文"]) | texts,
    "permalink": st.sampled_from(["date", "pretty", "none", "ordinal", "/:year/:title/", "/:nope/", "/../x/"]) | texts,
    "lang": st.sampled_from(["zh", "fr", "en", "zh-Hans", "xx"]) | values,
    "locale": st.sampled_from(["zh-CN", "fr-FR", "de"]) | values,
    "timezone": st.sampled_from(["Asia/Shanghai", "Europe/Paris", "UTC", "Nowhere/City", "../../etc/localtime", ""]) | values,
    "excerpt_separator": st.sampled_from(["<!--more-->", "\n\n", "", "---"]) | values,
    "words_per_minute": st.sampled_from([0, -1, 200, "200", 10**30]) | values,
    "reading_speed": st.fixed_dictionaries({}, optional={"latin": values, "cjk": values}) | values,
    "future": st.booleans() | values,
    "kramdown": st.dictionaries(st.sampled_from(list(KRAMDOWN_OPTIONS)), st.none(), max_size=5).flatmap(
        lambda keys: st.fixed_dictionaries({key: KRAMDOWN_OPTIONS[key] | values for key in keys})
    )
    | values,
    "defaults": st.lists(
        st.fixed_dictionaries(
            {}, optional={"scope": st.fixed_dictionaries({}, optional={"path": texts, "type": texts}) | values, "values": values}
        ),
        max_size=2,
    )
    | values,
    "collections": st.dictionaries(words, values, max_size=2) | st.lists(words, max_size=2) | values,
    "data": values,
}
configs = st.one_of(
    st.dictionaries(st.sampled_from(list(CONFIG)), st.none(), max_size=6)
    .flatmap(lambda keys: st.fixed_dictionaries({key: CONFIG[key] for key in keys}))
    .map(_dump),
    raw_front_matter,
)


@dataclass(frozen=True)
class Case:
    """One fuzzed input: the document's text, where it sits, in which site, plain or not."""

    site: str
    place: str
    plain: bool
    text: str
    crlf: bool = False
    config: str | None = None  # the _config.yml of the "random" site

    def source(self) -> bytes:
        text = self.text.replace("\n", "\r\n") if self.crlf else self.text
        return text.encode("utf-8", "surrogatepass")


@st.composite
def cases(draw: st.DrawFn, max_repeat: int = MAX_REPEAT) -> Case:
    """A whole input, drawn as one value so that a failure prints the document's text."""
    site = draw(st.sampled_from(list(SITES)))
    return Case(
        site=site,
        place=draw(st.sampled_from(PLACES)),
        plain=draw(st.booleans()),
        text=draw(documents_head()) + draw(bodies(max_repeat)),
        crlf=draw(st.booleans()),
        config=draw(configs) if site == "random" else None,
    )


# --- the property ----------------------------------------------------------------------------


class TooSlow(BaseException):
    """Raised in the render when an example overruns; a BaseException so no ``except Exception`` hides it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after *seconds* (SIGALRM, main thread only; elsewhere just time it)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def overrun(signum: int, frame: object) -> None:
        raise TooSlow(f"rendering took over {seconds} s")

    previous = signal.signal(signal.SIGALRM, overrun)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_case(sites: dict[str, JekyllSite], case: Case, limit: float = SLOW_SECONDS) -> tuple[RenderedDocument | DocumentError, float]:
    """Render *case* in its site; the outcome (a document or a DocumentError) and the seconds taken.

    Any other exception propagates: that is the crash the fuzzing looks for.
    """
    site = sites[case.site]
    path = site.root / case.place
    path.write_bytes(case.source())
    if case.config is not None:
        (site.root / "_config.yml").write_text(case.config, encoding="utf-8")
    start = time.perf_counter()
    try:
        with time_limit(limit):
            try:
                if case.config is not None:
                    site = JekyllSite.load(site.root)
                outcome: RenderedDocument | DocumentError = render_document(path, site, plain=case.plain)
            except DocumentError as err:
                outcome = err
    finally:
        path.unlink()
    return outcome, time.perf_counter() - start


def check_case(sites: dict[str, JekyllSite], case: Case) -> None:
    """The property: a RenderedDocument or a DocumentError naming the file, within SLOW_SECONDS."""
    outcome, seconds = render_case(sites, case)
    assert seconds < SLOW_SECONDS, f"rendering took {seconds:.1f} s"
    event("DocumentError" if isinstance(outcome, DocumentError) else "rendered")
    if isinstance(outcome, DocumentError):
        event(f"DocumentError: {outcome.reason[:40]}")
        assert outcome.path.name in (Path(case.place).name, "_config.yml"), f"the error names another file: {outcome}"
    else:
        assert isinstance(outcome, RenderedDocument) and isinstance(outcome.html, str)


@pytest.fixture(scope="module")
def fuzz_sites() -> Iterator[dict[str, JekyllSite]]:
    with tempfile.TemporaryDirectory(prefix="palimpsest-fuzz-") as folder:
        yield make_sites(Path(folder))


def with_examples(test: Callable[..., None]) -> Callable[..., None]:
    """The crashes fuzzing found, kept as explicit examples (run first, every time)."""
    found: list[Case] = [
        Case("plain", PLACES[0], False, "---\ntitle: ok\n---\n\nplain text\n"),
        # ruamel made the key [[]] a tuple holding a list, and failed hashing it: TypeError
        Case("plain", PLACES[0], False, "---\n[[]]: \n---\n"),
        # a loop over a range from the front matter ran for ever (now PALIMPSEST_LIQUID_LOOP_LIMIT)
        Case("plain", PLACES[0], False, "---\nwords_per_minute: 100000000\n---\n{% for i in (1..page.words_per_minute) %}{% endfor %}"),
    ]
    for case in reversed(found):
        test = example(case=case)(test)
    return test


@with_examples
@settings(settings.get_profile(PROFILE))
@given(case=cases())
def test_any_document_renders_or_raises_a_document_error(fuzz_sites: dict[str, JekyllSite], case: Case) -> None:
    check_case(fuzz_sites, case)
