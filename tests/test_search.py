"""Site search: the Pagefind index the demo build writes into output/pagefind/.

One index per page language (zh, fr, en: French and English stemmed), merged
by the search page; article and page bodies and titles only
(``data-pagefind-body``); Han characters indexed one by one and queried the same
way, so that any run of them that stands in a page finds it; the same bytes on
every build.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import logging
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from pelican.plugins.palimpsest import search, search_shards
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


def _settings(folder: Path, **overrides: object) -> Path:
    """The demo's settings with *overrides*, as a settings file in *folder*. Not named pelicanconf.py:
    Pelican imports a settings file as a module of its name, which the demo's settings import."""
    path = folder / "searchconf.py"
    lines = [f"{name} = {value!r}\n" for name, value in overrides.items()]
    path.write_text(
        f"import runpy\nglobals().update({{k: v for k, v in runpy.run_path({str(SETTINGS)!r}).items() if k.isupper()}})\n" + "".join(lines),
        encoding="utf-8",
    )
    return path


# 10 indexed pages in shards of at most 5: two shards (the next power of two of 10 / 5).
SHARD_PAGES = 5


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with its index in shards."""
    if search.pagefind_executable() is None:
        pytest.skip(f"Pagefind is not installed ({search.INSTALL_HINT})")
    folder = tmp_path_factory.mktemp("sharded")
    return _build(folder / "output", _settings(folder, PALIMPSEST_SEARCH_SHARD_PAGES=SHARD_PAGES))


@pytest.fixture(params=["one bundle", "shards"])
def searched(request: pytest.FixtureRequest) -> Path:
    """Each way the demo's index is written: the results must not depend on it."""
    name = "site" if request.param == "one bundle" else "sharded"
    found: Path = request.getfixturevalue(name)
    return found


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
    with_body = set(_indexed_pages(site))  # the written pages, not the copies staged for Pagefind in the cache
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
    assert "我\u200b第\u200b三" in search.read_page(site, CHINESE_POST.strip("/") + "/index.html", "zh"), "Pagefind reads a copy"
    copies = [p for p in site.rglob("*.html") if ".palimpsest-cache" in p.parts and "search" in p.parts]
    assert not copies, f"the copies go to Pagefind through a pipe, none written: {copies}"
    assert not (site / ".palimpsest-cache" / "search" / "work").exists(), "Pagefind's own output is moved to pagefind/"


def test_prepare_page() -> None:
    page = '<html lang="zh-CN"><h1 class="page__title">在线</h1><section data-pagefind-body>a</section></html>'
    assert search.prepare_page(page, "en") == (
        '<html lang="zh"><h1 class="page__title" data-pagefind-body>在\u200b线</h1><section data-pagefind-body>a</section></html>'
    )
    hostile = '<html lang="en&quot; onerror=&quot;x &lt;script&gt;"><p>x</p></html>'
    assert search.prepare_page(hostile, "fr") == '<html lang="fr"><p>x</p></html>'


