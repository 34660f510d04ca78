"""Tests for the rendered-HTML diff used by the revision history view."""

from __future__ import annotations

import itertools
import json
import random
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pelican.plugins.palimpsest.htmldiff import DiffResult, Fragment, diff_html
from pelican.plugins.palimpsest.htmldiff import parse as parse_module

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "anef-revisions"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}


class _Reader(HTMLParser):
    """Checks balance and collects text, split by what surrounds it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.all: list[str] = []
        self.without_del: list[str] = []
        self.without_ins: list[str] = []
        self.inserted: list[str] = []
        self.deleted: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.all.append(data)
        if "del" in self.stack:
            self.deleted.append(data)
        else:
            self.without_del.append(data)
        if "ins" in self.stack:
            self.inserted.append(data)
        else:
            self.without_ins.append(data)


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def squash(parts: list[str] | str) -> str:
    """Text without any whitespace: the diff re-flows whitespace between blocks."""
    return "".join("".join(parts).split())


def check_sound(old: str, new: str, result: DiffResult) -> _Reader:
    """The output is balanced and loses no text on either side."""
    out = read(result.html)
    assert not out.errors, out.errors[:5]
    assert not out.stack, f"unclosed: {out.stack}"
    assert squash(out.without_del) == squash(read(new).all)
    assert squash(out.without_ins) == squash(read(old).all)
    return out


def test_identical_is_unchanged() -> None:
    html = '<h2 id="a">标题</h2>\n<p>Un <a href="/x">lien</a> 和中文。</p>'
    result = diff_html(html, html)
    assert result.changed is False
    assert result.html == html
    assert (result.inserted_chars, result.deleted_chars) == (0, 0)


def test_invisible_differences_are_unchanged() -> None:
    old = '<ul>\n  <li class="b a" id="x">item</li>\n</ul>\n\n<p>a <!-- note --> b</p>'
    new = '<ul><li id="x" class="a b">item</li></ul><p>a  b</p>'
    assert diff_html(old, new).changed is False


def test_one_chinese_character_in_a_long_paragraph() -> None:
    before = "在线申请第一张居留卡和续居留卡的法律框架是法规条款，" * 8
    after = "在线申请第一张居留卡和续居留卡的法律框架是法规条款，" * 8
    old = f"<p>{before}原本计划在 2022 年末将完成全部推广。{after}</p>"
    new = f"<p>{before}原本计划在 2023 年末将完成全部推广。{after}</p>"
    result = diff_html(old, new)
    out = check_sound(old, new, result)
    assert result.changed
    assert "".join(out.deleted) == "2022" and "".join(out.inserted) == "2023"
    old = f"<p>{before}这个平台将逐渐推广到所有居留类型。{after}</p>"
    new = f"<p>{before}这个平台将逐步推广到所有居留类型。{after}</p>"
    result = diff_html(old, new)
    out = check_sound(old, new, result)
    assert out.deleted == ["渐"] and out.inserted == ["步"]
    assert (result.inserted_chars, result.deleted_chars) == (1, 1)
    assert "<del>渐</del><ins>步</ins>" in result.html


def test_one_french_word_is_diffed_by_word() -> None:
    old = "<p>Le titre de séjour est délivré par la préfecture du département.</p>"
    new = "<p>Le titre de séjour est remis par la préfecture du département.</p>"
    result = diff_html(old, new)
    out = check_sound(old, new, result)
    assert out.deleted == ["délivré"] and out.inserted == ["remis"]
    assert result.html == "<p>Le titre de séjour est <del>délivré</del><ins>remis</ins> par la préfecture du département.</p>\n"


def test_mixed_chinese_and_french() -> None:
    old = "<p>申请人才签证 passeport-talent salarié 居留卡。</p>"
    new = "<p>申请人才签证 passeport-talent chercheur 居留卡。</p>"
    out = check_sound(old, new, diff_html(old, new))
    assert out.deleted == ["salarié"] and out.inserted == ["chercheur"]


TABLE = """<table>
  <thead>
    <tr><th>日期</th><th>居留类型</th></tr>
  </thead>
  <tbody>
    <tr><td>2021 年 9 月</td><td>游客 visiteur</td></tr>
    <tr><td>2021 年 5 月</td><td>人才护照 passeport-talent</td></tr>
    {extra}
  </tbody>
