"""In-process figures: engine time per document, throughput, scaling, money stage, import time."""
from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Sequence

from . import corpus
from .stats import scaled, summarize, time_calls

MB = 1_000_000  # throughput in decimal megabytes per second


def _timed_doc(fn: Callable[[str, object], object], doc: corpus.Doc, runs: tuple[int, int, float]) -> dict:
    min_runs, max_runs, budget_s = runs
    cpu: list[float] = []
    samples = time_calls(lambda: fn(doc.text, doc.published_at), min_runs=min_runs,
                         max_runs=max_runs, budget_s=budget_s, cpu=cpu)
    summary = scaled(summarize(samples), 1000.0)  # milliseconds
    return {"id": doc.id, "bytes": doc.nbytes, "ms": summary, "cpu_ms": scaled(summarize(cpu), 1000.0),
            "mb_per_s": doc.nbytes / MB / (summary["median"] / 1000.0)}


def engine_times(docs: Sequence[corpus.Doc], runs: tuple[int, int, float]) -> list[dict]:
    """Milliseconds per extract_pledges call for each document (median and spread)."""
    from service.engine import extract_pledges
    return [_timed_doc(extract_pledges, doc, runs) for doc in docs]


def money_times(docs: Sequence[corpus.Doc], runs: tuple[int, int, float]) -> list[dict]:
    """The money stage alone (service.engine.money.find_money) on each document."""
    from service.engine.money import find_money
    return [_timed_doc(lambda text, _published: find_money(text), doc, runs) for doc in docs]


def per_passage(results: Sequence[dict]) -> dict:
    """Aggregate of per-document medians: their median, mean and sum (ms)."""
    medians = [r["ms"]["median"] for r in results]
    if not medians:
        return {"n": 0}
    return {"n": len(medians), "median_of_medians": summarize(medians)["median"],
            "mean_of_medians": sum(medians) / len(medians), "sum_of_medians": sum(medians),
            "bytes": sum(r["bytes"] for r in results)}


_IMPORT_PROBE = r"""
import json, time
t0 = time.perf_counter()
import service.engine.assemble  # every stage module and the data files they read at import
t1 = time.perf_counter()
from service.engine import extract_pledges
extract_pledges("warm-up")  # anything a stage still loads on first use
t2 = time.perf_counter()
import service.wsgi  # Flask app factory, schemas, spec, engine warm-up: what a worker preloads
t3 = time.perf_counter()
print(json.dumps({"engine_import_ms": (t1 - t0) * 1e3, "first_call_ms": (t2 - t1) * 1e3,
                  "app_import_ms": (t3 - t2) * 1e3}))
"""


def import_times(repeats: int) -> dict:
    """Engine import, first call and app import, each in a fresh interpreter (ms), *repeats* times."""
    rows = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", _IMPORT_PROBE], cwd=corpus.REPO, check=False,
                             capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise RuntimeError(f"import probe failed: {out.stderr.strip().splitlines()[-1:]}")
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {key: summarize([r[key] for r in rows]) for key in rows[0]}
