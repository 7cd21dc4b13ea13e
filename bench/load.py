"""A bounded HTTP load generator: a fixed number of POSTs from N threads to 127.0.0.1 only.

Each thread keeps its connection while the server allows (gunicorn's sync workers close after
every response, so in practice every request opens a new connection, as real clients would).
"""
from __future__ import annotations

import http.client
import itertools
import os
import threading
import time
from collections import Counter

from .stats import summarize

HOST = "127.0.0.1"  # never anything else: this generator is for the local service only


def run(port: int, path: str, body: bytes, *, total: int, concurrency: int, max_seconds: float,
        timeout: float = 30.0) -> dict:
    """POST *body* to *path* *total* times with *concurrency* threads; stop issuing at *max_seconds*.

    Returns completed count, errors, status counts, wall seconds, requests/s, latency summary
    (ms, with p95/p99), and the CPU seconds this client process spent (it shares the machine)."""
    headers = {"Content-Type": "application/json", "Content-Length": str(len(body))}
    tickets = itertools.count()  # next() on a count is atomic under the GIL
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors: Counter = Counter()
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + max_seconds

    def worker() -> None:
        conn = None
        local_lat, local_status, local_err = [], Counter(), Counter()
        while next(tickets) < total and time.perf_counter() < deadline:
            t0 = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
                conn.request("POST", path, body, headers)
                response = conn.getresponse()
                response.read()
                local_lat.append(time.perf_counter() - t0)
                local_status[response.status] += 1
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as exc:
                local_err[type(exc).__name__] += 1
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()
        with lock:
            latencies.extend(local_lat)
            statuses.update(local_status)
            errors.update(local_err)

    cpu0 = os.times()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    cpu1 = os.times()

    ordered = sorted(latencies)
    summary = summarize([x * 1000 for x in ordered])
    if ordered:
        for q in (50, 95, 99):
            summary[f"p{q}"] = nearest_rank(ordered, q) * 1000
    ok = statuses.get(200, 0)
    return {
        "path": path, "concurrency": concurrency, "requested": total, "completed": len(ordered),
        "ok": ok, "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": dict(errors), "truncated_by_time": len(ordered) + sum(errors.values()) < total,
        "wall_s": wall, "requests_per_s": ok / wall if wall else 0.0, "latency_ms": summary,
        "client_cpu_s": (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system),
        "request_bytes": len(body),
        "_latencies_ms": [x * 1000 for x in ordered],  # for pooling across rounds; not written out
    }


def nearest_rank(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted values (p99 of 2,500 requests is the 25th slowest)."""
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * q // 100))  # ceil
    return ordered[int(rank) - 1]
