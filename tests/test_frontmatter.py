"""Front matter through libyaml, the parser Jekyll's Psych is built on: Psych's values, each document's
YAML parsed once per build, the pure-Python parser only to say where an error or a reported value is.

The expected values were read with real Ruby (3.1, Psych 4, libyaml 0.2.5): ``ruby -ryaml -e 'p YAML.load(...)'``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer, ComposerError

from pelican.plugins.palimpsest.common.claims import Claims, claim_documents
from pelican.plugins.palimpsest.document import render_document
from pelican.plugins.palimpsest.errors import DocumentError
from pelican.plugins.palimpsest.jekyll import frontmatter
from pelican.plugins.palimpsest.jekyll.documents import scan_documents
from pelican.plugins.palimpsest.jekyll.frontmatter import front_matter_line, load_yaml, split_front_matter
from pelican.plugins.palimpsest.jekyll.site import JekyllSite
from pelican.plugins.palimpsest.jekyll.yaml_aliases import YAML_ALIAS_LIMIT, YAML_DEPTH_LIMIT, BoundedComposer

PATH = Path("_posts/2024-01-02-x.md")

# (front matter line, the value of ``a`` Psych gives)
PSYCH_VALUES = [
    ("a: yes", True),
    ("a: No", False),
    ("a: on", True),
    ("a: OFF", False),
    ("a: y", "y"),
    ("a: n", "n"),
    ("a: 1e3", "1e3"),
    ("a: 1.5e+3", 1500.0),
    ("a: 012", 10),
    ("a: 0x1f", 31),
    ("a: 0b101", 5),
    ("a: 0o7", "0o7"),
    ("a: 1_000", 1000),
    ("a: ~", None),
    ("a: 2023-02-10", dt.date(2023, 2, 10)),
    ("a: 2024-02-30", "2024-02-30"),
    ("a: 'yes'", "yes"),
    ("a: .inf", float("inf")),
]


@pytest.mark.parametrize(("line", "value"), PSYCH_VALUES, ids=[line for line, _ in PSYCH_VALUES])
def test_psych_values(line: str, value: Any) -> None:
    assert split_front_matter(f"---\n{line}\n---\nbody\n", PATH).data == {"a": value}


def test_a_yaml_directive_changes_no_type() -> None:
    """Psych: ``YAML.load("%YAML 1.2\\n---\\na: yes\\n")`` is ``{"a"=>true}``."""
    assert load_yaml("%YAML 1.2\n---\na: yes\n", Path("_config.yml")) == {"a": True}


def test_a_tab_inside_a_value_is_text() -> None:
    """Psych reads ``title: a<TAB>b`` as "a\\tb" and drops a trailing tab; ruamel's pure parser refused both."""
    assert split_front_matter("---\ntitle: a\tb\nlayout: post\t\n---\n", PATH).data == {"title": "a\tb", "layout": "post"}


def test_a_line_separator_breaks_a_line() -> None:
    """Psych: ``YAML.load("title: a\\u2028b: c\\n")`` is ``{"title"=>"a", "b"=>"c"}`` (the pure parser refused it)."""
    assert split_front_matter("---\ntitle: a\u2028b: c\n---\n", PATH).data == {"title": "a", "b": "c"}


def test_next_line_in_a_value_is_refused_as_psych_refuses_it() -> None:
    """Psych: ``YAML.load("title: x\\u0085y\\n")`` raises "could not find expected ':'" (the pure parser read it)."""
    with pytest.raises(DocumentError) as error:
        split_front_matter("---\ntitle: x\x85y\n---\n", PATH)
    assert str(error.value) == f"{PATH}:2: invalid YAML front matter: could not find expected ':' (libyaml, as Jekyll's Psych)"


def test_errors_keep_the_pure_parsers_words_and_line() -> None:
    with pytest.raises(DocumentError) as error:
        split_front_matter("---\ntitle: ok\ntags: [a, b\nlayout: post\n---\n", PATH)
    assert str(error.value) == f"{PATH}:4: invalid YAML front matter: expected ',' or ']', but got ':'"
    with pytest.raises(DocumentError) as error:
        split_front_matter("---\ntitle: a\ntitle: b\n---\n", PATH)
    assert str(error.value) == f'{PATH}:3: invalid YAML front matter: found duplicate key "title" with value "b" (original value: "a")'


