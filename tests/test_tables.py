"""Tables kept as data in the front matter: rendering, comparison, periods,
localisation, escaping, metadata, the feature switch and bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pelican.plugins.palimpsest.cli import main
from pelican.plugins.palimpsest.document import render_document
from pelican.plugins.palimpsest.errors import DocumentError
from pelican.plugins.palimpsest.features import DOCUMENT_FEATURES
from pelican.plugins.palimpsest.jekyll.site import JekyllSite
from pelican.plugins.palimpsest.tables.periods import parse_period, shift
from pelican.plugins.palimpsest.tables.words import moved

from .conftest import ROOT
from .test_bad_input import build_and_check

FIXTURES = Path(__file__).parent / "fixtures" / "tables"
SITE = JekyllSite.load(FIXTURES)
DOCUMENTS = sorted(FIXTURES.glob("*.md"))


def render(name: str, text: str | None = None) -> str:
    return render_document(FIXTURES / name, SITE, text=text).html


def rows(html: str) -> list[str]:
    return re.findall(r"<tr[^>]*>.*?</tr>", html)


def row_of(html: str, key: str) -> str:
    return next(row for row in rows(html) if f'<th scope="row">{key} ' in row or f'<th scope="row">{key}</th>' in row)


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.stem for p in DOCUMENTS])
def test_rendered_tables_snapshot(path: Path, file_regression) -> None:  # type: ignore[no-untyped-def]
    file_regression.check(render_document(path, SITE).html, basename=path.stem, extension=".html")


def test_single_version_table() -> None:
    html = render("single.md")
    assert "<caption>Stamp duty by card</caption>" in html  # no date: the table has one undated version
    assert '<th scope="col" style="text-align: right">Fee (€)</th>' in html
    assert '<tr><th scope="row">Student</th><td style="text-align: right">75</td>' in html
    assert '<a href="https://example.org/timbres">the stamp site</a>' in html
    assert '<th scope="row"><em>Talent</em> passport</th>' in html
    assert '<tr><th scope="row">Visitor</th><td style="text-align: right">225</td><td></td></tr>' in html
    assert "table-provenance" not in html


def test_versioned_table_shows_latest_by_default_and_picks_a_version() -> None:
    latest, first, _ = render("versioned.md").split('<div class="palimpsest-table')[1:]
    assert 'au <time datetime="2023-06-01">1 juin 2023</time>' in latest
    assert "T4 2023" in latest and "2024-Q1" not in latest
    assert 'Source : Affichage en <em>préfecture</em></span> <span class="table-note">Relevé au guichet.</span>' in latest
    assert 'au <time datetime="2023-01-10">10 janvier 2023</time>' in first
    assert "2024-Q1" in first and "T4 2023" not in first
    assert '<a href="https://example.org/delais-janvier-2023.pdf">delais-janvier-2023.pdf</a>' in first


def test_comparison_of_every_version() -> None:
    every = render("comparison.md").split('<div class="palimpsest-table')[1]
    assert '<p class="table-summary">1 postponed, 1 advanced, 1 changed, 1 added, 1 removed</p>' in every
    assert (
        'changes from <time datetime="2021-01-15">January 15, 2021</time> to <time datetime="2022-01-10">January 10, 2022</time>' in every
    )
    assert '<th scope="colgroup" colspan="3" style="text-align: center">Planned</th>' in every
    states = {
        re.search(r'<th scope="row">(\w+)', row)[1]: re.search(r'<tr(?: class="table-row--(\w+)")?>', row)[1] for row in rows(every)[2:]
    }  # type: ignore[index]
    assert states == {
        "Library": None,
        "Pool": "postponed",
        "Museum": "advanced",
        "Station": "changed",
        "Kiosk": "removed",
        "Market": "added",
    }
    pool = row_of(every, "Pool")
    assert '<del>2021-Q3</del> <ins>2022-Q1</ins> <span class="table-shift table-shift--later">later by 2 quarters</span>' in pool
    assert '<del>2022-Q1</del> <ins>2022-Q2</ins> <span class="table-shift table-shift--later">later by 1 quarter</span>' in pool
    museum = row_of(every, "Museum")
    assert '<del>fin 2021</del> <ins>T3 2021</ins> <span class="table-shift table-shift--earlier">earlier by 1 quarter</span>' in museum
    assert "<del>planned</del> <ins>open</ins></td>" in museum  # not a date: no shift
    kiosk = row_of(every, "Kiosk")
    assert kiosk.endswith(
        '<td style="text-align: center"><del>2021-06</del></td><td>planned</td><td>planned</td><td><del>planned</del></td></tr>'
    )
    market = row_of(every, "Market")
    assert (
        '<td style="text-align: center"></td><td style="text-align: center"></td><td style="text-align: center"><ins>2022-05</ins></td>'
        in market
    )
    assert '<span class="table-state">added</span>' in market


def test_comparison_from_to_picks_two_versions() -> None:
    last_two = render("comparison.md").split('<div class="palimpsest-table')[2]
    assert '<p class="table-summary">1 postponed, 1 changed, 1 added, 1 removed</p>' in last_two
    assert 'colspan="2"' in last_two and "2021-01-15" not in last_two
    assert '<time datetime="2021-06-30">June 30, 2021</time> <span class="table-note">The pool <em>slipped</em> again.</span>' in last_two


@pytest.mark.parametrize(
    ("lang", "caption", "labels", "summary", "moved_by"),
    [
        ("zh", "上线时间", ("手续", "日期"), "1 项推迟", "推迟 5 个月"),
        ("fr", "Mise en ligne", ("Démarche", "Date"), "1 reportée", "5 mois plus tard"),
        ("en", "Going online", ("Procedure", "Date"), "1 postponed", "later by 5 months"),
        ("fr-FR", "Mise en ligne", ("Démarche", "Date"), "1 reportée", "5 mois plus tard"),
    ],
)
def test_multilingual_labels(lang: str, caption: str, labels: tuple[str, str], summary: str, moved_by: str) -> None:
    text = (FIXTURES / "multilingual.md").read_text(encoding="utf-8").replace("lang: zh", f"lang: {lang}")
    html = render("multilingual.md", text)
    assert f"<caption>{caption} " in html
    assert f'<th scope="col">{labels[0]}</th><th scope="col">{labels[1]}</th>' in html
    assert f'<p class="table-summary">{summary}</p>' in html
    assert moved_by in html


@pytest.mark.parametrize(("lang", "summary"), [("zh", "没有变化"), ("fr", "Aucun changement"), ("en", "No changes")])
def test_comparison_without_changes(lang: str, summary: str) -> None:
    text = (FIXTURES / "multilingual.md").read_text(encoding="utf-8").replace("lang: zh", f"lang: {lang}")
    html = render("multilingual.md", text.replace("2022 年第二季度", "2021 年 11 月"))
    assert f'<p class="table-summary">{summary}</p>' in html
    assert "table-row--" not in html and "<del>" not in html


def test_raw_html_in_cells_is_escaped_and_inline_markdown_rendered() -> None:
    html = render("escaping.md")
    for raw in ("<script", "<img", "<b>", "<b "):
        assert raw not in html, raw
    assert "<td>&lt;script&gt;alert(‘x’)&lt;/script&gt;</td>" in html
    assert "<caption>What a cell may hold &lt;img src=x onerror=alert(1)&gt;</caption>" in html
    assert '<th scope="col">&lt;b&gt;Cell&lt;/b&gt;</th>' in html
    assert '<a href="https://example.org/form?a=1&amp;b=2">the form</a>' in html
    assert '<em>really</em> <strong>not</strong> <code class="language-plaintext highlighter-rouge">&lt;code&gt;</code>' in html
    assert "<td>R&amp;D &amp; &lt;</td>" in html


@pytest.mark.parametrize(
    ("text", "first", "last", "unit"),
    [
        ("2021-09", (2021, 9), (2021, 9), "month"),
        ("2022-Q3", (2022, 7), (2022, 9), "quarter"),
        ("2021 年 9 月", (2021, 9), (2021, 9), "month"),
        ("2022 年第三季度", (2022, 7), (2022, 9), "quarter"),
        ("T3 2022", (2022, 7), (2022, 9), "quarter"),
        ("fin 2022", (2022, 10), (2022, 12), "quarter"),
        ("3e trimestre 2022", (2022, 7), (2022, 9), "quarter"),
        ("September 2021", (2021, 9), (2021, 9), "month"),
        ("1er septembre 2021", (2021, 9), (2021, 9), "day"),
        ("2019-02-19", (2019, 2), (2019, 2), "day"),
        ("2021-12 / 2022-Q1", (2021, 12), (2022, 3), "month"),
        ("2022-Q3/Q4", (2022, 7), (2022, 12), "quarter"),
        ("2022 年第三 / 第四季度", (2022, 7), (2022, 12), "quarter"),
        ("２０２２年第四季度", (2022, 10), (2022, 12), "quarter"),
    ],
)
def test_periods(text: str, first: tuple[int, int], last: tuple[int, int], unit: str) -> None:
    period = parse_period(text)
    assert period is not None
    assert (period.first // 12, period.first % 12 + 1) == first
    assert (period.last // 12, period.last % 12 + 1) == last
    assert period.unit == unit


@pytest.mark.parametrize("text", ["已上线", "1500", "2021-13", "planned", "2022-Q5", "Q3"])
def test_not_periods(text: str) -> None:
    assert parse_period(text) is None


@pytest.mark.parametrize(
    ("old", "new", "zh", "fr", "en"),
    [
        ("2021-11", "2022-Q2", "推迟 5 个月", "5 mois plus tard", "later by 5 months"),
        ("2022-Q3", "2022-Q1", "提前 2 个季度", "2 trimestres plus tôt", "earlier by 2 quarters"),
        ("fin 2022", "T1 2023", "推迟 1 个季度", "1 trimestre plus tard", "later by 1 quarter"),
        ("2021-04-06", "2021-05-21", "推迟 45 天", "45 jours plus tard", "later by 45 days"),
        ("2022 年", "2023 年", "推迟 1 年", "1 an plus tard", "later by 1 year"),
        ("2021-12 / 2022-Q1", "2022 年第四季度", "推迟 10 个月", "10 mois plus tard", "later by 10 months"),
        ("2022-Q3/Q4", "2022-Q3", "提前 1 个季度", "1 trimestre plus tôt", "earlier by 1 quarter"),
    ],
)
def test_shift_wording(old: str, new: str, zh: str, fr: str, en: str) -> None:
    change = shift(parse_period(old), parse_period(new))  # type: ignore[arg-type]
    assert change is not None
    assert [moved(change, lang) for lang in ("zh", "fr", "en")] == [zh, fr, en]


def test_same_period_written_differently_has_no_shift() -> None:
    assert shift(parse_period("2021-09"), parse_period("2021 年 9 月")) is None  # type: ignore[arg-type]


def test_json_exposes_parsed_tables(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(FIXTURES / "versioned.md"), "--format", "json"]) == 0
    table = json.loads(capsys.readouterr().out)["metadata"]["tables"]["delais"]
    assert table["key"] == "demarche"
    assert table["columns"][1] == {"id": "delai", "label": {"zh": "时间", "fr": "Délai", "en": "Time"}, "align": "center"}
    assert [v["as_of"] for v in table["versions"]] == ["2023-01-10", "2023-06-01"]
    assert table["versions"][1]["rows"][1] == {"demarche": "Naturalisation", "delai": "T4 2023"}
    assert table["versions"][1]["note"] == "Relevé au guichet."


def test_single_version_metadata_is_one_undated_version() -> None:
    table = render_document(FIXTURES / "single.md", SITE).metadata["tables"]["fees"]
    assert table["versions"] == [
        {
            "as_of": None,
            "source": None,
            "note": None,
            "rows": [
                {"card": "Student", "fee": "75", "notes": "bought on [the stamp site](https://example.org/timbres)"},
                {"card": "Visitor", "fee": "225", "notes": ""},
                {"card": "*Talent* passport", "fee": "225", "notes": "**same** as a work permit"},
            ],
        }
    ]


@pytest.mark.parametrize("options", [{"features": DOCUMENT_FEATURES - {"tables"}}, {"plain": True}])
def test_switched_off_the_includes_are_not_served(options: dict[str, object]) -> None:
    with pytest.raises(DocumentError, match=r"single\.md:20: Liquid error: include file not found: 'table'"):
        render_document(FIXTURES / "single.md", SITE, **options)  # type: ignore[arg-type]


def test_site_include_wins(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (tmp_path / "_includes").mkdir()
    (tmp_path / "_includes" / "table").write_text("<p>site table {{ include.id }}</p>", encoding="utf-8")
    post = tmp_path / "2024-01-01-post.md"
    post.write_text((FIXTURES / "single.md").read_text(encoding="utf-8"), encoding="utf-8")
    html = render_document(post, JekyllSite.for_file(post)).html
    assert "<p>site table fees</p>" in html and "<table>" not in html


def test_demo_article_compares_the_two_schedules() -> None:
    post = ROOT / "content" / "_posts" / "2024-05-20-anef-rollout-schedule.md"
    html = render_document(post, JekyllSite.load(ROOT / "content")).html
    assert html.count('<div class="palimpsest-table') == 3
    assert '<p class="table-summary">4 项推迟、1 项新增、2 项删除</p>' in html
    assert "<del>2021 年 11 月</del> <ins>2022 年第二季度</ins>" in html


BAD_BASE = """---
title: Bad
tables:
  t:
    key: k
    columns:
      - {id: k, label: K}
      - {id: v, label: V}
    versions:
      - as_of: 2021-01-01
        rows:
          - {k: a, v: 1}
      - as_of: 2021-02-01
        rows:
          - {k: a, v: 2}
          - {k: b, v: 3}
