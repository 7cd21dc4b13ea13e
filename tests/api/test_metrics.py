"""GET /metrics in one process (the default registry): names, labels, counts, content type.
The multiprocess case, gunicorn with two workers, is in test_live_observability.py."""
import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from service import metrics

P = metrics.NAMESPACE


def value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(f"{P}_{name}", labels) or 0.0


def requests_total(endpoint: str, status: int, method: str = "POST") -> float:
    return value("http_requests_total", method=method, endpoint=endpoint, status=str(status))


def test_metrics_endpoint_is_prometheus_text(client, spec_validator):
    response = spec_validator(client.get("/metrics"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert response.headers["X-Request-ID"]
    families = {family.name for family in text_string_to_metric_families(response.get_data(as_text=True))}
    # The parser names counters without _total.
    expected = {name.removesuffix("_total") for name in metrics.METRIC_NAMES}
    assert expected <= families


def test_requests_are_counted_by_route_template_and_status(client):
    before = {
        "asset": requests_total("/docs/<path:filename>", 200, "GET"),
        "missing": requests_total("unmatched", 404, "GET"),
        "ok": requests_total("/v1/amounts", 200),
        "bad": requests_total("/v1/amounts", 422),
    }
    assert client.get("/docs/swagger-ui.css").status_code == 200
    assert client.get("/docs/index.css").status_code == 200
    assert client.get("/no/such/path/42").status_code == 404
    assert client.post("/v1/amounts", json={"text": "$5 million"}).status_code == 200
    assert client.post("/v1/amounts", json={"text": ""}).status_code == 422
    assert requests_total("/docs/<path:filename>", 200, "GET") == before["asset"] + 2
    assert requests_total("unmatched", 404, "GET") == before["missing"] + 1
    assert requests_total("/v1/amounts", 200) == before["ok"] + 1
    assert requests_total("/v1/amounts", 422) == before["bad"] + 1
    # The raw path never becomes a label value.
    body = client.get("/metrics").get_data(as_text=True)
    assert "/no/such/path/42" not in body and "swagger-ui.css" not in body


def test_latency_histogram_counts_each_request(client):
    labels = {"method": "GET", "endpoint": "/livez", "status": "200"}
    count = value("http_request_duration_seconds_count", **labels)
    total = value("http_request_duration_seconds_sum", **labels)
    for _ in range(3):
        client.get("/livez")
    assert value("http_request_duration_seconds_count", **labels) == count + 3
    assert value("http_request_duration_seconds_sum", **labels) > total
    assert value("http_request_duration_seconds_bucket", le="+Inf", **labels) == count + 3


def test_documents_pledges_and_engine_time(client, fake_engine):
    # The stand-in engine finds two pledges in every text.
    documents, pledges = value("documents_extracted_total"), value("pledges_extracted_total")
    engine_runs = value("engine_duration_seconds_count", operation="extract")
    money_runs = value("engine_duration_seconds_count", operation="amounts")
    rejected_doc = value("rejected_documents_total", reason="invalid_request", status="422")

    assert client.post("/v1/extract", json={"text": "one text"}).status_code == 200
    batch = {"documents": [{"id": "a", "text": "two"}, {"id": "b", "text": "three"}, {"id": "c"}]}
    assert client.post("/v1/extract/batch", json=batch).status_code == 200
    assert client.post("/v1/amounts", json={"text": "€3 billion"}).status_code == 200

    assert value("documents_extracted_total") == documents + 3
    assert value("pledges_extracted_total") == pledges + 6
    assert value("engine_duration_seconds_count", operation="extract") == engine_runs + 3
    assert value("engine_duration_seconds_count", operation="amounts") == money_runs + 1
    assert value("rejected_documents_total", reason="invalid_request", status="422") == rejected_doc + 1


@pytest.mark.parametrize("send, status, reason", [
    (lambda c: c.post("/v1/extract", data="{not json", content_type="application/json"), 400, "invalid_json"),
    (lambda c: c.get("/nowhere"), 404, "not_found"),
    (lambda c: c.get("/v1/extract"), 405, "method_not_allowed"),
    (lambda c: c.post("/v1/extract", data="x" * 2048, content_type="application/json"), 413, "body_too_large"),
    (lambda c: c.post("/v1/extract", data="text", content_type="application/xml"), 415, "unsupported_media_type"),
    (lambda c: c.post("/v1/extract", json={"text": "  "}), 422, "invalid_request"),
])
def test_rejected_requests_by_reason(send, status, reason):
    from conftest import make_app
    client = make_app(MAX_BODY_BYTES=1024, WARM_UP=False).test_client()
    before = value("rejected_requests_total", reason=reason, status=str(status))
    assert send(client).status_code == status
    assert value("rejected_requests_total", reason=reason, status=str(status)) == before + 1


def test_a_failing_engine_counts_as_internal_error(client, monkeypatch):
    import service.engine

    def broken(text, published_at=None):
        raise RuntimeError("engine bug")

    monkeypatch.setattr(service.engine, "extract_pledges", broken)
    before = value("rejected_requests_total", reason="internal_error", status="500")
    assert client.post("/v1/extract", json={"text": "anything"}).status_code == 500
    assert value("rejected_requests_total", reason="internal_error", status="500") == before + 1


@pytest.mark.parametrize("status, problem_type, reason", [
    (429, "https://pledges.example/problems/rate-limited", "rate_limited"),
    (401, "https://pledges.example/problems#Missing-API-Key", "missing_api_key"),
    (422, "about:blank", "invalid_request"),
    (422, None, "invalid_request"),
    (409, None, "conflict"),
    (418, "about:blank", "i_m_a_teapot"),
    (599, None, "status_599"),
])
def test_rejection_reason_labels_are_short_and_bounded(status, problem_type, reason):
    assert metrics.rejection_reason(status, problem_type) == reason


def test_clear_directory_removes_only_value_files(tmp_path):
    (tmp_path / "counter_123.db").write_bytes(b"\0" * 8)
    (tmp_path / "histogram_456.db").write_bytes(b"\0" * 8)
    (tmp_path / "notes.txt").write_text("keep me")
    assert metrics.clear_directory(str(tmp_path)) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_readme_lists_every_metric():
    from conftest import REPO
    readme = (REPO / "docs" / "operations.md").read_text()
    for name in metrics.METRIC_NAMES:
        assert f"`{name}`" in readme, name
