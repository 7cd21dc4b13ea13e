"""Prometheus metrics (prometheus_client), correct under gunicorn's several worker processes.

Under gunicorn each worker is its own process with its own counters, and a scrape reaches one
of them. So gunicorn.conf.py points PROMETHEUS_MULTIPROC_DIR at an empty directory before the
app is imported; prometheus_client then keeps every worker's values in memory-mapped files
there, and GET /metrics adds them up across workers (MultiProcessCollector). Without the
variable (tests, `flask run`, one process) the default registry serves them as they are.

Metric names are listed in METRIC_NAMES and in README "Metrics and logs".
"""
from __future__ import annotations

import glob
import http
import os
import re

from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
    values,
)

NAMESPACE = "pledge_normalizer"
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4  # the classic text format every Prometheus reads

# Decided when prometheus_client chose how to store values (at its import): a directory set
# later would be empty, so it is not read then either.
MULTIPROCESS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR") if values.ValueClass is not values.MutexValue else None
if MULTIPROCESS_DIR:
    # gunicorn.conf.py only names it (so reading the config file leaves nothing behind).
    os.makedirs(MULTIPROCESS_DIR, mode=0o700, exist_ok=True)

# No `*_created` series: multiprocess mode has none, so one process should not have them either.
disable_created_metrics()

# Latency buckets in seconds: most texts take milliseconds, a long article up to a few seconds.
_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

HTTP_REQUESTS = Counter(
    "http_requests", "HTTP requests answered, by method, route template and status",
    ["method", "endpoint", "status"], namespace=NAMESPACE)
HTTP_DURATION = Histogram(
    "http_request_duration_seconds", "Time from the start of a request to its response, by route and status",
    ["method", "endpoint", "status"], namespace=NAMESPACE, buckets=_BUCKETS)
DOCUMENTS = Counter(
    "documents_extracted", "Texts the engine read (POST /v1/extract, and each document of a batch)",
    namespace=NAMESPACE)
PLEDGES = Counter(
    "pledges_extracted", "Pledges found in those texts", namespace=NAMESPACE)
ENGINE_DURATION = Histogram(
    "engine_duration_seconds", "Time in the engine per text: extract (the whole engine) or amounts (money stage)",
    ["operation"], namespace=NAMESPACE, buckets=_BUCKETS)
REJECTED_REQUESTS = Counter(
    "rejected_requests", "Requests answered with an error (4xx, 5xx), by reason and status",
    ["reason", "status"], namespace=NAMESPACE)
REJECTED_DOCUMENTS = Counter(
    "rejected_documents", "Batch documents answered with their own error while the batch succeeded",
    ["reason", "status"], namespace=NAMESPACE)

METRIC_NAMES = tuple(f"{NAMESPACE}_{name}" for name in (
    "http_requests_total", "http_request_duration_seconds", "documents_extracted_total",
    "pledges_extracted_total", "engine_duration_seconds", "rejected_requests_total",
    "rejected_documents_total"))

# Reason label of an error without a problem type of its own; other statuses use their phrase.
_REASONS = {
    400: "invalid_json", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 408: "request_timeout", 413: "body_too_large",
    415: "unsupported_media_type", 422: "invalid_request", 429: "rate_limited",
    500: "internal_error", 503: "unavailable",
}
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def rejection_reason(status: int, problem_type: str | None = None) -> str:
    """A short, bounded label: the last segment of a problem type URI other than about:blank
    (e.g. `.../problems/rate-limited` → rate_limited), else a name for the status."""
    if problem_type and problem_type != "about:blank":
        tail = problem_type.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        label = _NOT_WORD.sub("_", tail.lower()).strip("_")[:40]
        if label:
            return label
    if status in _REASONS:
        return _REASONS[status]
    try:
        return _NOT_WORD.sub("_", http.HTTPStatus(status).phrase.lower()).strip("_")
    except ValueError:
        return f"status_{status}"


def exposition() -> bytes:
    """The metrics in Prometheus text format: summed over the workers in multiprocess mode."""
    if MULTIPROCESS_DIR:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=MULTIPROCESS_DIR)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


# ------------------------------------------------------------------ gunicorn hooks (gunicorn.conf.py)

def clear_directory(path: str) -> int:
    """Remove the value files a previous run left in *path* (prometheus_client requires an empty
    directory at start, or old counts would be added in). Only its *.db files: a mistyped
    path loses nothing else. Returns how many were removed."""
    removed = 0
    for name in glob.glob(os.path.join(path, "*.db")):
        os.remove(name)
        removed += 1
    return removed


def worker_exited(pid: int, path: str | None = None) -> None:
    """A worker is gone: drop its live-gauge files (its counters stay, they are cumulative)."""
    multiprocess.mark_process_dead(pid, path)
