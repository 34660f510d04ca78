"""Site search: the Pagefind index the demo build writes into output/pagefind/.

One index per page language (zh, fr, en: French and English stemmed), merged
by the search page; article and page bodies and titles only
(``data-pagefind-body``); Han characters indexed one by one and queried the same
way, so that any run of them that stands in a page finds it; the same bytes on
every build.
"""

from __future__ import annotations

import gzip
import json
import logging
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from pelican.plugins.palimpsest import search
from pelican.plugins.palimpsest.cli import main

from .conftest import CONTENT, ROOT, DemoSite

SETTINGS = ROOT / "pelicanconf.py"
CHINESE_POST = "/2024/02/18/titre-de-sejour-en-ligne/"
CHINESE_TITLE = "在网上续签法国居留卡：一次 ANEF 平台的完整记录"
# Inside the run "我第三次续签 titre de séjour": no space around it.
CHINESE_TERM = "续签"
# Phrases of 2, 4 and 8 Han characters, each only in CHINESE_POST (read in the post by hand). jieba
# (the index's old segmenter) and ICU (the browser's) cut 在线 and 官方建议在居留卡 differently,
# so that before, quoted, they found nothing.
PHRASES = ("续签", "在线提交", "官方建议在居留卡")

needs_pagefind = pytest.mark.skipif(
    search.pagefind_executable() is None,
    reason=f"Pagefind is not installed ({search.INSTALL_HINT})",
)

# Pagefind's own search (pagefind.js + WebAssembly) run in Node, reading the bundle from disk, as the
# search page runs it: the page's own searchPlan (taken from the built page) picks the bundle and index
# of the page's language and the indexes merged (other languages, other shards), and the query goes
# through the page's own processTerm.
NODE_SEARCH = """
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
globalThis.fetch = async (input) => new Response(await readFile(fileURLToPath(new URL(String(input)))));
const [site, lang, ...terms] = process.argv.slice(2);
const page = await readFile(site + "/search/index.html", "utf-8");
const bundle = pathToFileURL(site + "/pagefind/").href;
// A function of the page's script, by name: from "function name(" to the brace closing it.
const code = (name) => {
  const start = page.indexOf("function " + name + "(");
  return page.slice(start, page.indexOf("\\n    }", start) + 6);
};
const functions = code("processTerm") + code("searchPlan") + "; return [processTerm, searchPlan];";
const [processTerm, searchPlan] = new Function("bundle", functions)(bundle);
const entry = JSON.parse(await readFile(site + "/pagefind/pagefind-entry.json", "utf-8"));
const plan = searchPlan(entry, lang);
const pagefind = await import(plan.bundlePath + "pagefind.js");
// What Pagefind reads to pick its index: the page's <html lang> (set after the import: no browser here).
globalThis.document = { querySelector: () => ({ getAttribute: () => lang }) };
await pagefind.options({ basePath: plan.bundlePath, baseUrl: "/" });
for (const merged of plan.mergeIndex) {
  await pagefind.mergeIndex(merged.bundlePath, { language: merged.language, baseUrl: "/" });
}
const found = {};
for (const term of terms) {
  const results = (await pagefind.search(processTerm(term))).results;
  found[term] = await Promise.all(results.map(async (result) => (await result.data()).url));
}
console.log(JSON.stringify({ plan, found }));
"""


def _build(output: Path, settings: Path = SETTINGS) -> Path:
    assert main(["build", str(CONTENT), "-o", str(output), "-s", str(settings)]) == 0
    return output


def _fragments(bundle: Path) -> dict[str, dict]:
    """Every indexed page, by URL: Pagefind's fragments are gzip'd "pagefind_dcd" + JSON."""
    pages = {}
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        fragment = json.loads(data[len(b"pagefind_dcd") :])
        pages[fragment["url"]] = fragment
    return pages


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _url(html: Path, output: Path) -> str:
    relative = html.relative_to(output).as_posix()
    return "/" + relative.removesuffix("index.html") if relative.endswith("index.html") else "/" + relative


@pytest.fixture(scope="module")
def site(demo: DemoSite) -> Path:
    if search.pagefind_executable() is None:
        pytest.skip(f"Pagefind is not installed ({search.INSTALL_HINT})")
    return demo.output


@needs_pagefind
def test_pagefind_extended_is_the_one_used() -> None:
    assert "extended" in search.pagefind_executable().name, "Chinese needs the extended binary: " + search.INSTALL_HINT


def _lang(site: Path, url: str) -> str:
    return str(BeautifulSoup((site / url.strip("/") / "index.html").read_text(encoding="utf-8"), "html.parser").html["lang"])


