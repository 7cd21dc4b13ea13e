"""A bounded HTTP load generator: a fixed number of POSTs from N threads to 127.0.0.1 only.

It shares the machine with the server, so it is kept cheap: the request bytes are built once,
each request is one connection (`Connection: close`, as gunicorn's sync workers answer anyway),
and the response is read to EOF and checked only for its status line and body length.
"""
from __future__ import annotations

import itertools
import os
import socket
import threading
import time
from collections import Counter

from .stats import summarize

HOST = "127.0.0.1"  # never anything else: this generator is for the local service only


def build_request(path: str, body: bytes) -> bytes:
    head = (f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    return head.encode("ascii") + body


def exchange(port: int, request: bytes, timeout: float) -> tuple[int, int]:
    """Send one request, read the whole response: (status, body bytes). Raises on a bad answer."""
    with socket.create_connection((HOST, port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    response = b"".join(chunks)
    head, sep, body = response.partition(b"\r\n\r\n")
    if not sep or not head.startswith(b"HTTP/1."):
        raise ValueError("malformed HTTP response")
    status = int(head[9:12])
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and int(value) != len(body):
            raise ValueError("short response body")
    return status, len(body)


def run(port: int, path: str, body: bytes, *, total: int, concurrency: int, max_seconds: float,
        timeout: float = 30.0) -> dict:
    """POST *body* to *path* *total* times with *concurrency* threads; stop issuing at *max_seconds*.

    Returns completed count, errors, status counts, wall seconds, requests/s (200s only), latency
    summary (ms, with nearest-rank p50/p95/p99), and the CPU seconds this client process spent."""
    request = build_request(path, body)
    tickets = itertools.count()  # next() on a count is atomic under the GIL
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors: Counter = Counter()
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + max_seconds

    def worker() -> None:
        local_lat, local_status, local_err = [], Counter(), Counter()
        clock = time.perf_counter
        while next(tickets) < total and clock() < deadline:
            t0 = clock()
            try:
                status, _ = exchange(port, request, timeout)
            except (OSError, ValueError) as exc:
                local_err[type(exc).__name__] += 1
                continue
            local_lat.append(clock() - t0)
            local_status[status] += 1
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