</table>"""


def test_table_row_changed_and_row_added() -> None:
    old = TABLE.format(extra="")
    new = TABLE.replace("游客 visiteur", "游客 visiteur、欧盟公民").format(extra="<tr><td>2019 年 2 月</td><td>学生</td></tr>")
    result = diff_html(old, new)
    out = check_sound(old, new, result)
    names = [tag for tag, _ in out.tags]
    assert names.count("table") == 1 and names.count("tbody") == 1 and names.count("thead") == 1
    assert names.count("tr") == 4 and names.count("td") == 6
    rows = [attrs.get("class") for tag, attrs in out.tags if tag == "tr"]
    assert rows == [None, None, None, "diff-added"]
    assert "<td>游客 visiteur<ins>、欧盟公民</ins></td>" in result.html
    assert "<td><ins>学生</ins></td>" in result.html
    assert out.deleted == []


def test_list_item_removed() -> None:
    old = "<ul>\n  <li>学生 étudiant</li>\n  <li>游客 visiteur</li>\n  <li>人才护照</li>\n</ul>"
    new = "<ul>\n  <li>学生 étudiant</li>\n  <li>人才护照</li>\n</ul>"
    result = diff_html(old, new)
    out = check_sound(old, new, result)
    assert [tag for tag, _ in out.tags].count("ul") == 1
    assert '<li class="diff-removed"><del>游客 visiteur</del></li>' in result.html
    assert result.html.index("学生") < result.html.index("游客") < result.html.index("人才护照")
    assert (result.inserted_chars, result.deleted_chars) == (0, len("游客 visiteur"))


def test_paragraph_inserted_between_two_others() -> None:
    old = "<p>第一段。</p>\n\n<p>第三段。</p>"
    new = "<p>第一段。</p>\n\n<p>第二段，新的。</p>\n\n<p>第三段。</p>"
    result = diff_html(old, new)
    check_sound(old, new, result)
    assert result.html == '<p>第一段。</p>\n<p class="diff-added"><ins>第二段，新的。</ins></p>\n<p>第三段。</p>\n'
    assert (result.inserted_chars, result.deleted_chars) == (7, 0)


def test_image_attribute_change_is_visible() -> None:
    old = '<p><img src="/assets/images/anef.png" alt="ANEF" /></p>\n<p>文字</p>'
    new = '<p><img src="/assets/images/anef.png" alt="ANEF" width="800px" /></p>\n<p>文字</p>'
    result = diff_html(old, new)
    check_sound(old, new, result)
    assert result.changed
    assert (result.inserted_chars, result.deleted_chars) == (0, 0)
    assert (result.inserted_media, result.deleted_media) == (1, 1)
    assert '<del><img src="/assets/images/anef.png" alt="ANEF"></del>' in result.html
    assert '<ins><img src="/assets/images/anef.png" alt="ANEF" width="800px"></ins>' in result.html


def test_inline_markup_is_kept_and_balanced() -> None:
    old = '<p>根据<a href="/a">法国内政部的<strong>通告</strong></a>，这个平台将推广。</p>'
    new = '<p>根据<a href="/a">法国内政部的<strong>宣传</strong></a>和<a href="/b">一些警察局的信息</a>，这个平台将推广。</p>'
    result = diff_html(old, new)
    check_sound(old, new, result)
    assert '<a href="/a">法国内政部的<strong><del>通告</del><ins>宣传</ins></strong></a>' in result.html
    assert '<a href="/b"><ins>一些警察局的信息</ins></a>' in result.html


def test_changed_link_target_is_marked() -> None:
    old = '<p>See <a href="/old">the page</a>.</p>'
    new = '<p>See <a href="/new">the page</a>.</p>'
    result = diff_html(old, new)
    check_sound(old, new, result)
    assert '<a href="/old"><del>the page</del></a><a href="/new"><ins>the page</ins></a>' in result.html


def test_preformatted_text_is_diffed_by_line() -> None:
    old = '<pre><code class="language-sh">cd site\nbundle exec jekyll build\nls _site\n</code></pre>'
    new = '<pre><code class="language-sh">cd site\npelican content\nls _site\n</code></pre>'
    result = diff_html(old, new)
    check_sound(old, new, result)
    assert result.html.startswith(
        '<pre><code class="language-sh">cd site\n<del>bundle exec jekyll build\n</del><ins>pelican content\n</ins>ls _site\n'
    )


def test_removed_heading_loses_its_id_and_notice_keeps_its_class() -> None:
    old = '<h2 id="旧">旧标题</h2>\n<p class="notice--info">2022 年 2 月 14 日更新：表格更新了。</p>'
    new = '<p class="notice--info">2023 年 2 月 14 日更新：表格更新了。</p>'
    result = diff_html(old, new)
    out = check_sound(old, new, result)
    assert all("id" not in attrs for _, attrs in out.tags)
    assert '<h2 class="diff-removed"><del>旧标题</del></h2>' in result.html
    assert '<p class="notice--info"><del>2022</del><ins>2023</ins> 年 2 月' in result.html


def test_nested_containers_are_recursed() -> None:
    old = '<div class="notice--info">\n<p>一</p>\n<ul><li>a</li><li>b</li></ul>\n</div>'
    new = '<div class="notice--info">\n<p>一</p>\n<ul><li>a</li><li>b</li><li>c</li></ul>\n</div>'
    result = diff_html(old, new)
    out = check_sound(old, new, result)
    assert [tag for tag, _ in out.tags].count("div") == 1
    assert '<li class="diff-added"><ins>c</ins></li>' in result.html


def test_output_is_balanced_on_awkward_input() -> None:
    old = '<p>a <em>b <a href="#x">c</a> d</em> e<br>f &amp; g</p><figure><img src="a.png"><figcaption>图一</figcaption></figure>'
    new = (
        '<p>a <em>B <a href="#y">c</a></em> e<br/>f &lt; g</p><figure><img src="b.png"><figcaption>图二</figcaption></figure>'
        "<p>stray</p></div>"
    )
    check_sound(old, new, diff_html(old, new))


def test_two_hundred_kilobytes_diff_exactly() -> None:
    """A long article, with a paragraph added, a block removed and single characters replaced.

    Long inputs take the chunked path of the sequence diff; it must still find
    each change exactly, not give up and show whole regions as replaced.
    (Its speed is measured by ``benchmarks/htmldiff_speed.py``.)
    """
    rng = random.Random(7)
    vocabulary = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后"
    words = ["titre", "séjour", "préfecture", "demande", "ligne", "plateforme", "étranger", "récépissé"]

    def paragraph() -> str:
        parts = []
        for _ in range(12):
            parts.append("".join(rng.choice(vocabulary) for _ in range(rng.randint(5, 20))))
            parts.append(f' <a href="/x">{rng.choice(words)}</a> ')
        return "<p>" + "".join(parts) + "。</p>"

    blocks: list[str] = []
    while sum(map(len, blocks)) < 200_000:
        blocks.append(paragraph())
        if len(blocks) % 10 == 0:
            rows = "".join(f"<tr><td>{k}</td><td>{rng.choice(words)}</td></tr>" for k in range(20))
            blocks.append(f"<table><tbody>{rows}</tbody></table>")
    old_blocks = blocks[:]
    replaced = 0
    for _ in range(40):
        k = rng.randrange(len(blocks))
        before = blocks[k]
        blocks[k] = blocks[k].replace(rng.choice(vocabulary), "变", 1)
        replaced += blocks[k] != before
    added = paragraph()
    blocks.insert(len(blocks) // 2, added)
    removed = blocks.pop(len(blocks) // 3)
    old, new = "\n".join(old_blocks), "\n".join(blocks)
    assert len(old.encode()) > 200_000
    result = diff_html(old, new)
    out = check_sound(old, new, result)
    added_text, removed_text = (" ".join("".join(read(html).all).split()) for html in (added, removed))
    assert result.html.count('<p class="diff-added">') == 1 and result.html.count('class="diff-removed"') == 1
    assert result.html.count("<ins>变</ins>") == replaced
    assert (result.inserted_chars, result.deleted_chars) == (len(added_text) + replaced, len(removed_text) + replaced)
    assert sorted(squash(out.inserted)) == sorted(squash(added_text) + "变" * replaced)


def test_one_huge_paragraph_is_diffed_by_character() -> None:
    """60,000 characters in one paragraph, 30 replaced: only those are marked."""
    rng = random.Random(3)
    text = [rng.choice("的一是在不了有和人这中大为上个国我以要他时来") for _ in range(60_000)]
    changed = text[:]
    for _ in range(30):
        changed[rng.randrange(len(changed))] = "X"
    old, new = f"<p>{''.join(text)}</p>", f"<p>{''.join(changed)}</p>"
    result = diff_html(old, new)
    out = check_sound(old, new, result)
    replaced = sum(a != b for a, b in zip(text, changed, strict=True))
    assert result.inserted_chars == result.deleted_chars == replaced
    assert set("".join(out.inserted)) == {"X"}


def _corpus_files() -> list[Path]:
    revisions = json.loads((CORPUS / "revisions.json").read_text(encoding="utf-8"))["revisions"]
    return [CORPUS / re.sub(r"\.md$", ".kramdown.html", r["file"]) for r in revisions]


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not available at {CORPUS}")
def test_corpus_revisions(capsys: pytest.CaptureFixture[str]) -> None:
    """Diff the 18 consecutive revisions of the ANEF article, both ways, and report."""
    from pelican.plugins.palimpsest.testing.canonical import canonical_html

    files = _corpus_files()
    assert len(files) == 18
    lines = []
    results: dict[tuple[str, str], DiffResult] = {}
    for older, newer in itertools.pairwise(files):
        old, new = older.read_text(encoding="utf-8"), newer.read_text(encoding="utf-8")
        result = diff_html(old, new)
        pair = (older.name[11:18], newer.name[11:18])
        results[pair] = result
        check_sound(old, new, result)
        # Same notion of "nothing visible changed" as the rest of the plugin.
        assert result.changed == (canonical_html(old) != canonical_html(new)), pair
        # What one way adds the other way removes: the amount of change does not depend on the direction.
        back = diff_html(new, old)
        assert (back.inserted_media, back.deleted_media) == (result.deleted_media, result.inserted_media), pair
        assert abs(back.inserted_chars - result.deleted_chars) <= result.deleted_chars // 100, pair
        assert abs(back.deleted_chars - result.inserted_chars) <= result.inserted_chars // 100, pair
        lines.append(
            f"{pair[0]} -> {pair[1]}  changed={result.changed!s:<5}  +{result.inserted_chars:<5} -{result.deleted_chars:<5}"
            f"  media +{result.inserted_media}/-{result.deleted_media}"
        )
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert results["3089353", "053ba89"].changed is False
    resized = results["9a453b5", "0de8932"]
    assert resized.changed and (resized.inserted_media, resized.deleted_media) == (2, 2)
    assert (resized.inserted_chars, resized.deleted_chars) == (0, 0)


def _fragments_in_history() -> list[str]:
    """Versions of one article, each a small change of the one before (and the corpus's, when there)."""
    versions = [
        '<h2 id="a">Titre</h2>\n<p>申请居留的第一步是预约。</p>\n<table><tbody><tr><td>预约</td><td>一周</td></tr></tbody></table>',
        '<h2 id="a">Titre</h2>\n<p>申请居留的第一步是在网上预约。</p>\n<table><tbody><tr><td>预约</td><td>两周</td></tr></tbody></table>',
        '<p class="notice--info">更新：现在可以在网上申请。</p>\n<h2 id="a">Titre</h2>\n<p>申请居留的第一步是在网上预约。</p>'
        "\n<table><tbody><tr><td>预约</td><td>两周</td></tr><tr><td>取卡</td><td>一天</td></tr></tbody></table>",
        '<p class="notice--info">更新：现在可以在网上申请。</p>\n<h2 id="a">Titre</h2>\n<pre><code>a\nb &lt; c\n</code></pre>'
        '\n<p>Une <a href="/x">demande</a> <em>de titre</em> <img src="a.png" alt="x"></p>',
    ]
    if CORPUS.is_dir():
        versions += [path.read_text(encoding="utf-8") for path in _corpus_files()]
    return versions


def test_shared_fragments_diff_as_fresh_strings_and_parse_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A revision's tree serves its diffs against the previous, the next and the current version:
    the same results as diffing the strings, each version parsed once."""
    versions = _fragments_in_history()
    pairs = [*itertools.pairwise(range(len(versions))), *((k, len(versions) - 1) for k in range(len(versions) - 1))]
    expected = [diff_html(versions[i], versions[j]) for i, j in pairs]

    parsed: list[str] = []
    real_parse = parse_module.parse

    def counting_parse(html: str) -> parse_module.Element:
        parsed.append(html)
        return real_parse(html)

    monkeypatch.setattr(parse_module, "parse", counting_parse)
    fragments = [Fragment(html) for html in versions]
    assert [diff_html(fragments[i], fragments[j]) for i, j in pairs] == expected
    # each version parsed once at most, however many diffs it is in (2 * len(pairs) parses before)
    assert Counter(parsed) <= Counter(versions) and len(parsed) >= len(set(versions)) - 1
