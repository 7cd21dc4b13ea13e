"""One JSON log line per request: its fields, its level, and never the submitted text."""
import json
import logging
import os
import subprocess
import sys

import pytest
from conftest import REPO, make_app

from service import logging_setup

MARKER = "Zqx7-unlogged-marker-Kv3"  # in every submitted text; must never reach a log


def request_records(caplog):
    return [r for r in caplog.records if r.name == "service.requests"]


def as_json(record) -> dict:
    """The line the JSON formatter writes for *record*."""
    return json.loads(logging_setup.json_formatter().format(record))


def test_one_line_per_request_with_its_fields(client, fake_engine, caplog):
    caplog.set_level(logging.INFO, logger="service")
    text = f"Freedonia pledges aid. {MARKER} ünïcödé"
    response = client.post("/v1/extract", json={"text": text}, headers={"X-Request-ID": "log-test-1"})
    assert response.status_code == 200
    (record,) = request_records(caplog)
    line = as_json(record)
    assert set(logging_setup.REQUEST_FIELDS) | {"time", "level", "logger", "pid", "message"} <= set(line)
    assert line["request_id"] == "log-test-1" == response.headers["X-Request-ID"]
    assert (line["method"], line["path"], line["endpoint"], line["status"]) == ("POST", "/v1/extract", "/v1/extract", 200)
    assert line["level"] == "INFO" and line["logger"] == "service.requests" and line["message"] == "request"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["text_chars"] == len(text)
    assert line["body_bytes"] == int(response.request.environ["CONTENT_LENGTH"]) > len(text)  # JSON framing
    assert (line["documents"], line["pledges"]) == (1, 2)  # the stand-in engine finds two


def test_a_generated_request_id_is_logged_as_sent(client, caplog):
    caplog.set_level(logging.INFO, logger="service")
    response = client.post("/v1/amounts", json={"text": "$5 million"}, headers={"X-Request-ID": "bad id with spaces"})
    (record,) = request_records(caplog)
    assert record.request_id == response.headers["X-Request-ID"] != "bad id with spaces"


def test_batch_line_adds_up_its_documents(client, fake_engine, caplog):
    caplog.set_level(logging.INFO, logger="service")
    docs = [{"id": "a", "text": "abc"}, {"id": "b", "text": "defgh"}, {"id": "c", "text": ""}]
    assert client.post("/v1/extract/batch", json={"documents": docs}).status_code == 200
    (record,) = request_records(caplog)
    assert (record.text_chars, record.documents, record.pledges) == (8, 2, 4)


def test_submitted_text_never_reaches_the_log(client, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    text = f"The Republic of Freedonia pledged $40 million to Sylvania. {MARKER}"
    client.post("/v1/extract", json={"text": text, "published_at": "2022-03-01"})
    client.post("/v1/extract", json={"text": text, "published_at": "yesterday"})            # 422
    client.post("/v1/extract", data=json.dumps({"text": text})[:-3], content_type="application/json")  # 400
    client.post("/v1/extract", data=text, content_type="application/xml")                    # 415
    client.post("/v1/extract?published_at=2022-03-01", data=text, content_type="text/plain")
    client.post(f"/v1/extract?published_at={MARKER}", data=text, content_type="text/plain")  # 422
    client.post("/v1/extract/batch", json={"documents": [{"id": MARKER, "text": text}, {"text": text}]})
    client.post("/v1/amounts", json={"text": text})
    client.get(f"/v1/extract?text={MARKER}")                                                 # 405
    import service.engine

    def broken(text, published_at=None):
        raise ValueError("cannot read this")

    monkeypatch.setattr(service.engine, "extract_pledges", broken)
    client.post("/v1/extract", json={"text": text})                                          # 500
    lines = [logging_setup.json_formatter().format(r) for r in caplog.records]
    assert len(request_records(caplog)) == 10
    assert all(MARKER not in line for line in lines), [line for line in lines if MARKER in line]
    assert MARKER not in caplog.text


def test_probes_and_scrapes_log_at_debug(client, caplog):
    caplog.set_level(logging.INFO, logger="service")
    client.get("/livez")
    client.get("/readyz")
    client.get("/metrics")
    assert request_records(caplog) == []
    caplog.set_level(logging.DEBUG, logger="service")
    client.get("/readyz")
    (record,) = request_records(caplog)
    assert record.levelno == logging.DEBUG and record.endpoint == "/readyz"


def test_log_level_is_configurable(caplog):
    client = make_app(LOG_LEVEL="warning", WARM_UP=False).test_client()
    try:
        caplog.set_level(logging.NOTSET)  # let the service logger's own level decide
        client.post("/v1/amounts", json={"text": "$5 million"})
        assert request_records(caplog) == []
    finally:
        make_app(WARM_UP=False)  # back to the environment's level (info) for the other tests


@pytest.mark.parametrize("log_level, lines", [("info", 1), ("warning", 0)])
def test_outside_gunicorn_the_app_writes_json_lines_to_stderr(log_level, lines):
    code = ("from service import create_app\n"
            "c = create_app({'WARM_UP': False}).test_client()\n"
            f"c.post('/v1/amounts', json={{'text': '$5 million {MARKER}'}}, headers={{'X-Request-ID': 'cli-1'}})\n")
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    run = subprocess.run([sys.executable, "-c", code], check=False, cwd=REPO, capture_output=True, text=True, timeout=60,
                         env={**env, "LOG_LEVEL": log_level})
    assert run.returncode == 0, run.stderr
    records = [json.loads(line) for line in run.stderr.splitlines() if line.strip()]
    requests = [r for r in records if r.get("logger") == "service.requests"]
    assert len(requests) == lines
    if lines:
        assert requests[0]["request_id"] == "cli-1" and requests[0]["text_chars"] == len(f"$5 million {MARKER}")
    assert MARKER not in run.stderr
