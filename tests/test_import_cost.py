"""Importing the plugin (as Pelican's discovery and every ``register()`` does) costs only what
``register()`` needs: the render stack loads when a document is read, not before.  (The pytest
entry point is checked in test_packaging.py.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RENDER_STACK = ("markdown_it", "mdit_py_plugins", "liquid", "ruamel", "pygments", "babel", "bs4", "pytest")


def _imported_modules(statement: str) -> set[str]:
    """The modules a fresh interpreter imports to run *statement* (from ``-X importtime``)."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", statement], capture_output=True, text=True, check=True)
    return {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


def test_importing_the_plugin_loads_no_render_stack() -> None:
    pelican_alone = _imported_modules("import pelican")
    added = _imported_modules("import pelican.plugins.palimpsest") - pelican_alone
    loaded = sorted(module for module in added if module.split(".")[0] in RENDER_STACK)
    assert not loaded, f"importing the plugin loads {loaded}"
    assert added <= {"pelican.plugins.palimpsest", "pelican.plugins.palimpsest.features"}, sorted(added)


PLAIN_POST = """---
title: Plain
---
A paragraph with *emphasis*, a [link](https://example.org), a colon: and a {: .notice} IAL.
{: .notice--info}
"""


def test_a_plain_document_loads_no_liquid_math_or_emoji(tmp_path: Path) -> None:
    """A post with no formula, no shortcode and no Liquid markup (an IAL's ``{`` is not Liquid), on a
    site with jemoji and comparison tables on: python-liquid, latex2mathml and emoji are not loaded."""
    post = tmp_path / "_posts" / "2024-01-01-plain.md"
    post.parent.mkdir()
    post.write_text(PLAIN_POST, encoding="utf-8")
    (tmp_path / "_config.yml").write_text("title: T\nplugins: [jemoji]\n", encoding="utf-8")
    statement = f"""
from pathlib import Path
from pelican.plugins.palimpsest.jekyll.site import JekyllSite
from pelican.plugins.palimpsest.document import render_document
html = render_document(Path({str(post)!r}), JekyllSite.load(Path({str(tmp_path)!r}))).html
assert 'class="notice--info"' in html, html
"""
    loaded = {module.split(".")[0] for module in _imported_modules(statement)}
    assert not {"liquid", "latex2mathml", "emoji"} & loaded
