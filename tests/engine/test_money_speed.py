"""The money stage runs in linear time, also on adversarial text.

Timings use CPU time (process_time), best of three, so a busy machine does not fail them;
the bounds are loose. Speed targets themselves live in `make bench`, not in tests.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from service.engine.money import find_money, find_quantities

REPO = Path(__file__).resolve().parents[2]

ADVERSARIAL = {
    "digit run": "7" * 50_000,
    "comma digits": "1," * 25_000,
    "scale words": "million " * 6_000,
    "dollar signs": "$" * 50_000,
    "no spaces": "a1b2$3m€4bn" * 4_500,
    "number words": "one hundred " * 4_000,
    "vague words": "tens of millions of " * 2_500,
    "kr tokens": "kr kr. Kr " * 5_000,
    "dense amounts": "$1,000 and 5 million euros (about $5.4 million), " * 1_000,
}


def _cpu_time(fn, text, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn(text)
        best = min(best, time.process_time() - t0)
    return best


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_linear_time(name):
    small = ADVERSARIAL[name]
    large = small * 10
    t_small = max(_cpu_time(find_money, small), 1e-3)
    t_large = _cpu_time(find_money, large)
    # 10x the input may cost about 10x the time (quadratic would be ~100x); allow noise
    assert t_large <= 20 * t_small + 0.05, (name, t_small, t_large)


def test_quantities_linear_time():
    small = "1,000 anti-tank weapons and 2,000 tonnes of food. " * 1_000
    t_small = max(_cpu_time(find_quantities, small), 1e-3)
    t_large = _cpu_time(find_quantities, small * 10)
    assert t_large <= 20 * t_small + 0.05
