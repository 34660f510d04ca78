"""Work spread over worker processes, results in input order, so that a parallel build says and writes
exactly what a serial one does.

Workers are forked: they start with what the parent has loaded (the site, the
render stack), and neither the function nor the items are pickled; only
results travel back.  Each item's log records are captured in the worker and
come back with its result (:class:`Outcome`), to be said by the parent in input
order.  Nothing is lost and nothing hangs: an exception raised by the function
comes back as the item's outcome; one that cannot travel (not picklable), a
result that cannot, a worker that died (``BrokenProcessPool``): the item is run
again in the parent, which then raises or logs exactly what a serial run would.
"""

from __future__ import annotations

import gc
import logging
import math
import multiprocessing
import os
import pickle
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .logs import capture, replay

if TYPE_CHECKING:
    from concurrent.futures import Future

logger = logging.getLogger(__name__)

__all__ = ["JOBS_SETTING", "MIN_ITEMS", "Outcome", "default_jobs", "jobs_from", "map_ordered", "map_outcomes"]

T = TypeVar("T")
R = TypeVar("R")

JOBS_SETTING = "PALIMPSEST_JOBS"
MAX_DEFAULT_JOBS = 8  # beyond this, a blog's build is bound by the parent's own (serial) work
MIN_ITEMS = 16  # fewer items than this run serially: a pool costs more than it saves


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity, else the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_jobs() -> int:
    """One worker per available CPU, at most :data:`MAX_DEFAULT_JOBS`."""
    return max(1, min(available_cpus(), MAX_DEFAULT_JOBS))


def jobs_from(settings: Mapping[str, Any]) -> int:
    """The number of worker processes of a build: ``PALIMPSEST_JOBS`` (1 is serial; 0 or unset is
    :func:`default_jobs`); a value that is not a whole number is reported and the default used."""
    value = settings.get(JOBS_SETTING)
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value == 0):
        return default_jobs()
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    logger.warning("%s must be a whole number of processes (0: one per CPU), not %r: using %d", JOBS_SETTING, value, default_jobs())
    return default_jobs()


def can_fork() -> bool:
    """Whether worker processes can be forked here (not on Windows, nor where ``fork`` is unavailable)."""
    return sys.platform != "win32" and "fork" in multiprocessing.get_all_start_methods()


@dataclass
class Outcome(Generic[R]):
    """One item's result: its *value*, or the *error* it raised; and the log *records* it produced,
    not yet said (:meth:`replay`)."""

    value: R | None = None
    error: BaseException | None = None
    records: list[logging.LogRecord] = field(default_factory=list)

    def replay(self) -> None:
        """Say the item's log records now (once)."""
        records, self.records = self.records, []
        replay(records)

    def get(self) -> R:
        """The value, or the item's exception raised."""
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]  # None is a value when R allows it


def run_captured(fn: Callable[[T], R], item: T) -> Outcome[R]:
    """*fn(item)* with its log records captured, its exception kept."""
    with capture() as records:
        try:
            outcome: Outcome[R] = Outcome(fn(item))
        except Exception as err:
            outcome = Outcome(error=err)
    outcome.records = records
    return outcome


def map_outcomes(fn: Callable[[T], R], items: Sequence[T], jobs: int, *, min_items: int = MIN_ITEMS) -> list[Outcome[R]]:
    """Each item's :class:`Outcome`, in input order, from *jobs* worker processes (in this process when
    *jobs* is 1, there are fewer than *min_items* items, or processes cannot be forked).  Log records
    are captured, serial or not: the caller says them (:meth:`Outcome.replay`) where it wants them said."""
    if jobs <= 1 or len(items) < max(min_items, 2) or not can_fork():
        return [run_captured(fn, item) for item in items]
    return _in_workers(fn, items, jobs)


def map_ordered(fn: Callable[[T], R], items: Sequence[T], jobs: int, *, min_items: int = MIN_ITEMS) -> list[R]:
    """``[fn(item) for item in items]``, computed by *jobs* worker processes.  Log records are said, and
    the first exception raised, in input order: what a serial loop would say and raise."""
    results = []
    for outcome in map_outcomes(fn, items, jobs, min_items=min_items):
        outcome.replay()
        results.append(outcome.get())
    return results


# What a forked worker runs: set by the pool's initializer, inherited, never pickled.
_WORK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
_RERUN = b""  # a worker's answer for an item the parent must run itself


def _start_worker(fn: Callable[[Any], Any], items: Sequence[Any]) -> None:
    global _WORK
    _WORK = (fn, items)
    gc.unfreeze()
    for name in list(logging.Logger.manager.loggerDict):  # nothing said by a worker: it all goes back
        candidate = logging.Logger.manager.loggerDict[name]
        if isinstance(candidate, logging.Logger):
            candidate.handlers.clear()
            candidate.propagate = True


def _run_chunk(start: int, stop: int) -> list[bytes]:
    """Items *start* to *stop*, each outcome pickled on its own (:data:`_RERUN` if it cannot be)."""
    assert _WORK is not None
    fn, items = _WORK
    answers = []
    for index in range(start, stop):
        outcome = run_captured(fn, items[index])
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.loads(data)  # an exception whose class cannot be rebuilt from its pickle
        except Exception:
            data = _RERUN
        answers.append(data)
    return answers


def _chunks(count: int, jobs: int) -> list[tuple[int, int]]:
    """About four chunks per worker: few messages, and a slow chunk does not leave the others idle."""
    size = max(1, math.ceil(count / (jobs * 4)))
    return [(start, min(start + size, count)) for start in range(0, count, size)]


def _in_workers(fn: Callable[[T], R], items: Sequence[T], jobs: int) -> list[Outcome[R]]:
    """The first item is run here before the workers are forked: what it loads on first use (the
    render stack's modules, the Liquid environment, compiled patterns, locale data) is then loaded
    once, by the parent, and inherited by every worker, instead of loaded again by each."""
    from concurrent.futures import ProcessPoolExecutor

    outcomes: list[Outcome[R] | None] = [None] * len(items)
    outcomes[0] = run_captured(fn, items[0])
    chunks = [(start + 1, stop + 1) for start, stop in _chunks(len(items) - 1, jobs)]
    gc.freeze()  # the workers' garbage collector leaves the parent's objects (and their pages) alone
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(jobs, len(chunks)), mp_context=context, initializer=_start_worker, initargs=(fn, items)) as pool:
            futures: list[Future[list[bytes]]] = [pool.submit(_run_chunk, start, stop) for start, stop in chunks]
            broken = False
            for (start, _stop), future in zip(chunks, futures, strict=True):
                try:
                    answers = future.result()
                except Exception as err:  # a worker died, or the chunk's answers could not travel
                    if not broken and "Broken" in type(err).__name__:
                        broken = True
                        logger.warning("a worker process stopped (%s): its work is done in the main process", err)
                    continue
                for offset, data in enumerate(answers):
                    if data != _RERUN:
                        outcomes[start + offset] = pickle.loads(data)
    finally:
        gc.unfreeze()
    return [outcome if outcome is not None else run_captured(fn, items[index]) for index, outcome in enumerate(outcomes)]