@needs_pagefind
def test_the_reduced_head_changes_nothing_pagefind_writes(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind reads the pages with their head cut to the title: its bundle is byte for byte the one
    it writes from the whole pages (titles, URLs, excerpts, languages, anchors alike)."""
    pages = sorted(_indexed_pages(site))
    assert len(pages) == 10
    bundles = {}
    copies: dict[str, dict[str, str]] = {}
    for way in ("reduced", "whole"):
        if way == "whole":
            monkeypatch.setattr(search, "_reduced_head", lambda html: html)
        relatives = [url.strip("/") + "/index.html" if url != "/" else "index.html" for url in pages]
        copies[way] = {relative: search.read_page(site, relative, "zh") for relative in relatives}
        assert search.run_pagefind(search.pagefind_executable(), copies[way].items(), tmp_path / way / "bundle")[0]
        bundles[way] = _files(tmp_path / way / "bundle")
        bundles[way]["pagefind-entry.json"] = json.loads(bundles[way]["pagefind-entry.json"])  # languages in no fixed order
    whole_copy = copies["whole"][CHINESE_POST.strip("/") + "/index.html"]
    reduced_copy = copies["reduced"][CHINESE_POST.strip("/") + "/index.html"]
    assert "og:description" in whole_copy and "og:description" not in reduced_copy and "<title>" in reduced_copy
    assert bundles["reduced"] == bundles["whole"]


@needs_pagefind
def test_pages_through_a_pipe_are_indexed_as_files_are(site: Path, tmp_path: Path) -> None:
    """The copies given to ``pagefind --service`` give the pages (URLs, titles, text, anchors: the
    fragments, named by a hash of their content) and languages that ``pagefind --site`` gives for the
    same copies written as files under the same paths."""
    executable = search.pagefind_executable()
    assert executable is not None
    relatives = sorted(url.strip("/") + "/index.html" if url != "/" else "index.html" for url in _indexed_pages(site))
    copies = {relative: search.read_page(site, relative, "zh") for relative in relatives}
    for relative, html in copies.items():
        (tmp_path / "files" / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "files" / relative).write_text(html, encoding="utf-8")
    command = [str(executable), "--site", str(tmp_path / "files"), "--output-path", str(tmp_path / "from-files"), "--quiet"]
    subprocess.run(command, check=True, capture_output=True)
    assert search.run_pagefind(executable, copies.items(), tmp_path / "from-pipe")[0]
    from_files, from_pipe = _fragments(tmp_path / "from-files"), _fragments(tmp_path / "from-pipe")
    assert len(from_pipe) == 10 and CHINESE_POST in from_pipe
    assert from_pipe == from_files
    assert _files(tmp_path / "from-pipe" / "fragment") == _files(tmp_path / "from-files" / "fragment")

    def languages(bundle: Path) -> dict[str, int]:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        return {lang: index["page_count"] for lang, index in entry["languages"].items()}

    assert languages(tmp_path / "from-pipe") == languages(tmp_path / "from-files") == {"zh": 4, "fr": 3, "en": 3}


@needs_pagefind
def test_a_page_that_cannot_be_read_stops_pagefind(tmp_path: Path) -> None:
    """A page gone between the scan and its reading ends Pagefind's input: the error is raised at once
    (the shard's build logs it), Pagefind stopped, no bundle written, nothing waits."""
    executable = search.pagefind_executable()
    assert executable is not None

    def pages() -> Iterator[tuple[str, str]]:
        yield "a/index.html", '<html lang="en"><body><section data-pagefind-body>one</section></body></html>'
        raise FileNotFoundError(tmp_path / "b" / "index.html")

    started = time.monotonic()
    with pytest.raises(FileNotFoundError):
        search.run_pagefind(executable, pages(), tmp_path / "bundle")
    assert time.monotonic() - started < 30 and not (tmp_path / "bundle").exists()


def test_split_han() -> None:
    assert search.split_han("<p>我第三次续签 titre，好</p>") == "<p>我\u200b第\u200b三\u200b次\u200b续\u200b签 titre，好</p>"
    assert search.split_han("𠀀𠀁 ab 中") == "𠀀\u200b𠀁 ab 中"  # beyond the BMP too; lone characters as they are
    assert search.split_han("été, ok") == "été, ok"
    # In a page of a language Pagefind does not segment, a zero-width space is no boundary: a hair space is.
    assert search.split_han("carte 居留卡", "fr") == "carte 居\u200a留\u200a卡"


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
def test_chinese_phrases_find_their_post(searched: Path, tmp_path: Path) -> None:
    found = _search(searched, tmp_path, "zh", *PHRASES, "居留卡", "在线申请", "卡留居在议建方官")
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
def test_a_full_title_finds_its_post_in_shards(sharded: Path, tmp_path: Path) -> None:
    """Found, but not necessarily first: each shard scores a word by how rare it is in that shard
    (Pagefind's BM25), and the demo's shards hold 3 to 7 pages; shards of 125 to 250 pages rank
    as one index does, nearly."""
    found = _search(sharded, tmp_path, "zh", CHINESE_TITLE, "ANEF 上线时间表：两版传单对照")
    assert CHINESE_POST in found[CHINESE_TITLE]
    assert "/2024/05/20/anef-rollout-schedule/" in found["ANEF 上线时间表：两版传单对照"]


@needs_pagefind
@needs_node
@pytest.mark.parametrize("lang", ["zh", "fr", "en"])
def test_every_language_is_searched_and_stemmed(searched: Path, tmp_path: Path, lang: str) -> None:
    """From a search page in any of the site's languages the other indexes are merged in; the page's own
    language is stemmed: a French or English word in another inflection (not in the demo) finds its pages.
    Pagefind's merged indexes share the page's stemmer, so from a zh page fr/en words match by prefix only."""
    found = _search(searched, tmp_path, lang, CHINESE_TERM, "renouvelons", "walks", "Lyon", "ANEF")
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
    settings = tmp_path / "searchconf.py"  # not pelicanconf.py: see _settings
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


# --- the index in shards ------------------------------------------------------------------------


def _shards(output: Path) -> dict[str, dict[str, dict]]:
    """Each shard's bundle folder (relative to pagefind/, as the first shard's entry lists them): its fragments by URL."""
    entry = json.loads((output / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    folders = [folder for folder, _ in entry.get("palimpsest_shards", [["", []]])]
    return {folder: _fragments(output / "pagefind" / folder) for folder in folders}


def _indexed_pages(output: Path) -> dict[str, bytes]:
    """The written pages Pagefind indexes, by URL."""
    pages = {}
    for path in sorted(output.rglob("*.html")):
        data = path.read_bytes()
        if b"data-pagefind-body" in data and ".palimpsest-cache" not in path.parts:
            pages[_url(path, output)] = data
    return pages


@needs_pagefind
def test_shards_hold_every_page_once(sharded: Path) -> None:
    """Two shards for the demo's 10 pages at 5 a shard; each page in one of them, in its language's
    index; the first shard, pagefind/, lists them all with their languages for the search page."""
    pagefind = sharded / "pagefind"
    listed = json.loads((pagefind / "pagefind-entry.json").read_text(encoding="utf-8"))["palimpsest_shards"]
    assert [folder for folder, _ in listed] == ["", f"shards/{listed[1][0].split('/')[1]}/"]
    counts: dict[str, int] = {}
    for folder, languages in listed:
        own = json.loads((pagefind / folder / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]
        assert sorted(own) == languages
        for lang, index in own.items():
            counts[lang] = counts.get(lang, 0) + index["page_count"]
    assert counts == {"zh": 4, "fr": 3, "en": 3}
    shards = _shards(sharded)
    urls = [url for fragments in shards.values() for url in fragments]
    assert sorted(urls) == sorted(_indexed_pages(sharded)), "every indexed page, in one shard only"
    for url, fragment in shards[listed[1][0]].items():
        assert fragment["meta"]["title"], url
    # The other shards have the search engine and its WebAssembly, not the UI that pagefind/ serves.
    other = pagefind / listed[1][0]
    assert (other / "pagefind.js").is_file() and list(other.glob("wasm.*.pagefind"))
    assert not (other / "pagefind-ui.js").exists() and (pagefind / "pagefind-ui.js").is_file()
    # What the other tests here rely on: the Chinese post and the French pages are in the second shard
    # only, so that searching them merges it, and a French search page loads Pagefind from it.
    assert CHINESE_POST in shards[listed[1][0]], "the demo's pages dealt otherwise: pick another SHARD_PAGES"
    assert "fr" not in listed[0][1], "the demo's pages dealt otherwise: pick another SHARD_PAGES"


def test_shard_count() -> None:
    """One shard up to the shard size, then powers of two: shards of half to all the shard size."""
    assert [search_shards.shard_count(pages, 250) for pages in (0, 1, 250, 251, 500, 501, 1000, 1001, 4000)] == [1, 1, 1, 2, 2, 4, 4, 8, 16]
    assert search_shards.shard_pages({}) == 250 and search_shards.shard_pages({"PALIMPSEST_SEARCH_SHARD_PAGES": 5}) == 5
    assert search_shards.shard_pages({"PALIMPSEST_SEARCH_SHARD_PAGES": 0}) == 250
    paths = [f"{year}/01/{day:02}/post-{day}/index.html" for year in range(2000, 2040) for day in range(1, 26)]
    sizes = [0] * 4
    for path in paths:
        sizes[search_shards.shard_of(path, 4)] += 1
    assert sum(sizes) == 1000 and min(sizes) > 200, f"pages dealt unevenly: {sizes}"


def test_pages_are_read_again_unless_unchanged_before_the_scan(tmp_path: Path) -> None:
    page = tmp_path / "a" / "index.html"
    page.parent.mkdir()
    page.write_bytes(b"<section data-pagefind-body>one</section>")
    (tmp_path / "b.html").write_bytes(b"<p>no body</p>")
    old = time.time_ns() - 60 * 10**9
    os.utime(page, ns=(old, old))
    first = search_shards.scan_pages(tmp_path, [], {}, time.time_ns())
    assert first == {
        "a/index.html": [page.stat().st_size, old, hashlib.sha256(b"<section data-pagefind-body>one</section>").hexdigest()],
        "b.html": [-1, -1, None],  # written just now: read again next time
    }
    # The same size and time: taken as unchanged, not read.
    page.write_bytes(b"<section data-pagefind-body>two</section>")
    os.utime(page, ns=(old, old))
    assert search_shards.scan_pages(tmp_path, [], first, time.time_ns())["a/index.html"] == first["a/index.html"]
    # Written within the file system's time granularity of a scan: read again by the next, whatever its time.
    now = time.time_ns()
    os.utime(page, ns=(now, now))
    racy = search_shards.scan_pages(tmp_path, [], first, now)
    assert racy["a/index.html"] == [-1, -1, hashlib.sha256(b"<section data-pagefind-body>two</section>").hexdigest()]
    page.write_bytes(b"<section data-pagefind-body>333</section>")
    os.utime(page, ns=(now, now))
    again = search_shards.scan_pages(tmp_path, [], racy, now + 10 * search_shards.RACY_NS)
    assert again["a/index.html"][2] == hashlib.sha256(b"<section data-pagefind-body>333</section>").hexdigest()


def _counting_pagefind(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The real Pagefind, run through a script that writes a line per run to the file returned."""
    real = search.pagefind_executable()
    log = folder / "pagefind-runs.log"
    log.write_text("", encoding="utf-8")
    wrapper = folder / "bin" / "pagefind_extended"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho run >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_executable", lambda: wrapper)
    return log


def _runs(log: Path) -> int:
    count = len(log.read_text(encoding="utf-8").splitlines())
    log.write_text("", encoding="utf-8")
    return count


def _stamps(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in sorted(folder.rglob("*")) if p.is_file()}


@needs_pagefind
def test_rebuilds_index_only_changed_shards_and_match_a_cold_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind runs over the shards whose pages changed, none when nothing did; after each rebuild the
    whole pagefind/ tree is, byte for byte, what a cold build of the same site writes."""
    runs = _counting_pagefind(tmp_path, monkeypatch)
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    sharded = _settings(tmp_path, PALIMPSEST_SEARCH_SHARD_PAGES=SHARD_PAGES)

    def build(output: Path, settings: Path = sharded) -> Path:
        assert main(["build", str(content), "-o", str(output), "-s", str(settings)]) == 0
        return output

    output = build(tmp_path / "output")
    shards = _shards(output)
    assert len(shards) == 2 and _runs(runs) == 2

    stamps = _stamps(output / "pagefind")
    build(output)
    assert _runs(runs) == 0, "nothing changed: no Pagefind run"
    assert _stamps(output / "pagefind") == stamps, "nor a file of the index written"

    before = _indexed_pages(output)
    post = content / "_posts" / "2024-03-10-calculer-la-date-de-renouvellement.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nUn paragraphe ajouté : palimpsestes.\n", encoding="utf-8")
    build(output)
    after = _indexed_pages(output)
    changed = {url for url in before.keys() | after.keys() if before.get(url) != after.get(url)}
    touched = [folder for folder, fragments in shards.items() if changed & set(fragments)]
    assert len(touched) == 1, f"the edit should change one shard's pages only: {changed}"
    assert _runs(runs) == 1
    untouched = next(folder for folder in shards if folder not in touched)
    now = _stamps(output / "pagefind")

    def bundle(stamps: dict[str, int], folder: str) -> dict[str, int]:
        """The files of the shard in *folder* but its entry (the first shard's lists the others)."""
        inside = [f for f in stamps if f.startswith(folder) and not (folder == "" and f.startswith("shards/"))]
        return {f: stamps[f] for f in inside if not f.endswith("pagefind-entry.json")}

    assert bundle(now, untouched) == bundle(stamps, untouched), "the other shard's bundle is left as it was"
    assert "palimpsestes" in _shards(output)[touched[0]]["/2024/03/10/calculer-la-date-de-renouvellement/"]["content"]
    assert _files(output / "pagefind") == _files(build(tmp_path / "cold") / "pagefind")
    _runs(runs)

    # Another shard size: one shard, pagefind/shards/ gone, as a cold build of one bundle.
    single = tmp_path / "single"
    single.mkdir()
    one = _settings(single, PALIMPSEST_SEARCH_SHARD_PAGES=100)
    build(output, one)
    assert _runs(runs) == 1 and not (output / "pagefind" / "shards").exists()
    cold = build(tmp_path / "cold-single", one)
    assert _files(output / "pagefind") == _files(cold / "pagefind")
    _runs(runs)

    # A bundle damaged since (a file lost, one added): indexed again.
    fragment = next((output / "pagefind" / "fragment").iterdir())
    fragment.unlink()
    (output / "pagefind" / "index" / "stray.pf_index").write_bytes(b"stray")
    build(output, one)
    assert _runs(runs) == 1
    assert _files(output / "pagefind") == _files(cold / "pagefind")


@needs_pagefind
@needs_node
def test_han_words_in_a_page_of_another_language_are_found(tmp_path: Path) -> None:
    """A Chinese phrase in an English post finds it (a zero-width space there made the run one word)."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: T\n", encoding="utf-8")
    english = "---\ntitle: Hello\n---\n\nWe talk about 系统朋友方法 here, and the card 居留卡.\n"
    (site / "_posts" / "2024-01-01-a.md").write_text(english, encoding="utf-8")
    chinese = "---\ntitle: Other\nlang: zh\n---\n\n我们的系统很好。\n"
    (site / "_posts" / "2024-01-02-b.md").write_text(chinese, encoding="utf-8")
    output = tmp_path / "out"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["build", str(site), "-o", str(output), "-j", "1"]) == 0
    for lang in ("en", "zh"):
        found = _search(output, tmp_path, lang, "系统朋友方法", "居留卡", "朋友", "系统", "我们的系统")
        assert found["系统朋友方法"] == found["居留卡"] == found["朋友"] == ["/2024/01/01/a.html"], found
        assert sorted(found["系统"]) == ["/2024/01/01/a.html", "/2024/01/02/b.html"], found
        assert found["我们的系统"] == ["/2024/01/02/b.html"], found


@needs_pagefind
def test_a_site_with_nothing_to_index_builds(tmp_path: Path) -> None:
    """No page to index is no error (Pagefind alone refuses an empty folder)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "_config.yml").write_text("title: T\n", encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["build", str(site), "-o", str(tmp_path / "out"), "-j", "1"]) == 0
    assert (tmp_path / "out" / "index.html").is_file()


# --- the index begun while the site is still being written --------------------------------------


def _small_site(root: Path, posts: int = 3) -> Path:
    (root / "_posts").mkdir(parents=True)
    (root / "_config.yml").write_text("title: T\n", encoding="utf-8")
    for number in range(posts):
        (root / "_posts" / f"2024-01-0{number + 1}-post-{number}.md").write_text(
            f"---\ntitle: Post {number}\n---\n\nThe body of post {number}.\n", encoding="utf-8"
        )
    return root


@needs_pagefind
def test_pagefind_runs_while_the_pages_it_does_not_index_are_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once every article and page is written, Pagefind starts over them; the generators after
    (listings, revision pages, the search page) write theirs meanwhile."""
    import threading

    from pelican.plugins.palimpsest.site_outputs import SearchPageGenerator

    running = threading.Event()
    real_run, real_output = search.run_pagefind, SearchPageGenerator.generate_output

    def run_pagefind(*args: object, **kwargs: object) -> object:
        running.set()
        return real_run(*args, **kwargs)  # type: ignore[arg-type]

    waited: list[bool] = []

    def generate_output(self: SearchPageGenerator, writer: object) -> None:
        waited.append(running.wait(timeout=60))  # never set before the site is written, without the overlap
        real_output(self, writer)

    monkeypatch.setattr(search, "run_pagefind", run_pagefind)
    monkeypatch.setattr(SearchPageGenerator, "generate_output", generate_output)
    output = tmp_path / "out"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["build", str(_small_site(tmp_path / "site")), "-o", str(output), "-j", "1"]) == 0
    assert waited == [True]
    assert sorted(_fragments(output / "pagefind")) == [f"/2024/01/0{n + 1}/post-{n}.html" for n in range(3)]
    assert (output / "search" / "index.html").is_file()


@needs_pagefind
def test_an_indexed_page_written_after_pagefind_began_is_indexed(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A page with data-pagefind-body written once Pagefind has begun (here a static HTML file, copied
    after the articles) makes the build index the site again: it is in the index, as in a build
    that began Pagefind at the end."""
    site = _small_site(tmp_path / "site")
    (site / "extra.html").write_text(
        '<!doctype html><html lang="en"><head><title>Extra</title></head>'
        "<body><main data-pagefind-body><p>A static page about xylophones.</p></main></body></html>\n",
        encoding="utf-8",
    )
    output = tmp_path / "out"
    with contextlib.redirect_stdout(io.StringIO()), caplog.at_level(logging.DEBUG, logger=search.logger.name):
        assert main(["build", str(site), "-o", str(output), "-j", "1"]) == 0
    assert (output / "extra.html").is_file()
    posts = [f"/2024/01/0{n + 1}/post-{n}.html" for n in range(3)]
    assert sorted(_fragments(output / "pagefind")) == [*posts, "/extra.html"]
    assert any("written after the index began" in record.getMessage() for record in caplog.records)
    (site / "_posts" / "2024-01-01-post-0.md").write_text("---\ntitle: Post 0\n---\n\nChanged.\n", encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()):  # a rebuild: the static page is kept in the index
        assert main(["build", str(site), "-o", str(output), "-j", "1"]) == 0
    assert sorted(_fragments(output / "pagefind")) == [*posts, "/extra.html"]
