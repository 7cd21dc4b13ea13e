"""Kubernetes-style probes with application/health+json bodies (draft-inadarei-api-health-check).

    GET /livez   (alias /healthz)  the process answers: always 200 while it can
    GET /readyz                    the engine warmed up (stages imported, gazetteers read) and the
                                   process is not draining: 200, else 503 with the failing checks
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional

from flask import Flask, Response, current_app

from .. import __version__
from .base import Blueprint
from .schemas import HealthSchema

HEALTH_JSON = "application/health+json"
SERVICE_ID = "pledge-normalizer"
_STATE_KEY = "pledges.readiness"

log = logging.getLogger("service.api")

# Set in a worker when it is told to stop (gunicorn.conf.py wires SIGTERM to it): from then on
# /readyz answers 503 so load balancers stop sending new work while requests in flight finish.
DRAINING = threading.Event()


def begin_draining() -> None:
    DRAINING.set()


@dataclass
class Readiness:
    ready: bool = False
    warmup_ms: Optional[float] = None
    error: Optional[str] = None
    checked_at: str = ""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def warm_up(app: Flask) -> Readiness:
    """Run the engine once on a tiny text: imports every stage and reads its data files, so the
    first real request pays no start-up cost and a broken data file shows as not ready."""
    from .. import engine
    state = Readiness(checked_at=_now())
    started = time.perf_counter()
    try:
        engine.extract_pledges("warm-up")
        state.ready = True
    except Exception as exc:  # reported by /readyz, logged in full here
        log.exception("engine warm-up failed")
        state.error = f"{type(exc).__name__} during engine warm-up"
    state.warmup_ms = round((time.perf_counter() - started) * 1000, 3)
    app.extensions[_STATE_KEY] = state
    return state


def _health_response(body: dict, status: int) -> Response:
    response = current_app.json.response(body)
    response.status_code = status
    response.mimetype = HEALTH_JSON
    response.headers["Cache-Control"] = "no-store"
    return response


def _base(status: str) -> dict:
    return {"status": status, "version": __version__, "serviceId": SERVICE_ID}


blp = Blueprint("health", __name__, description="Liveness and readiness probes")

_PASS_EXAMPLE = {**_base("pass"), "description": "pledge-normalizer is alive"}


@blp.route("/livez")
@blp.response(200, HealthSchema, content_type=HEALTH_JSON, example=_PASS_EXAMPLE)
def livez():
    """Liveness: the process answers

    Restart the container only when this fails. Never depends on the engine.
    """
    return _health_response({**_base("pass"), "description": "pledge-normalizer is alive"}, 200)


@blp.route("/healthz")
@blp.response(200, HealthSchema, content_type=HEALTH_JSON, example=_PASS_EXAMPLE)
def healthz():
    """Liveness (alias of /livez)"""
    return livez()


_READY_EXAMPLE = {**_base("pass"), "checks": {
    "engine:warm-up": [{"componentType": "component", "status": "pass", "observedValue": 12.5,
                        "observedUnit": "ms", "time": "2026-01-01T00:00:00Z"}],
    "process:draining": [{"componentType": "system", "status": "pass", "observedValue": False}]}}


@blp.route("/readyz")
@blp.response(200, HealthSchema, content_type=HEALTH_JSON, example=_READY_EXAMPLE)
@blp.alt_response(503, schema=HealthSchema, content_type=HEALTH_JSON,
                  description="Not ready: the engine failed to load, or the process is draining")
def readyz():
    """Readiness: the engine is loaded and the process takes new work

    503 with the failing `checks` while the engine is not loaded or the worker is draining.
    """
    state: Readiness = current_app.extensions.get(_STATE_KEY) or Readiness()
    engine_check = {"componentType": "component", "status": "pass" if state.ready else "fail",
                    "observedValue": state.warmup_ms, "observedUnit": "ms", "time": state.checked_at}
    if state.error:
        engine_check["output"] = state.error
    draining = DRAINING.is_set()
    drain_check = {"componentType": "system", "status": "fail" if draining else "pass",
                   "observedValue": draining}
    if draining:
        drain_check["output"] = "shutting down: finishing requests in flight"
    ok = state.ready and not draining
    body = {**_base("pass" if ok else "fail"),
            "checks": {"engine:warm-up": [engine_check], "process:draining": [drain_check]}}
    return _health_response(body, 200 if ok else 503)
