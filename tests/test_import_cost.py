"""Importing the plugin (as Pelican's discovery and every ``register()`` does) costs only what
``register()`` needs: the render stack loads when a document is read, not before.  (The pytest
entry point is checked in test_packaging.py.)"""

from __future__ import annotations

import subprocess
import sys

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
