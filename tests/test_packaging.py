"""What the installed distribution declares: pytest and its plugins only in the ``testing``
extra, and a ``pytest11`` entry point that costs a pytest run nothing but itself."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys

import pytest
from packaging.requirements import Requirement

DISTRIBUTION = "pelican-palimpsest"
ENTRY_POINT = "pelican.plugins.palimpsest.testing.pytest_plugin"
TESTING_ONLY = {"pytest", "pytest-regressions"}
# What the entry point must not load: the pinning tests, the render stack, its parsers.
HEAVY = [
    "pelican.plugins.palimpsest.testing.pinning",
    "pelican.plugins.palimpsest.testing.canonical",
    "pelican.plugins.palimpsest.testing.conformance",
    "pelican.plugins.palimpsest.document",
    "pelican.plugins.palimpsest.kramdown",
    "markdown_it",
    "liquid",
    "bs4",
]


def requirements() -> list[Requirement]:
    return [Requirement(line) for line in importlib.metadata.requires(DISTRIBUTION) or []]


def extras_needing(requirement: Requirement) -> set[str]:
    """The extras under which *requirement* is installed ("" for a base dependency)."""
    extras = set(importlib.metadata.metadata(DISTRIBUTION).get_all("Provides-Extra") or [])
    if requirement.marker is None:
        return {""}
    return {extra for extra in {"", *extras} if requirement.marker.evaluate({"extra": extra})}


@pytest.mark.parametrize("name", sorted(TESTING_ONLY))
def test_pytest_is_only_in_the_testing_extra(name: str) -> None:
    found = [r for r in requirements() if r.name == name]
    assert found, f"{name} is not declared at all"
    assert [extras_needing(r) for r in found] == [{"testing"}] * len(found), [str(r) for r in found]


def test_base_dependencies_have_no_test_tools() -> None:
    base = {r.name for r in requirements() if "" in extras_needing(r)}
    assert "pelican" in base
    assert not base & TESTING_ONLY


def test_dev_extra_includes_testing_and_bench() -> None:
    """The development environment has the test tools and the benchmark's (Hugo, psutil)."""
    dev = [r for r in requirements() if r.name == DISTRIBUTION and extras_needing(r) == {"dev"}]
    assert [r.extras for r in dev] == [{"testing", "bench"}]


def test_bench_tools_only_in_the_bench_extra() -> None:
    for name in ("hugo", "psutil"):
        found = [r for r in requirements() if r.name == name]
        assert found and [extras_needing(r) for r in found] == [{"bench"}], [str(r) for r in found]


def test_pytest11_entry_point_is_the_testing_plugin() -> None:
    found = [ep for ep in importlib.metadata.entry_points(group="pytest11") if ep.dist and ep.dist.name == DISTRIBUTION]
    assert [(ep.name, ep.value) for ep in found] == [("palimpsest", ENTRY_POINT)]


def test_entry_point_loads_nothing_but_itself() -> None:
    """Imported in a fresh interpreter, the plugin module pulls in none of the render stack."""
    script = f"import json, sys; import {ENTRY_POINT}; print(json.dumps(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    loaded = set(json.loads(run.stdout))
    assert ENTRY_POINT in loaded
    assert sorted(loaded & {*HEAVY, "pytest_regressions"}) == []


def test_a_pytest_run_without_a_site_does_not_load_the_pinning(pytester: pytest.Pytester) -> None:
    """In a project that does not pin a site, the installed plugin stays idle."""
    pytester.makepyfile(
        f"""
        import sys

        def test_idle(pytestconfig):
            assert pytestconfig.pluginmanager.has_plugin("palimpsest")
            assert sorted(set(sys.modules) & {set(HEAVY)!r}) == []
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
