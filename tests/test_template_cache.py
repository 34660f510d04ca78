"""Compiled templates kept between builds (build/templates.py): used again only when the template,
the environment's options and its filters are the same; a damaged file is compiled over."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jinja2 import DictLoader, Environment

from pelican.plugins.palimpsest.build.templates import TEMPLATES_FOLDER, CompiledTemplates, environment_key, keep_compiled

from .test_parallel import build, make_site, tree

TEMPLATE = "{% for x in items %}<{{ x | shout }}>{% endfor %}\n"


def environment(folder: Path, templates: dict[str, str] | None = None, **options: Any) -> Environment:
    env = Environment(loader=DictLoader(templates or {"page.html": TEMPLATE}), **options)
    env.filters["shout"] = lambda value: str(value).upper() + "!"
    keep_compiled(env, folder)
    return env


def kept(folder: Path) -> list[Path]:
    return sorted((folder / TEMPLATES_FOLDER).glob("*.jinja"))


def test_compiled_once_then_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = environment(tmp_path)
    assert first.get_template("page.html").render(items=["a", "b"]) == "<A!><B!>"
    assert len(kept(tmp_path)) == 1
    compiled: list[str] = []
    second = environment(tmp_path)
    monkeypatch.setattr(second, "compile", lambda *args, **kwargs: compiled.append("again"))
    assert second.get_template("page.html").render(items=["c"]) == "<C!>"
    assert compiled == []  # the kept code was used: compile() would have broken the render


def test_no_reload_check_during_a_build(tmp_path: Path) -> None:
    env = environment(tmp_path)
    assert env.auto_reload is False


def test_source_changed_compiles_again(tmp_path: Path) -> None:
    environment(tmp_path).get_template("page.html").render(items=["a"])
    changed = environment(tmp_path, {"page.html": "[{{ items | length }}]"})
    assert changed.get_template("page.html").render(items=["a", "b"]) == "[2]"


@pytest.mark.parametrize(
    "options",
    [{"trim_blocks": True}, {"variable_start_string": "<<", "variable_end_string": ">>"}, {"keep_trailing_newline": True}],
    ids=["trim_blocks", "delimiters", "trailing newline"],
)
def test_other_options_other_key(tmp_path: Path, options: dict[str, Any]) -> None:
    plain = environment(tmp_path)
    other = environment(tmp_path, **options)
    assert environment_key(plain) != environment_key(other)
    plain.get_template("page.html").render(items=[])
    other.get_template("page.html").render(items=[])
    assert len(kept(tmp_path)) == 2


def test_other_filters_other_key(tmp_path: Path) -> None:
    env = environment(tmp_path)
    before = environment_key(env)
    env.filters["whisper"] = str.lower
    assert environment_key(env) != before


def test_autoescape_is_part_of_the_key(tmp_path: Path) -> None:
    templates = {"page.html": "{{ text }}"}
    environment(tmp_path, templates, autoescape=False).get_template("page.html").render(text="<b>")
    escaped = environment(tmp_path, templates, autoescape=True)
    assert escaped.get_template("page.html").render(text="<b>") == "&lt;b&gt;"


@pytest.mark.parametrize("damage", [b"", b"garbage", b"j2\x80\x04garbage"], ids=["empty", "garbage", "bad pickle"])
def test_damaged_file_is_compiled_over(tmp_path: Path, damage: bytes) -> None:
    environment(tmp_path).get_template("page.html").render(items=[])
    (path,) = kept(tmp_path)
    path.write_bytes(damage)
    assert environment(tmp_path).get_template("page.html").render(items=["z"]) == "<Z!>"


def test_unwritable_cache_is_no_error(tmp_path: Path) -> None:
    (tmp_path / ".palimpsest-cache").write_text("a file where the folder would be", encoding="utf-8")
    assert environment(tmp_path).get_template("page.html").render(items=["a"]) == "<A!>"


def test_cache_class_keys_by_name(tmp_path: Path) -> None:
    env = environment(tmp_path)
    cache = CompiledTemplates(env, tmp_path)
    assert cache.get_cache_key("a.html", "/x/a.html") != cache.get_cache_key("b.html", "/x/b.html")


def test_rebuild_with_compiled_templates_writes_the_same(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    site = make_site(tmp_path)
    output = tmp_path / "out"
    build(site, output, caplog)
    assert kept(output), "the build kept no compiled template"
    build(site, output, caplog)
    build(site, tmp_path / "cold", caplog)
    assert tree(output) == tree(tmp_path / "cold")
