"""Per-request observation: Prometheus metrics (service/metrics.py) and one JSON log line.

`init_app(app)` adds two request hooks: a clock started before any other hook (so a request
refused in a before-request hook, a 413 or 415, is timed and counted too) and an observer that
runs after every other after-request hook (so the response already carries its X-Request-ID).
The views report what the engine did through `record_extraction` / `record_amounts`.

The log line holds sizes and counts, never the submitted text.
"""
from __future__ import annotations

import json
import logging
import time

from flask import Flask, g, has_request_context, request

from . import metrics

log = logging.getLogger("service.requests")

# Probes and scrapes arrive every few seconds: their lines are DEBUG, the API's are INFO.
QUIET_ENDPOINTS = frozenset({"/livez", "/healthz", "/readyz", "/metrics"})
UNMATCHED = "unmatched"  # the endpoint label of a request no route matched (404, 405)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_MAX_LOGGED_PATH = 256


def init_app(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _start_clock)
    # after_request hooks run last-registered first: at index 0, this one runs after all others.
    app.after_request_funcs.setdefault(None, []).insert(0, _observe)


def _start_clock() -> None:
    g.telemetry_started = time.perf_counter()


def _usage() -> dict:
    """The engine work of this request so far (sizes and counts only)."""
    if "telemetry_usage" not in g:
        g.telemetry_usage = {"text_chars": 0, "documents": 0, "pledges": 0}
    return g.telemetry_usage


def record_extraction(meta: dict) -> None:
    """One text went through the engine: *meta* is the /v1/extract answer's meta."""
    metrics.DOCUMENTS.inc()
    metrics.PLEDGES.inc(meta["pledge_count"])
    metrics.ENGINE_DURATION.labels("extract").observe(meta["elapsed_ms"] / 1000)
    if has_request_context():
        usage = _usage()
        usage["text_chars"] += meta["text_length"]
        usage["documents"] += 1
        usage["pledges"] += meta["pledge_count"]


def record_amounts(text_length: int, elapsed_ms: float) -> None:
    """One text went through the money stage alone (POST /v1/amounts)."""
    metrics.ENGINE_DURATION.labels("amounts").observe(elapsed_ms / 1000)
    if has_request_context():
        _usage()["text_chars"] += text_length


def record_rejected_document(problem: dict) -> None:
    """A batch document answered with its own problem while the batch itself succeeds."""
    status = problem["status"]
    metrics.REJECTED_DOCUMENTS.labels(metrics.rejection_reason(status, problem.get("type")), str(status)).inc()


def _problem_type(response) -> str | None:
    if response.mimetype != "application/problem+json" or response.is_streamed:
        return None
    data = response.get_data()
    if b"about:blank" in data:  # the usual case: no need to parse
        return None
    try:
        return json.loads(data).get("type")
    except (ValueError, AttributeError):
        return None


def _observe(response):
    """Counts and logs the request; a streamed response (an NDJSON batch) once it has been
    written to the end, so that its duration and counts cover the whole of it."""
    started = g.get("telemetry_started")
    endpoint = request.url_rule.rule if request.url_rule is not None else UNMATCHED
    method = request.method if request.method in _METHODS else "other"
    status = response.status_code
    reason = metrics.rejection_reason(status, _problem_type(response)) if status >= 400 else None
    fields = {
        "request_id": response.headers.get("X-Request-ID") or g.get("request_id"),
        "method": request.method[:16],
        "path": request.path[:_MAX_LOGGED_PATH],
        "endpoint": endpoint,
        "status": status,
        "body_bytes": request.content_length,
    }
    # A streamed response's views fill in this dict while it is written, after this hook.
    usage = _usage() if response.is_streamed else (g.get("telemetry_usage") or {})

    def done():
        duration = time.perf_counter() - started if started is not None else 0.0
        metrics.HTTP_REQUESTS.labels(method, endpoint, str(status)).inc()
        metrics.HTTP_DURATION.labels(method, endpoint, str(status)).observe(duration)
        if reason is not None:
            metrics.REJECTED_REQUESTS.labels(reason, str(status)).inc()
        level = logging.DEBUG if endpoint in QUIET_ENDPOINTS else logging.INFO
        if log.isEnabledFor(level):
            log.log(level, "request", extra={**fields, "duration_ms": round(duration * 1000, 3),
                                             **{key: usage.get(key) for key in ("text_chars", "documents", "pledges")}})

    if response.is_streamed:
        response.call_on_close(done)
    else:
        done()
    return response
