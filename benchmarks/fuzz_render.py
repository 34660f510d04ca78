"""Fuzz ``render_document`` for many examples, outside pytest: the property of tests/test_fuzz.py.

Every example must render or raise the project's ``DocumentError`` within 5 s.  Unlike the test,
a crash does not stop the run: all examples are rendered, crashes are grouped by where they
are raised, and each group is then found again from the same seed and shrunk by Hypothesis
to a minimal input, printed with its traceback.  Examples over the time limit are shrunk the
same way.

Usage::

    python benchmarks/fuzz_render.py [--examples 10000] [--seed 0] [--slow 5] [--repeat 3000] [--no-shrink]
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
import tempfile
import time
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_fuzz import SLOW_SECONDS, Case, TooSlow, cases, make_sites, render_case  # noqa: E402

from pelican.plugins.palimpsest.jekyll.site import JekyllSite  # noqa: E402

HANG_SECONDS = 60.0  # an example still running after this is cut off and reported as a crash
PACKAGE = "palimpsest"


@dataclass
class Failure:
    """Examples failing the same way: first and minimal input, traceback, count."""

    signature: str
    first: Case
    trace: str
    count: int = 0
    minimal: Case | None = None
    minimal_trace: str = ""


@dataclass
class Run:
    examples: int = 0
    crashes: dict[str, Failure] = field(default_factory=dict)
    slow: list[tuple[float, Case]] = field(default_factory=list)


def signature(error: BaseException) -> str:
    """The exception type and the innermost line of the package (else of anything) that raised it."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if PACKAGE in frame.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    return f"{type(error).__name__} at {where}"


def outcome(sites: dict[str, JekyllSite], case: Case, limit: float) -> tuple[str | None, str, float]:
    """(crash signature or None, traceback, seconds) for one example."""
    start = time.perf_counter()
    try:
        _, seconds = render_case(sites, case, limit)
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # a crash: anything but a DocumentError (TooSlow included)
        return signature(error), "".join(traceback.format_exception(error)), time.perf_counter() - start
    return None, "", seconds


def options(examples: int, phases: tuple[Phase, ...]) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=phases,
        report_multiple_bugs=False,
    )


def explore(sites: dict[str, JekyllSite], examples: int, fuzz_seed: int, slow: float, repeat: int) -> Run:
    run = Run()

    @seed(fuzz_seed)
    @options(examples, (Phase.generate,))
    @given(case=cases(repeat))
    def property_(case: Case) -> None:
        run.examples += 1
        crash, trace, seconds = outcome(sites, case, HANG_SECONDS)
        if crash is None and seconds >= slow:
            run.slow.append((seconds, case))
        if crash is not None:
            failure = run.crashes.setdefault(crash, Failure(crash, case, trace))
            failure.count += 1
        if run.examples % 1000 == 0:
            print(f"  {run.examples} examples, {sum(f.count for f in run.crashes.values())} crashes", file=sys.stderr, flush=True)

    property_()
    return run


def shrink(sites: dict[str, JekyllSite], examples: int, fuzz_seed: int, wanted: str, slow: float, repeat: int) -> tuple[Case | None, str]:
    """Find *wanted* (a crash signature, or "slow") again from the same seed and let Hypothesis shrink it."""
    last: list[tuple[Case, str]] = []

    @seed(fuzz_seed)
    @options(examples, (Phase.generate, Phase.shrink))
    @given(case=cases(repeat))
    def property_(case: Case) -> None:
        crash, trace, seconds = outcome(sites, case, slow + 1 if wanted == "slow" else HANG_SECONDS)
        if crash == wanted or (wanted == "slow" and (seconds >= slow or (crash or "").startswith(TooSlow.__name__))):
            last.append((case, trace or f"{seconds:.1f} s"))
            raise AssertionError(wanted)

    with contextlib.suppress(AssertionError):
        property_()
    return last[-1] if last else (None, "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--slow", type=float, default=SLOW_SECONDS, help="seconds over which an example fails")
    parser.add_argument("--repeat", type=int, default=3000, help="most times one fragment is repeated in a long document")
    parser.add_argument("--no-shrink", action="store_true", help="print the first input of each crash, unshrunk")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)  # the documents' own warnings and errors are expected

    start = time.perf_counter()
    slow_minimal: tuple[Case | None, str] = (None, "")
    with tempfile.TemporaryDirectory(prefix="palimpsest-fuzz-") as folder:
        sites = make_sites(Path(folder))
        run = explore(sites, args.examples, args.seed, args.slow, args.repeat)
        explored = time.perf_counter() - start
        if not args.no_shrink:
            for failure in run.crashes.values():
                failure.minimal, failure.minimal_trace = shrink(sites, args.examples, args.seed, failure.signature, args.slow, args.repeat)
            if run.slow:
                slow_minimal = shrink(sites, args.examples, args.seed, "slow", args.slow, args.repeat)
    total = time.perf_counter() - start

    crashed = sum(failure.count for failure in run.crashes.values())
    print(f"examples run:       {run.examples}")
    print(f"crashes:            {crashed} in {len(run.crashes)} distinct place(s)")
    print(f"examples over {args.slow:g} s: {len(run.slow)}" + (f" (slowest {max(s for s, _ in run.slow):.1f} s)" if run.slow else ""))
    print(f"time:               {total:.1f} s ({explored:.1f} s exploring, seed {args.seed})")
    for failure in run.crashes.values():
        case, trace = (failure.minimal, failure.minimal_trace) if failure.minimal else (failure.first, failure.trace)
        label = "minimal input" if failure.minimal else "first input (not shrunk)"
        print(f"\n=== {failure.signature}: {failure.count} example(s)\n{label}: {case!r}\n{trace}")
    if slow_minimal[0] is not None:
        print(f"\n=== slow: minimal input: {slow_minimal[0]!r} ({slow_minimal[1]})")
    return 1 if run.crashes or run.slow else 0


if __name__ == "__main__":
    sys.exit(main())
