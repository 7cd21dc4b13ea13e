"""HTTP figures through gunicorn on 127.0.0.1: seed and batch load, worker memory over 10,000 requests.

One server for the whole section, started as shipped (gunicorn.conf.py, default worker count)
except `--max-requests 0`: the shipped config recycles a worker after ~2,000 requests, which
would hide any growth over 10,000 requests; with recycling off the same workers serve them all.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import IO

from . import corpus, load
from .server import Gunicorn, expected_workers, memory_mb
from .stats import summarize

CONCURRENCY = 16
BATCH_DOCUMENTS = 100
# The HTTP floor: a text whose engine time is negligible (~0.1 ms), so the workers' CPU per
# request is what gunicorn, Flask, validation, serialisation, metrics and logging cost.
FLOOR_TEXT = "Japan pledged $5 million in humanitarian aid."


@dataclass(frozen=True)
class HttpBudget:
    warmup_requests: int = 200
    rounds: int = 4                 # seed load in rounds: spread over rounds, memory between them
    requests_per_round: int = 2500  # 4 x 2,500 = the 10,000 requests of the memory figure
    batch_rounds: int = 3
    batch_requests_per_round: int = 16
    floor_requests: int = 1000      # a one-sentence text: what a request costs besides the engine
    max_seconds_per_round: float = 60.0


def seed_body(doc: corpus.Doc) -> bytes:
    return json.dumps({"text": doc.text, "published_at": doc.published_at}).encode()


def batch_body(doc: corpus.Doc, count: int = BATCH_DOCUMENTS) -> bytes:
    docs = [{"id": f"{doc.id}-{i}", "text": doc.text, "published_at": doc.published_at} for i in range(count)]
    return json.dumps({"documents": docs}).encode()


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of *pid* so far."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _memory(pids: list[int]) -> dict:
    return {str(pid): memory_mb(pid) for pid in pids}


def _round_summary(rounds: list[dict]) -> dict:
    """Median and spread over rounds of requests/s and p50/p95/p99; and the same pooled over
    every request of every round (the figures the targets are judged on)."""
    out = {"requests_per_s": summarize([r["requests_per_s"] for r in rounds])}
    for q in ("p50", "p95", "p99"):
        out[f"{q}_ms"] = summarize([r["latency_ms"][q] for r in rounds if q in r["latency_ms"]])
    pooled = sorted(x for r in rounds for x in r.pop("_latencies_ms"))
    wall = sum(r["wall_s"] for r in rounds)
    out["pooled"] = {
        "requests": len(pooled), "ok": sum(r["ok"] for r in rounds),
        "errors": sum(sum(r["errors"].values()) for r in rounds),
        "requests_per_s": sum(r["ok"] for r in rounds) / wall if wall else 0.0,
        **{f"p{q}_ms": load.nearest_rank(pooled, q) for q in (50, 95, 99)},
        "max_ms": pooled[-1] if pooled else None,
        # CPU per answered request, summed over the workers, and over this client process
        "server_cpu_ms_per_request": sum(r["server_cpu_ms_per_request"] * r["completed"] for r in rounds)
        / max(len(pooled), 1),
        "client_cpu_ms_per_request": sum(r["client_cpu_s"] for r in rounds) * 1000 / max(len(pooled), 1),
    }
    return out


def _loaded(server: Gunicorn, pids: list[int], body: bytes, path: str, total: int, budget: HttpBudget) -> dict:
    cpu0 = sum(_cpu_s(p) for p in pids)
    result = load.run(server.port, path, body, total=total, concurrency=CONCURRENCY,
                      max_seconds=budget.max_seconds_per_round)
    result["server_cpu_ms_per_request"] = ((sum(_cpu_s(p) for p in pids) - cpu0) * 1000
                                           / max(result["completed"], 1))
    return result


def run(budget: HttpBudget, doc: corpus.Doc, log: IO | None = None, say=print) -> dict:
    seed, batch = seed_body(doc), batch_body(doc)
    with Gunicorn(extra_args=["--max-requests", "0"], log=log) as server:
        ready_s = server.wait_ready()
        pids = server.wait_workers(expected_workers())
        say(f"  gunicorn ready in {ready_s:.2f} s, workers {pids}; warm-up {budget.warmup_requests} requests")
        _loaded(server, pids, seed, "/v1/extract", budget.warmup_requests, budget).pop("_latencies_ms")
        memory = [{"after_requests": 0, "workers": _memory(pids)}]
        rounds, served = [], 0
        for i in range(budget.rounds):
            r = _loaded(server, pids, seed, "/v1/extract", budget.requests_per_round, budget)
            served += r["completed"]
            rounds.append(r)
            memory.append({"after_requests": served, "workers": _memory(pids)})
            say(f"  seed round {i + 1}/{budget.rounds}: {r['requests_per_s']:.0f} req/s, "
                f"p99 {r['latency_ms'].get('p99', float('nan')):.1f} ms, {r['completed']} done")
        batches = []
        for i in range(budget.batch_rounds):
            b = _loaded(server, pids, batch, "/v1/extract/batch", budget.batch_requests_per_round, budget)
            b["documents_per_s"] = b["requests_per_s"] * BATCH_DOCUMENTS
            batches.append(b)
            say(f"  batch round {i + 1}/{budget.batch_rounds}: {b['requests_per_s']:.2f} req/s "
                f"({b['documents_per_s']:.0f} docs/s), p99 {b['latency_ms'].get('p99', float('nan')):.0f} ms")
        tiny = json.dumps({"text": FLOOR_TEXT, "published_at": doc.published_at}).encode()
        floor = _loaded(server, pids, tiny, "/v1/extract", budget.floor_requests, budget)
        floor.pop("_latencies_ms")
        say(f"  one-sentence texts: {floor['requests_per_s']:.0f} req/s, "
            f"server CPU {floor['server_cpu_ms_per_request']:.2f} ms per request")
        after_batch = _memory(pids)
        pids_after = server.worker_pids()
    return {
        "concurrency": CONCURRENCY, "workers": len(pids), "worker_pids_stable": pids_after == pids,
        "server_args": ["--max-requests", "0"], "seed_bytes": doc.nbytes,
        "seed": {"rounds": rounds, **_round_summary(rounds)},
        "batch": {"documents_per_request": BATCH_DOCUMENTS, "rounds": batches, **_round_summary(batches),
                  "documents_per_s": summarize([b["documents_per_s"] for b in batches])},
        "floor": floor,
        "memory": _memory_summary(memory, after_batch),
    }


def _memory_summary(series: list[dict], after_batch: dict) -> dict:
    """Worst worker: VmRSS and VmHWM after warm-up and after the last seed round, and the growth."""
    first, last = series[0]["workers"], series[-1]["workers"]
    growth = {pid: last[pid]["VmRSS"] - first[pid]["VmRSS"] for pid in first if pid in last}
    return {
        "series": series,
        "after_batch": after_batch,
        "requests": series[-1]["after_requests"],
        "rss_after_warmup_mb": max(w["VmRSS"] for w in first.values()),
        "hwm_after_warmup_mb": max(w["VmHWM"] for w in first.values()),
        "rss_after_requests_mb": max(w["VmRSS"] for w in last.values()),
        "hwm_after_requests_mb": max(w["VmHWM"] for w in last.values()),
        "rss_growth_mb": max(growth.values()) if growth else None,
        "hwm_after_batch_mb": max(w["VmHWM"] for w in after_batch.values()),
    }
