"""Front matter values turned into text as Jekyll's Liquid prints them.

Every expected string was printed by Ruby 3 / Jekyll 4.3 (``ruby -e 'p [...].map(&:to_s)'`` and
``{{ page.title }}`` of ``title: [a, [b, c], 1, true, null, 2.50, 1.0e+20]``).
"""

from __future__ import annotations

import datetime as dt

import pytest

from pelican.plugins.palimpsest.jekyll.values import ruby_text

RUBY_FLOATS = {
    1e15: "1.0e+15",
    1e16: "1.0e+16",
    123456789012345.0: "123456789012345.0",
    1234567890123456.0: "1.234567890123456e+15",
    0.0001: "0.0001",
    0.00001: "1.0e-05",
    100.0: "100.0",
    -0.0: "-0.0",
    1.5e300: "1.5e+300",
    float("inf"): "Infinity",
    2.5: "2.5",
    -3.25e-7: "-3.25e-07",
}


@pytest.mark.parametrize(("value", "text"), RUBY_FLOATS.items())
def test_floats_as_ruby_prints_them(value: float, text: str) -> None:
    assert ruby_text(value) == text


def test_a_list_as_jekylls_liquid_prints_it() -> None:
    assert ruby_text(["a", ["b", "c"], 1, True, None, 2.50, 1.0e20]) == "abc1true2.51.0e+20"


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (False, "false"), (7, "7"), (dt.date(2024, 1, 2), "2024-01-02"), ("as is", "as is")],
)
def test_scalars(value: object, text: str) -> None:
    assert ruby_text(value) == text