@pytest.fixture()
def parses(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Every YAML parse counted (the parsers still run): libyaml's, and the pure composer's (a load or a line lookup)."""
    counts: Counter[str] = Counter()
    for owner, label in ((frontmatter._LibyamlLoader, "libyaml"), (Composer, "pure")):
        original = owner.get_single_node

        def counting(self: Any, _original: Any = original, _label: str = label) -> Any:
            counts[_label] += 1
            return _original(self)

        monkeypatch.setattr(owner, "get_single_node", counting)
    return counts


POST = """---
title: One
permalink: /one/
tags: [a, b]
date: 2024-01-02
header:
  image: /a.png
---

Body of {{ page.title }}.
"""


def _site(root: Path, posts: dict[str, str]) -> JekyllSite:
    (root / "_posts").mkdir()
    (root / "_config.yml").write_text("title: Site\nurl: https://example.org\n", encoding="utf-8")
    for name, text in posts.items():
        (root / "_posts" / name).write_text(text, encoding="utf-8")
    return JekyllSite.load(root, fresh=True)


class _Claimed:
    def __init__(self, path: Path, save_as: str) -> None:
        self.source_path, self.save_as, self.url = str(path), save_as, save_as


def test_a_document_is_parsed_once(tmp_path: Path, parses: Counter[str]) -> None:
    """Read, derived, checked and claimed (with its revision folder): one libyaml parse, no line looked up."""
    site = _site(tmp_path, {"2024-01-02-one.md": POST})
    parses.clear()
    path = tmp_path / "_posts" / "2024-01-02-one.md"
    rendered = render_document(path, site)
    assert "Body of One." in rendered.html
    assert claim_documents(Claims(), {}, [_Claimed(path, "one/index.html")]) == set()
    assert parses == {"libyaml": 1}


def test_the_scan_and_the_reader_share_one_parse(tmp_path: Path, parses: Counter[str]) -> None:
    """``site.posts`` reads every document's front matter; the reader then reads each again, unparsed."""
    site = _site(tmp_path, {"2024-01-02-one.md": POST, "2024-01-03-two.md": POST.replace("one", "two").replace("One", "Two")})
    parses.clear()
    scan = scan_documents(site)
    assert [post["title"] for post in scan.site_value("posts")] == ["Two", "One"]
    for name in ("2024-01-02-one.md", "2024-01-03-two.md"):
        render_document(tmp_path / "_posts" / name, site)
    assert parses == {"libyaml": 2}


def test_shared_front_matter_is_the_readers_own(parses: Counter[str]) -> None:
    text = "---\ntags: [a]\nheader: {image: /a.png}\n---\n"
    scanned = split_front_matter(text, PATH, share=True)
    scanned.data["tags"].append("changed by the scan")
    read = split_front_matter(text, PATH)
    assert read.data == {"tags": ["a"], "header": {"image": "/a.png"}}
    read.data["header"]["image"] = "changed by the reader"
    assert split_front_matter(text, PATH).data == {"tags": ["a"], "header": {"image": "/a.png"}}
    assert parses == {"libyaml": 2}  # the scan's, and the third read's: a shared parse is used once


def test_shared_front_matter_warns_again_for_the_reader(caplog: pytest.LogCaptureFixture) -> None:
    """The scan is quiet (a document's warnings are its reader's to give): the reader warns from the shared parse."""
    text = "---\ntitle: x\ndate: 2024-02-30\n---\n"
    logging.disable(logging.WARNING)
    try:
        split_front_matter(text, PATH, share=True)
    finally:
        logging.disable(logging.NOTSET)
    with caplog.at_level(logging.WARNING):
        assert split_front_matter(text, PATH).data["date"] == "2024-02-30"
    assert [record.getMessage() for record in caplog.records] == [
        f"{PATH}:3: '2024-02-30' is not a real date; kept as text, as Jekyll keeps it"
    ]


def test_a_reported_value_is_looked_up_once(tmp_path: Path, parses: Counter[str]) -> None:
    site = _site(tmp_path, {"2024-01-02-one.md": "---\ntitle: One\nheader: 7\n---\n"})
    parses.clear()
    with pytest.raises(DocumentError) as error:
        render_document(tmp_path / "_posts" / "2024-01-02-one.md", site)
    assert error.value.line == 3
    yaml = "title: One\nheader: 7\n"
    assert (front_matter_line(yaml, ("header",)), front_matter_line(yaml, ("title",))) == (3, 2)
    assert parses == {"libyaml": 1, "pure": 1}


def _aliases(count: int) -> str:
    """Front matter whose aliases expand to ``count`` × 10 nodes: a list of 9 scalars, used *count* times."""
    return "a: &a [x, x, x, x, x, x, x, x, x]\nb: [" + ", ".join(["*a"] * count) + "]\n"


def _pure_refuses(text: str) -> bool:
    yaml = YAML(typ="safe", pure=True)
    yaml.Composer = BoundedComposer
    try:
        yaml.load(text)
    except ComposerError:
        return True
    return False


def test_aliases_bounded_on_libyamls_tree_as_on_the_pure_composer() -> None:
    at_limit = _aliases(YAML_ALIAS_LIMIT // 10)
    assert not _pure_refuses(at_limit)
    data = split_front_matter(f"---\n{at_limit}---\n", PATH).data
    assert len(data["b"]) == YAML_ALIAS_LIMIT // 10 and data["b"][0] == ["x"] * 9
    beyond = _aliases(YAML_ALIAS_LIMIT // 10 + 1)
    assert _pure_refuses(beyond)
    with pytest.raises(DocumentError) as error:
        split_front_matter(f"---\n{beyond}---\n", PATH)
    assert str(error.value) == f"{PATH}:3: invalid YAML front matter: YAML aliases expand beyond {YAML_ALIAS_LIMIT} nodes"


def test_an_alias_inside_its_own_anchor() -> None:
    with pytest.raises(DocumentError) as error:
        split_front_matter("---\ntitle: x\nloop: &l {self: *l}\n---\n", PATH)
    assert str(error.value) == f"{PATH}:3: invalid YAML front matter: YAML alias *l is used inside its own anchor"


def _flow(levels: int) -> str:
    """A mapping holding lists in lists: *levels* collections nested, the innermost begun on the file's line 3."""
    return "title: x\nd: " + "[" * (levels - 1) + "]" * (levels - 1) + "\n"


def _block(levels: int) -> str:
    """The same in block style: level 1 (the mapping) begun on the file's line 2, level k > 1 on line k + 2."""
    return "title: x\nd:\n" + "".join("  " * level + "-\n" for level in range(levels - 1))


@pytest.mark.parametrize("nested", [_flow, _block])
def test_nesting_up_to_the_limit(nested: Any) -> None:
    data = load_yaml(nested(YAML_DEPTH_LIMIT), PATH, first_line=2)
    levels = 0
    while isinstance(data, (dict, list)):
        levels += 1
        data = data["d"] if isinstance(data, dict) else data[0] if data else None
    assert levels == YAML_DEPTH_LIMIT


@pytest.mark.parametrize(("nested", "line"), [(_flow, 3), (_block, 3 + YAML_DEPTH_LIMIT)])
def test_nesting_beyond_the_limit_is_refused_at_its_line(nested: Any, line: int) -> None:
    with pytest.raises(DocumentError) as error:
        load_yaml(nested(YAML_DEPTH_LIMIT + 1), PATH, first_line=2)
    assert str(error.value) == f"{PATH}:{line}: invalid YAML front matter: collections nested deeper than {YAML_DEPTH_LIMIT} levels"


def test_nesting_that_would_overflow_libyaml_is_refused() -> None:
    """200,000 ``[``: libyaml's recursive composer would overflow the stack (the process crashes)."""
    with pytest.raises(DocumentError) as error:
        load_yaml(_flow(200_000), Path("_data/deep.yml"), what="YAML")
    assert str(error.value) == f"_data/deep.yml:2: invalid YAML: collections nested deeper than {YAML_DEPTH_LIMIT} levels"
