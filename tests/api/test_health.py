"""Probes: /livez, /healthz, /readyz as application/health+json, never cached."""
import pytest
from conftest import make_app

from service.api import health


def _assert_health(response, status_code, status):
    assert response.status_code == status_code
    assert response.mimetype == "application/health+json"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json(force=True)
    assert body["status"] == status
    assert body["version"]
    return body


@pytest.mark.parametrize("path", ["/livez", "/healthz"])
def test_liveness(client, spec_validator, path):
    _assert_health(spec_validator(client.get(path)), 200, "pass")


def test_ready_after_warm_up(client, spec_validator):
    body = _assert_health(spec_validator(client.get("/readyz")), 200, "pass")
    assert body["checks"]["engine:warm-up"][0]["status"] == "pass"
    assert body["checks"]["engine:warm-up"][0]["observedValue"] >= 0
    assert body["checks"]["process:draining"][0]["status"] == "pass"


def test_head_works_for_probes(client):
    assert client.head("/readyz").status_code == 200


def test_not_ready_when_the_engine_fails_to_load(monkeypatch, spec_validator):
    import service.engine

    def broken(text, published_at=None):
        raise FileNotFoundError("gazetteer missing")

    monkeypatch.setattr(service.engine, "extract_pledges", broken)
    client = make_app().test_client()
    body = _assert_health(spec_validator(client.get("/readyz")), 503, "fail")
    check = body["checks"]["engine:warm-up"][0]
    assert check["status"] == "fail" and check["output"] == "FileNotFoundError during engine warm-up"
    _assert_health(client.get("/livez"), 200, "pass")  # alive, just not ready


def test_not_ready_before_warm_up():
    client = make_app(WARM_UP=False).test_client()
    _assert_health(client.get("/readyz"), 503, "fail")


def test_not_ready_while_draining(client, spec_validator):
    health.begin_draining()
    try:
        body = _assert_health(spec_validator(client.get("/readyz")), 503, "fail")
        assert body["checks"]["process:draining"][0] == {
            "componentType": "system", "status": "fail", "observedValue": True,
            "output": "shutting down: finishing requests in flight"}
        _assert_health(client.get("/livez"), 200, "pass")
    finally:
        health.DRAINING.clear()
    _assert_health(client.get("/readyz"), 200, "pass")


def test_gunicorn_sigterm_hook_drains_then_stops_the_worker():
    """gunicorn.conf.py's post_worker_init: SIGTERM marks the worker draining, then lets
    gunicorn's own handler stop it."""
    import os
    import signal

    from conftest import load_gunicorn_conf

    class Worker:
        stopped = False

        def handle_exit(self, signum, frame):
            self.stopped = True

    conf = load_gunicorn_conf()
    worker, previous = Worker(), signal.getsignal(signal.SIGTERM)
    try:
        conf["post_worker_init"](worker)
        assert not health.DRAINING.is_set()
        os.kill(os.getpid(), signal.SIGTERM)
        assert health.DRAINING.is_set() and worker.stopped
    finally:
        signal.signal(signal.SIGTERM, previous)
        health.DRAINING.clear()