---

Text.

{% include table id="t" %}
"""
BAD_TABLES = {
    "unknown table id": (('id="t"', 'id="nope"'), 21, "unknown table id 'nope'"),
    "row without the key": (("{k: b, v: 3}", "{v: 3}"), 16, "row 2 of table 't' has no 'k', the table's key"),
    "duplicate keys in one version": (("{k: b, v: 3}", "{k: a, v: 3}"), 16, "row 2 of table 't' repeats the key 'a' of row 1"),
    "undeclared column": (("{k: b, v: 3}", "{k: b, v: 3, w: 4}"), 16, "has a column 'w' that is not declared"),
    "versions out of date order": (
        ("as_of: 2021-02-01", "as_of: 2020-12-01"),
        13,
        "must be oldest first: 2020-12-01 is listed after 2021-01-01",
    ),
    "as_of not a date": (("as_of: 2021-02-01", "as_of: soon"), 13, "as_of 'soon' of table 't' is not a date"),
    "unknown version": (('id="t"', 'id="t" version="2021-03-01"'), 21, "table 't' has no version '2021-03-01'"),
    "key not a column": (("key: k", "key: x"), 5, "key 'x' of table 't' is not one of its columns"),
    "unknown table key": (("key: k", "key: k\n    rowz: []"), 6, "unknown key 'rowz' in table 't'"),
}


@pytest.mark.parametrize("case", list(BAD_TABLES))
def test_bad_table_is_reported_at_its_line_and_the_rest_builds(tmp_path: Path, caplog: pytest.LogCaptureFixture, case: str) -> None:
    (old, new), line, words = BAD_TABLES[case]
    assert old in BAD_BASE
    build_and_check(tmp_path, caplog, BAD_BASE.replace(old, new, 1).encode("utf-8"), line, words)


def test_the_bad_base_is_good(tmp_path: Path) -> None:
    post = tmp_path / "2024-01-02-bad.md"
    post.write_text(BAD_BASE, encoding="utf-8")
    assert '<th scope="row">b</th>' in render_document(post, JekyllSite.for_file(post)).html


@pytest.mark.parametrize(
    ("include", "words"),
    [
        (
            '{% include comparison id="t" from="2021-02-01" to="2021-01-01" %}',
            "comparison of table 't': from= must name an older version than to=",
        ),
        ("{% include table %}", 'include table needs id="…"'),
        ('{% include table id="t" colour="red" %}', "include table has no parameter 'colour'"),
    ],
)
def test_bad_include_parameters(tmp_path: Path, include: str, words: str) -> None:
    post = tmp_path / "2024-01-02-bad.md"
    post.write_text(BAD_BASE.replace('{% include table id="t" %}', include), encoding="utf-8")
    with pytest.raises(DocumentError, match=re.escape(f"{post}:21: Liquid error: {words}")):
        render_document(post, JekyllSite.for_file(post))


def test_comparison_of_a_single_version_is_an_error(tmp_path: Path) -> None:
    post = tmp_path / "2024-01-02-bad.md"
    post.write_text((FIXTURES / "single.md").read_text(encoding="utf-8").replace("include table", "include comparison"), encoding="utf-8")
    with pytest.raises(DocumentError, match=r":20: Liquid error: table 'fees' has a single version"):
        render_document(post, JekyllSite.for_file(post))
