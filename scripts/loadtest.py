"""Bounded load test (`make loadtest`; not part of `make test`).

Starts gunicorn as shipped (gunicorn.conf.py, one worker per core) on 127.0.0.1 only, sends a
fixed number of requests from CONCURRENCY threads over a mix of real articles and adversarial
documents (the hostile corpus cut to a few thousand characters), then stops the server it
started, by its pid. Prints throughput, latency percentiles, the error count (any answer but
200, or any connection failure) and each worker's RSS before and after; exits 1 on any error
or when a worker's RSS grew more than --rss-margin MiB.

    python scripts/loadtest.py [--requests 2000] [--concurrency 32] [--max-seconds 300]
"""
from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import platform
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.server import HOST, Gunicorn, memory_mb
from bench.stats import percentile

assert HOST == "127.0.0.1"
SHARED = Path(os.environ.get("SHARED", REPO.parent / "shared"))
ADVERSARIAL_CHARS = 3000


def real_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
    dev = SHARED / "eval" / "dev.jsonl"
    if dev.is_file():
        texts += [json.loads(line)["text"] for line in dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts


def adversarial_texts() -> list[str]:
    corpus = yaml.safe_load((REPO / "tests" / "reliability" / "hostile_inputs.yaml").read_text(encoding="utf-8"))
    texts = []
    for case in corpus:
        unit = case["unit"]
        text = (unit * (ADVERSARIAL_CHARS // len(unit) + 1))[:ADVERSARIAL_CHARS]
        texts.append(text + ("\n\n" + case["tail"] if case.get("tail") else ""))
    return texts


def request_mix() -> list[tuple[str, bytes]]:
    """(path, body) pairs, real and adversarial interleaved, plus batch and amounts requests."""
    real, hostile = real_texts(), adversarial_texts()
    mix = [("/v1/extract", json.dumps({"text": t, "published_at": "2024-03-01"}).encode()) for t in real]
    mix += [("/v1/extract", json.dumps({"text": t}).encode()) for t in hostile]
    mix.append(("/v1/extract/batch", json.dumps({"documents": [
        {"id": str(i), "text": t} for i, t in enumerate(real[:5] + hostile[:5])]}).encode()))
    mix.append(("/v1/amounts", json.dumps({"text": "€500 million ($550 million) and 1,2 Mrd. Euro"}).encode()))
    return mix


def run_load(port: int, mix, total: int, concurrency: int, max_seconds: float) -> dict:
    tickets = itertools.count()
    latencies, statuses, errors = [], Counter(), Counter()
    lock = threading.Lock()
    deadline = time.perf_counter() + max_seconds

    def worker():
        local_lat, local_status, local_err = [], Counter(), Counter()
        while time.perf_counter() < deadline:
            n = next(tickets)
            if n >= total:
                break
            path, body = mix[n % len(mix)]
            started = time.perf_counter()
            conn = http.client.HTTPConnection(HOST, port, timeout=120)
            try:
                conn.request("POST", path, body, {"Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                local_status[response.status] += 1
                local_lat.append(time.perf_counter() - started)
            except (OSError, http.client.HTTPException) as exc:
                local_err[type(exc).__name__] += 1
            finally:
                conn.close()
        with lock:
            latencies.extend(local_lat)
            statuses.update(local_status)
            errors.update(local_err)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    non_200 = sum(v for k, v in statuses.items() if k != 200)
    return {"requests": len(ordered) + sum(errors.values()), "wall_s": wall, "statuses": dict(statuses),
            "connection_errors": dict(errors), "errors": non_200 + sum(errors.values()),
            "throughput_rps": len(ordered) / wall if wall else 0.0,
            "latency_ms": {f"p{q}": percentile(ordered, q) * 1000 for q in (50, 90, 95, 99)}
            | {"max": ordered[-1] * 1000 if ordered else float("nan")}}


def rss(pids) -> dict:
    return {pid: round(memory_mb(pid)["VmRSS"], 1) for pid in pids}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--max-seconds", type=float, default=300.0, help="stop issuing requests after this")
    parser.add_argument("--rss-margin", type=float, default=20.0, help="MiB a worker may grow during the load")
    args = parser.parse_args(argv)

    mix = request_mix()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable), "
          f"{platform.platform()}, Python {platform.python_version()}, load average {os.getloadavg()[0]:.2f}")
    print(f"mix: {len(mix)} distinct requests (real articles, adversarial texts of {ADVERSARIAL_CHARS} chars, "
          f"a 10-document batch, an amounts call); {args.requests} requests at concurrency {args.concurrency}")
    with Gunicorn(["--access-logfile", "/dev/null", "--log-level", "warning"]) as server:
        server.wait_ready()
        workers = server.wait_workers(int(os.environ.get("WEB_CONCURRENCY", len(os.sched_getaffinity(0)))))
        fresh = rss(workers)
        run_load(server.port, mix, len(mix) * 2, min(args.concurrency, 4), args.max_seconds)  # warm-up pass
        before = rss(workers)
        result = run_load(server.port, mix, args.requests, args.concurrency, args.max_seconds)
        after_workers = server.worker_pids()
        after = rss([p for p in workers if p in after_workers])
    lat = result["latency_ms"]
    print(f"requests: {result['requests']} in {result['wall_s']:.1f} s = {result['throughput_rps']:.1f} req/s")
    print("latency ms: " + ", ".join(f"{k} {v:.0f}" for k, v in lat.items()))
    print(f"statuses: {result['statuses']}  connection errors: {result['connection_errors']}")
    print(f"errors: {result['errors']}")
    print("worker RSS MiB (fresh / after warm-up / after load): "
          + "; ".join(f"pid {p}: {fresh[p]} / {before[p]} / {after.get(p, 'recycled')}" for p in workers))
    growth = max((after[p] - before[p] for p in after), default=0.0)
    print(f"largest RSS growth during the load: {growth:.1f} MiB (allowed {args.rss_margin})")
    incomplete = result["requests"] < args.requests
    if incomplete:
        print(f"stopped at --max-seconds after {result['requests']} of {args.requests} requests")
    return 1 if result["errors"] or growth > args.rss_margin or incomplete else 0


if __name__ == "__main__":
    sys.exit(main())