@needs_pagefind
def test_one_index_per_page_language(site: Path) -> None:
    """Each page in the index of its own ``lang``. The demo: zh, 2 posts and the archive and tags
    pages (the site's locale); fr, 2 documents and the guides hub; en, 1 post, About and the splash page."""
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    counts = {lang: index["page_count"] for lang, index in entry["languages"].items()}
    assert counts == {"zh": 4, "fr": 3, "en": 3}
    by_lang: dict[str, int] = {}
    for url in _fragments(site / "pagefind"):
        by_lang[_lang(site, url)] = by_lang.get(_lang(site, url), 0) + 1
    assert by_lang == counts
    # French and English get Pagefind's stemmers; Chinese has none.
    assert {lang: index["wasm"] for lang, index in entry["languages"].items()} == {"zh": None, "fr": "fr", "en": "en"}


@needs_pagefind
def test_indexes_article_and_page_bodies_only(site: Path) -> None:
    indexed = set(_fragments(site / "pagefind"))
    with_body = {_url(p, site) for p in site.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")}
    assert indexed == with_body
    assert CHINESE_POST in indexed and "/about/" in indexed and "/guides/renouvellement/" in indexed
    assert (site / "2024/02/18/titre-de-sejour-en-ligne/history/index.html").is_file()
    assert not [url for url in indexed if "/history/" in url], "history, revision and diff pages stay out of the index"
    assert "/search/" not in indexed and "/updates/" not in indexed


@needs_pagefind
def test_han_characters_are_indexed_one_by_one(site: Path) -> None:
    fragment = _fragments(site / "pagefind")[CHINESE_POST]
    # Pagefind marks the word boundaries it indexed with zero-width spaces.
    assert "我\u200b第\u200b三\u200b次\u200b续\u200b签" in fragment["content"]
    assert "我第三次续签 titre de séjour" in fragment["content"].replace("\u200b", "")
    assert fragment["meta"]["title"].replace("\u200b", "") == CHINESE_TITLE
    page = (site / CHINESE_POST.strip("/") / "index.html").read_text(encoding="utf-8")
    assert "\u200b" not in page and "第三次续签" in page, "the written page is untouched"
    assert not (site / ".palimpsest-cache" / "search" / "work").exists(), "the staged copies are removed"


def test_prepare_page() -> None:
    page = '<html lang="zh-CN"><h1 class="page__title">在线</h1><section data-pagefind-body>a</section></html>'
    assert search.prepare_page(page, "en") == (
        '<html lang="zh"><h1 class="page__title" data-pagefind-body>在\u200b线</h1><section data-pagefind-body>a</section></html>'
    )
    hostile = '<html lang="en&quot; onerror=&quot;x &lt;script&gt;"><p>x</p></html>'
    assert search.prepare_page(hostile, "fr") == '<html lang="fr"><p>x</p></html>'


def test_split_han() -> None:
    assert search.split_han("<p>我第三次续签 titre，好</p>") == "<p>我\u200b第\u200b三\u200b次\u200b续\u200b签 titre，好</p>"
    assert search.split_han("𠀀𠀁 ab 中") == "𠀀\u200b𠀁 ab 中"  # beyond the BMP too; lone characters as they are
    assert search.split_han("été, ok") == "été, ok"


def _search(site: Path, tmp_path: Path, lang: str, *terms: str) -> dict[str, list[str]]:
    script = tmp_path / "search.mjs"
    script.write_text(NODE_SEARCH, encoding="utf-8")
    run = subprocess.run(["node", str(script), str(site), lang, *terms], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    found: dict[str, list[str]] = json.loads(run.stdout)["found"]
    return found


needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed: Pagefind's own search runs in JavaScript")


@needs_pagefind
@needs_node
def test_chinese_phrases_find_their_post(site: Path, tmp_path: Path) -> None:
    found = _search(site, tmp_path, "zh", *PHRASES, "居留卡", "在线申请", "卡留居在议建方官")
    for phrase in PHRASES:
        assert found[phrase] == [CHINESE_POST], phrase
    assert found["居留卡"] == [CHINESE_POST]  # only this post says it (the rollout post says 居留 only apart)
    # Not in the demo, though each character is: nothing, rather than every page with the characters.
    assert found["在线申请"] == [] and found["卡留居在议建方官"] == []


@needs_pagefind
@needs_node
def test_a_full_title_finds_its_post_first(site: Path, tmp_path: Path) -> None:
    found = _search(site, tmp_path, "zh", CHINESE_TITLE, "ANEF 上线时间表：两版传单对照")
    assert found[CHINESE_TITLE][0] == CHINESE_POST
    assert found["ANEF 上线时间表：两版传单对照"][0] == "/2024/05/20/anef-rollout-schedule/"
    french = "Guide : renouveler son titre de séjour en ligne"
    assert _search(site, tmp_path, "fr", french)[french][:1] == ["/guides/renouvellement/"]


@needs_pagefind
@needs_node
@pytest.mark.parametrize("lang", ["zh", "fr", "en"])
def test_every_language_is_searched_and_stemmed(site: Path, tmp_path: Path, lang: str) -> None:
    """From a search page in any of the site's languages the other indexes are merged in; the page's own
    language is stemmed: a French or English word in another inflection (not in the demo) finds its pages.
    Pagefind's merged indexes share the page's stemmer, so from a zh page fr/en words match by prefix only."""
    found = _search(site, tmp_path, lang, CHINESE_TERM, "renouvelons", "walks", "Lyon", "ANEF")
    assert found[CHINESE_TERM] == [CHINESE_POST]
    if lang == "fr":
        assert set(found["renouvelons"]) == {"/guides/renouvellement/", "/2024/03/10/calculer-la-date-de-renouvellement/"}
    if lang == "en":
        assert found["walks"] == ["/2024/04/06/a-weekend-in-lyon/"]  # "Walking", "walked"
    assert "/2024/04/06/a-weekend-in-lyon/" in found["Lyon"]  # en, from every page
    assert "/2024/05/20/anef-rollout-schedule/" in found["ANEF"] and "/guides/renouvellement/" in found["ANEF"]
    assert not [url for urls in found.values() for url in urls if "/history/" in url]


@needs_pagefind
def test_search_page_and_box(site: Path, demo: DemoSite) -> None:
    html = (site / "search" / "index.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    assert page.title.text.startswith("搜索")
    sources = [s["src"] for s in page.find_all("script", src=True)] + [link["href"] for link in page.find_all("link", rel="stylesheet")]
    assert any(src.endswith("/pagefind/pagefind-ui.js") for src in sources)
    assert any(src.endswith("/pagefind/pagefind-ui.css") for src in sources)
    assert (site / "pagefind" / "pagefind-ui.js").is_file() and (site / "pagefind" / "pagefind-ui.css").is_file()
    assert not [src for src in sources if "://" in src and not src.startswith(demo.base_url + "/")], "no third-party requests"
    assert "triggerSearch" in html and 'get("q")' in html
    assert "processTerm: processTerm" in html and "mergeIndex:" in html
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    form = home.select_one("header form[role=search]")
    assert form is not None and form["action"].endswith("/search/")
    assert form.select_one("input[name=q]")["placeholder"] == "搜索本站"


@needs_pagefind
def test_index_is_deterministic(site: Path, demo: DemoSite, tmp_path: Path) -> None:
    """Rebuilt over a copy of the session's build: the same bytes, and no stale hashed files left behind."""
    again = tmp_path / "output"
    shutil.copytree(site, again)
    demo.build(again)
    assert _files(again / "pagefind") == _files(site / "pagefind")


@needs_pagefind
def test_switched_off(tmp_path: Path) -> None:
    settings = tmp_path / "pelicanconf.py"
    settings.write_text(
        "import runpy\n"
        f"globals().update({{k: v for k, v in runpy.run_path({str(SETTINGS)!r}).items() if k.isupper()}})\n"
        'PALIMPSEST_FEATURES = {**PALIMPSEST_FEATURES, "search": False}\n',
        encoding="utf-8",
    )
    output = _build(tmp_path / "output", settings)
    assert not (output / "pagefind").exists() and not (output / "search").exists()
    assert 'role="search"' not in (output / "index.html").read_text(encoding="utf-8")


def _pelican(tmp_path: Path, **settings: object) -> SimpleNamespace:
    return SimpleNamespace(settings={"DEFAULT_LANG": "zh", **settings}, output_path=str(tmp_path))


def test_without_pagefind_warns_with_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(search, "pagefind_executable", lambda: None)
    with caplog.at_level(logging.INFO, logger=search.logger.name):
        search.index_site(_pelican(tmp_path))
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert 'pip install "pagefind[extended]"' in caplog.records[0].getMessage()
    assert not search.search_enabled({"DEFAULT_LANG": "zh"})


def test_pagefind_failure_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    fake = tmp_path / "bin" / "pagefind_extended"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'Error: cannot read the site' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_executable", lambda: fake)
    with caplog.at_level(logging.INFO, logger=search.logger.name):
        search.index_site(_pelican(tmp_path))
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "exit 3" in errors[0] and "cannot read the site" in errors[0]


def test_switched_off_does_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(search, "pagefind_executable", lambda: pytest.fail("Pagefind looked for while search is off"))
    with caplog.at_level(logging.DEBUG, logger=search.logger.name):
        search.index_site(_pelican(tmp_path, PALIMPSEST_FEATURES={"search": False}))
    assert not caplog.records
