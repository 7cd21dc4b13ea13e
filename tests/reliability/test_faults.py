"""Faults on a real gunicorn (started by the test on loopback, stopped by its own pid):
SIGTERM drains requests in flight, a worker killed mid-request is replaced, the time budget
answers 503 without killing the worker, /readyz is 503 while the engine is not loaded, and
the log has request ids and sizes but never the submitted text."""
import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import start_gunicorn, stop_gunicorn

HERE = Path(__file__).resolve().parent
PLEDGE = "Austria pledged 3 million euros in humanitarian aid to Sudan on Friday."


def start(tmp_path, app="fault_app:app", ready=True, **env):
    return start_gunicorn(tmp_path, app=app, extra_args=("--pythonpath", str(HERE)), ready=ready,
                          FAULT_MARKER_DIR=str(tmp_path), **env)


def post(url, payload, timeout=30, headers=None):
    req = urllib.request.Request(url + "/v1/extract", data=json.dumps(payload).encode(), method="POST",
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), json.loads(err.read() or b"{}")


def get(url, path):
    try:
        with urllib.request.urlopen(url + path, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def in_background(func, *args):
    outcome = {}

    def run():
        try:
            outcome["result"] = func(*args)
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def wait_markers(tmp_path, count, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = [int(p.name) for p in tmp_path.iterdir() if p.name.isdigit()]
        if len(pids) >= count:
            return pids
        time.sleep(0.02)
    raise AssertionError(f"{count} requests never reached the engine")


def worker_pids(master_pid):
    pids = []
    for task in os.listdir(f"/proc/{master_pid}/task"):
        pids += [int(p) for p in Path(f"/proc/{master_pid}/task/{task}/children").read_text().split()]
    return sorted(pids)


def test_sigterm_drains_requests_in_flight(tmp_path):
    server = start(tmp_path, WEB_CONCURRENCY="2")
    try:
        calls = [in_background(post, server.url, {"text": f"FAULT-SLEEP 2 {PLEDGE}"}) for _ in range(2)]
        wait_markers(tmp_path, 2)  # both requests are inside the engine, one per worker
        sent = time.monotonic()
        server.proc.send_signal(signal.SIGTERM)
        for thread, outcome in calls:
            thread.join(30)
            assert "error" not in outcome, outcome
            status, _, body = outcome["result"]
            assert status == 200 and body["pledges"][0]["amount"]["value"] == 3000000
        assert server.proc.wait(30) == 0
        assert time.monotonic() - sent >= 1.0  # it waited for them rather than cutting them off
    finally:
        stop_gunicorn(server)
    assert "Traceback" not in server.log()


def test_killed_worker_is_replaced_and_the_next_request_succeeds(tmp_path):
    server = start(tmp_path)
    try:
        thread, outcome = in_background(post, server.url, {"text": f"FAULT-SLEEP 20 {PLEDGE}"})
        [victim] = wait_markers(tmp_path, 1)
        os.kill(victim, signal.SIGKILL)
        thread.join(10)
        assert "error" in outcome  # that one request is lost with its worker: the client sees it fail
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if get(server.url, "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        status, _, body = post(server.url, {"text": PLEDGE})
        assert status == 200 and body["pledges"]
        assert victim not in worker_pids(server.proc.pid) and worker_pids(server.proc.pid)
    finally:
        assert stop_gunicorn(server) == 0


def test_time_budget_answers_503_and_the_worker_lives_on(tmp_path):
    server = start(tmp_path, app="service.wsgi:app", REQUEST_TIME_BUDGET="0.05", MAX_TEXT_CHARS="400000")
    try:
        [worker] = worker_pids(server.proc.pid)
        slow = "Sweden pledged 40 million crowns to Moldova on Monday. " * 4000
        status, headers, body = post(server.url, {"text": slow}, headers={"X-Request-ID": "budget-1"})
        assert status == 503 and headers["Retry-After"] == "1" and body["status"] == 503
        assert post(server.url, {"text": "Chile pledged $2 million."})[0] == 200
        assert worker_pids(server.proc.pid) == [worker]  # interrupted, not killed
    finally:
        stop_gunicorn(server)


def test_not_ready_while_the_engine_is_not_loaded(tmp_path):
    server = start(tmp_path, ready=False, FAULT_ENGINE_BROKEN="1")
    try:
        deadline = time.monotonic() + 30
        status = None
        while time.monotonic() < deadline and status is None:
            try:
                status, body = get(server.url, "/readyz")
            except OSError:
                time.sleep(0.1)
        assert status == 503 and body["checks"]["engine:warm-up"][0]["status"] == "fail"
        assert get(server.url, "/livez")[0] == 200  # alive: restarting would not help
    finally:
        stop_gunicorn(server)


def test_log_has_request_ids_and_sizes_but_never_the_text(tmp_path):
    server = start(tmp_path, app="service.wsgi:app", LOG_LEVEL="debug", MAX_TEXT_CHARS="200",
                   API_KEYS="sekrit-key-123")
    marker = "Quetzalcoatl-Unicorn-7781"
    auth = {"Authorization": "Bearer sekrit-key-123"}
    try:
        texts = [f"{marker} pledged $5 million to Peru.", f"{marker} " * 40]  # the second is over the limit
        for n, text in enumerate(texts):
            post(server.url, {"text": text, "published_at": "2024-01-02"}, headers={"X-Request-ID": f"rid-{n}", **auth})
        post(server.url, {"text": marker, "published_at": "not a date"}, headers={"X-Request-ID": "rid-bad", **auth})
        post(server.url, {"text": marker}, headers={"X-Request-ID": "rid-anon", "Authorization": "Bearer wrong"})
    finally:
        stop_gunicorn(server)
    log = server.log()
    assert "rid-0" in log and "rid-1" in log and "rid-bad" in log
    assert marker not in log
    assert "sekrit" not in log
