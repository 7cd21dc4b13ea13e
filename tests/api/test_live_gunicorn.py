"""A real gunicorn on loopback, started by the test, ended by its own pid."""
import json
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from conftest import REPO, SHARED, start_gunicorn, stop_gunicorn


def _request(url, payload=None, headers=None, method=None):
    data = None if payload is None else json.dumps(payload).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_probes_and_extract_over_http(live_server):
    for path in ("/livez", "/healthz", "/readyz"):
        status, headers, body = _request(live_server.url + path)
        assert status == 200 and headers["Content-Type"] == "application/health+json", path
        assert json.loads(body)["status"] == "pass"

    text = (REPO / "seeds" / "000_e68e0e074cbc1a52.txt").read_text(encoding="utf-8")
    status, headers, body = _request(live_server.url + "/v1/extract",
                                     {"text": text, "published_at": "2022-03-01"}, {"X-Request-ID": "live-1"})
    assert status == 200 and headers["X-Request-ID"] == "live-1"
    result = json.loads(body)
    assert set(result) == {"pledges", "totals", "meta"}
    assert result["meta"]["text_length"] == len(text)
    for pledge in result["pledges"]:
        assert isinstance(pledge["amount"]["value"], (int, float))


def test_errors_over_http(live_server):
    status, headers, body = _request(live_server.url + "/v1/extract", {"text": ""})
    assert status == 422 and headers["Content-Type"] == "application/problem+json"
    status, headers, _ = _request(live_server.url + "/v1/extract", method="GET")
    assert status == 405 and "POST" in headers["Allow"]
    big = {"text": "x" * (1024 * 1024 + 10)}
    status, headers, _ = _request(live_server.url + "/v1/extract", big)
    assert status == 413 and headers["Content-Type"] == "application/problem+json"


def test_docs_and_spec_are_served(live_server):
    status, headers, body = _request(live_server.url + "/openapi.yaml")
    assert status == 200 and body == (REPO / "openapi.yaml").read_bytes()
    assert _request(live_server.url + "/docs/swagger-ui-bundle.js")[0] == 200


def test_score_script_runs_without_http_failures(live_server):
    if not (SHARED / "eval" / "score.py").is_file():
        pytest.skip(f"{SHARED}/eval/score.py not found (the shared folder sits beside the repo)")
    run = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "--url", live_server.url,
                          "--gold", str(SHARED / "eval" / "seed.jsonl")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["http_failures"] == 0 and result["documents"] == 1


def test_sigterm_stops_gunicorn_gracefully(tmp_path):
    server = start_gunicorn(tmp_path)
    assert _request(server.url + "/readyz")[0] == 200
    assert stop_gunicorn(server) == 0  # exit status 0: a graceful stop, not a kill
    log = server.log()
    assert "Handling signal: term" in log or "Shutting down" in log, log
    assert "Traceback" not in log, log
