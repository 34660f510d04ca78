"""The demo blog builds every published document where its permalink says, leaves the
draft out, builds the same bytes every time, and every document is pinned as it is now.

The rendered body of every revision of every document (the current one included) is
pinned by the revision snapshots in ``tests/revisions/`` (``content/_config.yml`` in
``testpaths``, collected by ``pelican.plugins.palimpsest.testing.pytest_plugin``).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pelican.plugins.palimpsest.testing.pinning import pinned_revisions

from .conftest import CONTENT, ROOT, DemoSite
from .test_jekyll_site import page_text

SNAPSHOTS = ROOT / "tests" / "revisions"

# Where each published document is written (its permalink), and its title, read from content/.
PUBLISHED = {
    "_posts/2024-02-18-titre-de-sejour-en-ligne.md": (
        "2024/02/18/titre-de-sejour-en-ligne/index.html",
        "在网上续签法国居留卡：一次 ANEF 平台的完整记录",
    ),
    "_posts/2024-03-10-calculer-la-date-de-renouvellement.md": (
        "2024/03/10/calculer-la-date-de-renouvellement/index.html",
        "Calculer la date idéale pour renouveler son titre de séjour",
    ),
    "_posts/2024-04-06-a-weekend-in-lyon.md": (
        "2024/04/06/a-weekend-in-lyon/index.html",
        "A weekend in Lyon, and how this post was put together",
    ),
    "_posts/2024-05-20-anef-rollout-schedule.md": (
        "2024/05/20/anef-rollout-schedule/index.html",
        "ANEF 上线时间表：两版传单对照",
    ),
    "_pages/about.md": ("about/index.html", "About"),
    "_pages/posts.md": ("posts/index.html", "文章归档"),
    "_pages/tags.md": ("tags/index.html", "标签"),
    "_pages/guides.md": ("guides/index.html", "Guides pratiques"),
    "_pages/welcome.md": ("welcome/index.html", "Palimpsest"),
    "_guides/renouvellement.md": ("guides/renouvellement/index.html", "Guide : renouveler son titre de séjour en ligne"),
}
DRAFT = "_posts/2024-04-20-notes-on-timbre-fiscal.md"  # published: false


def _tree_digest(folder: Path) -> dict[str, str]:
    """The site's files (the build's cache, which is not the site, left out)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".palimpsest-cache" not in p.relative_to(folder).parts
    }


def test_these_are_all_the_demo_documents() -> None:
    found = {p.relative_to(CONTENT).as_posix() for folder in ("_posts", "_guides", "_pages") for p in (CONTENT / folder).glob("*.md")}
    assert found == {*PUBLISHED, DRAFT}


@pytest.mark.parametrize("document", list(PUBLISHED))
def test_published_document_is_built_at_its_permalink(demo: DemoSite, document: str) -> None:
    path, title = PUBLISHED[document]
    page = BeautifulSoup((demo.output / path).read_text(encoding="utf-8"), "html.parser")
    assert page.select_one(".page__content") is not None
    assert page.select_one("h1").get_text(strip=True) == title


def test_the_draft_is_not_built(demo: DemoSite) -> None:
    assert not (demo.output / "2024" / "04" / "20").exists()
    leaked = [p.relative_to(demo.output).as_posix() for p in demo.output.rglob("*") if "timbre-fiscal" in p.name]
    assert leaked == []
    # A sentence only the draft has.
    assert not [p for p in demo.output.rglob("*.html") if "sixteen-digit number" in p.read_text(encoding="utf-8")]
    assert not [p for p in demo.output.rglob("*.xml") if "sixteen-digit number" in p.read_text(encoding="utf-8")]


def test_build_is_deterministic(demo: DemoSite, tmp_path: Path) -> None:
    again = demo.build(tmp_path / "output")
    assert _tree_digest(again) == _tree_digest(demo.output)


@pytest.mark.parametrize("document", sorted([*PUBLISHED, DRAFT]))
def test_the_current_version_is_pinned(document: str) -> None:
    """The text in content/ now is a committed revision, so a snapshot in tests/revisions/ pins its body."""
    _, cases, blobs = pinned_revisions(CONTENT.resolve())
    path = (CONTENT / document).resolve()
    current = path.read_bytes()
    pinned = [case.snapshot for case in cases if case.document == path and blobs[case.revision.blob] == current]
    assert pinned, f"{document} differs from every committed revision: commit it, then pin it (pytest content/_config.yml --force-regen)"
    assert (SNAPSHOTS / f"{pinned[-1]}.html").is_file()


# What must never show in a page's text (outside code): the source it came from.
SOURCE_SYNTAX = {
    "liquid": re.compile(r"\{%|\{\{"),
    "ial": re.compile(r"\{:\s*[.#][^}]*\}"),
    "tex": re.compile(r"\\\(|\\\[|\$\$"),
    "emoji shortcode": re.compile(r"(?<![\w:]):[a-z0-9_+-]+:(?![\w:])"),
}


def _is_emoji_shortcode(text: str) -> bool:
    import emoji

    return emoji.emojize(text, language="alias") != text


@pytest.mark.parametrize("kind", SOURCE_SYNTAX)
def test_no_page_text_shows_source_syntax(demo: DemoSite, kind: str) -> None:
    """No Liquid, IAL, TeX delimiter or emoji shortcode is left in any page's text outside code,
    over the whole demo build (the demo uses all four: Liquid includes, IALs, $$ math, jemoji)."""
    pattern = SOURCE_SYNTAX[kind]
    pages = sorted(demo.output.rglob("*.html"))
    assert len(pages) > 30
    found: list[str] = []
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for text in page_text(soup):
            for match in pattern.finditer(text):
                if kind == "emoji shortcode" and not _is_emoji_shortcode(match.group(0)):
                    continue
                found.append(f"{page.relative_to(demo.output)}: {text[max(0, match.start() - 30) : match.end() + 30]!r}")
    assert not found, "\n".join(found[:30])


def test_the_demo_uses_what_it_must_not_show() -> None:
    """The check above can fail: the demo's sources do contain each kind of syntax."""
    sources = "".join(path.read_text(encoding="utf-8") for path in sorted(CONTENT.rglob("*.md")))
    for kind, pattern in SOURCE_SYNTAX.items():
        matches = [m.group(0) for m in pattern.finditer(sources)]
        if kind == "emoji shortcode":
            matches = [m for m in matches if _is_emoji_shortcode(m)]
        assert matches, kind
