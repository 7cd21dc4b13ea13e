"""Repeat a call and summarise the samples: median and spread (IQR, min, max, stdev)."""
from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100) of already sorted values."""
    if not sorted_values:
        return math.nan
    pos = (len(sorted_values) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def summarize(values: Sequence[float]) -> dict:
    """n, median, p25, p75, min, max, mean, stdev of *values* (in the unit they are given)."""
    ordered = sorted(values)
    if not ordered:
        return {"n": 0}
    return {
        "n": len(ordered),
        "median": statistics.median(ordered),
        "p25": percentile(ordered, 25),
        "p75": percentile(ordered, 75),
        "min": ordered[0],
        "max": ordered[-1],
        "mean": statistics.fmean(ordered),
        "stdev": statistics.stdev(ordered) if len(ordered) > 1 else 0.0,
    }


def time_calls(fn: Callable[[], object], *, min_runs: int, max_runs: int, budget_s: float,
               warmup: int = 1, cpu: list | None = None) -> list[float]:
    """Seconds per call of *fn*: *warmup* untimed calls, then at least *min_runs* and at most
    *max_runs* timed calls, stopping early once *budget_s* seconds have been spent.  When a
    list is given as *cpu*, the CPU seconds of each call are appended to it (on a shared
    machine, CPU time is the figure other processes disturb least)."""
    for _ in range(warmup):
        fn()
    samples: list[float] = []
    clock, cpu_clock = time.perf_counter, time.process_time
    deadline = clock() + budget_s
    while len(samples) < max_runs:
        c0 = cpu_clock()
        start = clock()
        fn()
        end = clock()
        c1 = cpu_clock()
        samples.append(end - start)
        if cpu is not None:
            cpu.append(c1 - c0)
        if len(samples) >= min_runs and end >= deadline:
            break
    return samples


def scaled(summary: dict, factor: float) -> dict:
    """The same summary in another unit (e.g. seconds → milliseconds)."""
    return {k: (v * factor if k != "n" else v) for k, v in summary.items()}
