"""Worker processes (build/workers.py): results, errors and log records in input order, as a serial run."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from pelican.plugins.palimpsest.build.workers import JOBS_SETTING, default_jobs, jobs_from, map_ordered, map_outcomes
from pelican.plugins.palimpsest.errors import DocumentError

PARENT = os.getpid()


def _square_and_say(number: int) -> tuple[int, int]:
    logging.getLogger("palimpsest.test").warning("item %d", number)
    return number * number, os.getpid()


def _fail_on_odd(number: int) -> int:
    if number % 2:
        raise DocumentError(Path(f"/site/_posts/{number}.md"), number, "odd")  # not picklable as it is
    if number == 10:
        raise ValueError("ten")
    return number


def _die_in_worker(number: int) -> int:
    if number == 5 and os.getpid() != PARENT:
        os._exit(3)  # a worker killed mid-work
    return number + 1


def test_results_and_records_in_input_order(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    results = map_ordered(_square_and_say, list(range(40)), 2, min_items=2)
    assert [value for value, _pid in results] == [n * n for n in range(40)]
    assert len({pid for _value, pid in results} - {PARENT}) >= 1  # really in other processes
    assert [record.getMessage() for record in caplog.records] == [f"item {n}" for n in range(40)]


def test_serial_when_one_job_or_few_items() -> None:
    assert {pid for _value, pid in map_ordered(_square_and_say, list(range(40)), 1)} == {PARENT}
    assert {pid for _value, pid in map_ordered(_square_and_say, list(range(3)), 2, min_items=4)} == {PARENT}


def test_errors_come_back_per_item() -> None:
    outcomes = map_outcomes(_fail_on_odd, list(range(12)), 2, min_items=2)
    assert [o.value for o in outcomes if o.error is None] == [0, 2, 4, 6, 8]
    errors = [o.error for o in outcomes]
    assert isinstance(errors[3], DocumentError) and str(errors[3]) == "/site/_posts/3.md:3: odd"
    assert isinstance(errors[10], ValueError) and str(errors[10]) == "ten"
    with pytest.raises(DocumentError, match=r"1\.md:1: odd"):  # the first in input order
        map_ordered(_fail_on_odd, list(range(12)), 2, min_items=2)


def test_a_dead_worker_loses_nothing(caplog: pytest.LogCaptureFixture) -> None:
    assert map_ordered(_die_in_worker, list(range(30)), 2, min_items=2) == [n + 1 for n in range(30)]
    assert any("worker process stopped" in record.getMessage() for record in caplog.records)


def test_jobs_setting() -> None:
    assert jobs_from({JOBS_SETTING: 3}) == 3
    assert jobs_from({JOBS_SETTING: 1}) == 1
    assert jobs_from({}) == default_jobs() == jobs_from({JOBS_SETTING: 0})
    assert jobs_from({JOBS_SETTING: "many"}) == default_jobs()
