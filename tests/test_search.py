"""Site search: the Pagefind index the demo build writes into output/pagefind/.

One index across languages (``--force-language`` with DEFAULT_LANG), article
and page bodies only (``data-pagefind-body``), Chinese segmented into words by
Pagefind's extended binary, and the same bytes on every build.
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
# Inside the run "我第三次续签 titre de séjour": no space around it, so only a word segmenter finds it.
CHINESE_TERM = "续签"

needs_pagefind = pytest.mark.skipif(
    search.pagefind_executable() is None,
    reason=f"Pagefind is not installed ({search.INSTALL_HINT})",
)

# Pagefind's own search (pagefind.js + WebAssembly) run in Node, reading the bundle from disk.
NODE_SEARCH = """
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
globalThis.fetch = async (input) => new Response(await readFile(fileURLToPath(new URL(String(input)))));
const [bundle, ...terms] = process.argv.slice(2);
const pagefind = await import(pathToFileURL(bundle + "/pagefind.js").href);
await pagefind.options({ basePath: pathToFileURL(bundle + "/").href, baseUrl: "/" });
const found = {};
for (const term of terms) {
  const results = (await pagefind.search(term)).results;
  found[term] = await Promise.all(results.map(async (result) => (await result.data()).url));
}
console.log(JSON.stringify(found));
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


@needs_pagefind
def test_one_index_for_all_languages(site: Path) -> None:
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["zh"]  # DEFAULT_LANG of the demo (_config.yml locale zh-CN)
    assert entry["languages"]["zh"]["page_count"] == len(_fragments(site / "pagefind"))
    langs = {
        BeautifulSoup((site / url.strip("/") / "index.html").read_text(encoding="utf-8"), "html.parser").html["lang"]
        for url in _fragments(site / "pagefind")
    }
    assert {"zh", "fr", "en"} <= langs


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
def test_chinese_is_segmented_into_words(site: Path) -> None:
    content = _fragments(site / "pagefind")[CHINESE_POST]["content"]
    # Pagefind marks the word boundaries it indexed with zero-width spaces.
    words = {w.strip() for w in content.replace("\u200b", " ").split()}
    assert CHINESE_TERM in words


@needs_pagefind
@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed: Pagefind's own search runs in JavaScript")
def test_chinese_query_finds_the_chinese_post(site: Path, tmp_path: Path) -> None:
    script = tmp_path / "search.mjs"
    script.write_text(NODE_SEARCH, encoding="utf-8")
    terms = [CHINESE_TERM, "居留卡", "renouvellement", "Lyon"]
    run = subprocess.run(["node", str(script), str(site / "pagefind"), *terms], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert found[CHINESE_TERM] == [CHINESE_POST]
    assert CHINESE_POST in found["居留卡"]
    assert "/2024/03/10/calculer-la-date-de-renouvellement/" in found["renouvellement"]
    assert "/2024/04/06/a-weekend-in-lyon/" in found["Lyon"]
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


@pytest.mark.parametrize(("lang", "index"), [("zh-CN", "zh"), ("fr_FR", "fr"), ("en", "en"), (None, "en"), ("pt-BR", "pt")])
def test_index_language(lang: object, index: str) -> None:
    assert search.index_language({"DEFAULT_LANG": lang}) == index
