"""Metrics and logs of a real gunicorn with two workers (started by the test, ended by its pid):
/metrics adds up every worker's counts whichever worker answers the scrape, counts survive a
worker being replaced, and every line on stderr is JSON without the submitted text."""
import json
import os
import signal
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import REPO, start_gunicorn, stop_gunicorn
from prometheus_client.parser import text_string_to_metric_families

MARKER = "Wq4-live-unlogged-marker-9Jd"
TEXT = (REPO / "seeds" / "000_e68e0e074cbc1a52.txt").read_text(encoding="utf-8") + f"\n{MARKER}\n"


def _post(url, payload, request_id):
    data = json.dumps(payload).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json",
                                                          "X-Request-ID": request_id})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def scrape(url) -> dict:
    """{(name, frozenset(labels)): value} of one scrape."""
    with urllib.request.urlopen(url + "/metrics", timeout=10) as response:
        assert response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
        text = response.read().decode()
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def sample(scraped, name, **labels) -> float:
    return scraped.get((f"pledge_normalizer_{name}", frozenset(labels.items())), 0.0)


def log_lines(server):
    return [json.loads(line) for line in server.log().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    server = start_gunicorn(tmp_path_factory.mktemp("gunicorn2"), WEB_CONCURRENCY="2", LOG_LEVEL="info")
    yield server
    stop_gunicorn(server)


def test_metrics_add_up_across_workers(two_workers):
    url = two_workers.url
    # Concurrent requests, so both sync workers take some; until both have answered.
    answered, pledges, sent = set(), 0, 0
    with ThreadPoolExecutor(4) as pool:
        while len(answered) < 2 and sent < 64:
            batch = list(pool.map(lambda i: _post(url + "/v1/extract", {"text": TEXT, "published_at": "2022-03-01"},
                                                  f"live-{i}"), range(sent, sent + 8)))
            sent += len(batch)
            assert all(status == 200 for status, _ in batch)
            pledges += sum(body["meta"]["pledge_count"] for _, body in batch)
            served = [r for r in log_lines(two_workers) if r.get("logger") == "service.requests"]
            answered = {r["pid"] for r in served}
    assert len(answered) == 2, "one worker answered every request; the test proves nothing then"
    assert _post(url + "/v1/extract", {"text": ""}, "live-bad")[0] == 422

    # Each scrape is answered by either worker; each must give the whole server's counts.
    for _ in range(6):
        scraped = scrape(url)
        assert sample(scraped, "http_requests_total", method="POST", endpoint="/v1/extract", status="200") == sent
        assert sample(scraped, "http_request_duration_seconds_count",
                      method="POST", endpoint="/v1/extract", status="200") == sent
        assert sample(scraped, "documents_extracted_total") == sent
        assert sample(scraped, "pledges_extracted_total") == pledges
        assert sample(scraped, "engine_duration_seconds_count", operation="extract") == sent
        assert sample(scraped, "rejected_requests_total", reason="invalid_request", status="422") == 1

    # A worker replaced (as max_requests does) takes nothing away: its counts stay on disk.
    worker_pid = min(answered)
    os.kill(worker_pid, signal.SIGTERM)  # one of the test's own gunicorn's workers, by pid
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        booted = [r for r in log_lines(two_workers) if r.get("message", "").startswith("Booting worker")]
        if len(booted) >= 3:
            break
        time.sleep(0.2)
    assert len(booted) >= 3, two_workers.log()
    for _ in range(4):
        assert sample(scrape(url), "documents_extracted_total") == sent


def test_every_log_line_is_json_and_none_holds_the_text(two_workers):
    status, _ = _post(two_workers.url + "/v1/extract", {"text": TEXT}, "live-log-1")
    assert status == 200
    time.sleep(0.2)
    log = two_workers.log()
    assert MARKER not in log
    records = log_lines(two_workers)  # fails on any line that is not JSON
    assert all({"time", "level", "logger", "pid", "message"} <= set(r) for r in records)
    assert any(r["logger"] == "gunicorn.error" and r["message"].startswith("Listening at") for r in records)
    assert not any(r["logger"] == "gunicorn.access" for r in records)  # the app's line replaces it
    (line,) = [r for r in records if r.get("request_id") == "live-log-1"]
    assert line["logger"] == "service.requests" and line["level"] == "INFO"
    assert (line["method"], line["path"], line["endpoint"], line["status"]) == ("POST", "/v1/extract", "/v1/extract", 200)
    assert line["text_chars"] == len(TEXT) and line["documents"] == 1 and line["duration_ms"] > 0
    assert line["body_bytes"] >= len(TEXT.encode())


def _metrics_directory(server) -> str:
    prefix = "Prometheus multiprocess directory: "
    (line,) = [r["message"] for r in log_lines(server) if r.get("message", "").startswith(prefix)]
    return line[len(prefix):]


def test_a_directory_of_its_own_is_made_and_removed_at_exit(tmp_path):
    server = start_gunicorn(tmp_path)
    directory = _metrics_directory(server)
    try:
        assert os.path.isdir(directory) and directory != os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    finally:
        assert stop_gunicorn(server) == 0
    assert not os.path.exists(directory)


def test_an_operators_directory_is_emptied_at_start_and_kept(tmp_path):
    import subprocess
    import sys
    directory = tmp_path / "metrics"
    directory.mkdir()
    # A previous run's values: 5 documents counted by some process long gone.
    code = "from service import metrics; metrics.DOCUMENTS.inc(5)"
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=60,
                   env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory)})
    assert list(directory.glob("counter_*.db"))
    server = start_gunicorn(tmp_path, PROMETHEUS_MULTIPROC_DIR=str(directory))
    try:
        assert _metrics_directory(server) == str(directory)
        assert sample(scrape(server.url), "documents_extracted_total") == 0
        assert _post(server.url + "/v1/extract", {"text": "Freedonia pledged $5 million."}, "op-1")[0] == 200
        assert sample(scrape(server.url), "documents_extracted_total") == 1
    finally:
        assert stop_gunicorn(server) == 0
    assert directory.is_dir()
