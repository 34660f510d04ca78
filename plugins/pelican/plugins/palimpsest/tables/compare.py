"""What changed between versions of a table, row by row (matched by the table's key)."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Table, Version
from .periods import Shift, parse_period, shift


@dataclass(frozen=True)
class ComparedRow:
    """One key across the compared versions.

    *rows* holds the row in each version, None where the version lacks it;
    *state* is one of :data:`words.STATES`, or None when the first and last
    versions agree.
    """

    key: str
    rows: list[dict[str, str] | None]
    state: str | None


def cell_shift(old: str, new: str) -> Shift | None:
    """How far a date or period moved from *old* to *new*; None when either is not one."""
    before, after = parse_period(old), parse_period(new)
    return shift(before, after) if before is not None and after is not None else None


def compare(table: Table, versions: list[Version]) -> list[ComparedRow]:
    """One entry per key found in any of *versions*, in the order keys first appear."""
    keys = list(dict.fromkeys(row[table.key] for version in versions for row in version.rows))
    values = [column.id for column in table.columns if column.id != table.key]
    compared = []
    for key in keys:
        rows = [version.row(key, table.key) for version in versions]
        compared.append(ComparedRow(key, rows, _state(rows[0], rows[-1], values)))
    return compared


def _state(first: dict[str, str] | None, last: dict[str, str] | None, values: list[str]) -> str | None:
    """Added, removed, postponed, advanced or changed, between the first and last versions.

    A row that only the versions in between have is "changed", and so is one
    whose dates moved both ways or whose cells changed with no date moving.
    """
    if first is None or last is None:
        return "added" if last is not None else "removed" if first is not None else "changed"
    changed = [column for column in values if first[column] != last[column]]
    if not changed:
        return None
    directions = {moved.later for column in changed if (moved := cell_shift(first[column], last[column])) is not None}
    if directions == {True}:
        return "postponed"
    if directions == {False}:
        return "advanced"
    return "changed"


def counts(rows: list[ComparedRow]) -> dict[str, int]:
    """How many rows are in each state, for the summary line."""
    tally: dict[str, int] = {}
    for row in rows:
        if row.state is not None:
            tally[row.state] = tally.get(row.state, 0) + 1
    return tally
