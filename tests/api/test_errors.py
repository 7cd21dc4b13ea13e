"""Every error status: problem+json (RFC 9457) with type, title, status, detail and, for field
problems, errors pointing at the offending members. Checked against openapi.yaml too."""
import io

import pytest
from conftest import assert_problem, make_app


def test_malformed_json_is_400(client, spec_validator):
    response = spec_validator(client.post("/v1/extract", data='{"text": "unfinished',
                                          content_type="application/json"))
    body = assert_problem(response, 400)
    assert body["errors"] == [{"pointer": "", "detail": "Invalid JSON body."}]


def test_body_that_is_not_utf8_is_400(client):
    response = client.post("/v1/extract", data=b'{"text": "\xff\xfe"}', content_type="application/json")
    assert_problem(response, 400)


def test_empty_json_body_is_rejected(client):
    response = client.post("/v1/extract", data=b"", content_type="application/json")
    assert response.status_code in (400, 422)
    assert_problem(response, response.status_code)


@pytest.mark.parametrize("content_type", ["application/xml", "application/x-www-form-urlencoded", None])
def test_wrong_content_type_is_415(client, spec_validator, content_type):
    kwargs = {"content_type": content_type} if content_type else {}
    response = spec_validator(client.post("/v1/extract", data='{"text": "hello"}', **kwargs))
    body = assert_problem(response, 415)
    assert "application/json" in body["detail"]


@pytest.mark.parametrize("path", ["/v1/extract", "/v1/extract/batch", "/v1/amounts"])
def test_every_json_endpoint_answers_415(client, path):
    assert_problem(client.post(path, data="text=hello", content_type="application/x-www-form-urlencoded"), 415)


def test_batch_takes_no_text_plain(client):
    body = assert_problem(client.post("/v1/extract/batch", data="hello", content_type="text/plain"), 415)
    assert "text/plain" in body["detail"] and "application/json" in body["detail"]


def test_body_over_the_limit_is_413(spec_validator, fake_engine):
    client = make_app(MAX_BODY_BYTES=100).test_client()
    response = spec_validator(client.post("/v1/extract", json={"text": "x" * 200}))
    body = assert_problem(response, 413)
    assert "100 bytes" in body["detail"]
    assert client.post("/v1/extract", json={"text": "x" * 50}).status_code == 200


def test_body_over_the_limit_without_content_length_is_413():
    client = make_app(MAX_BODY_BYTES=100).test_client()
    body = io.BytesIO(b'{"text": "' + b"x" * 300 + b'"}')
    response = client.post("/v1/extract", input_stream=body, content_type="application/json",
                           headers={"Transfer-Encoding": "chunked"},
                           environ_overrides={"wsgi.input_terminated": True})  # as gunicorn sets it
    assert_problem(response, 413)


@pytest.mark.parametrize("payload, pointer", [
    ({}, "/text"),
    ({"text": ""}, "/text"),
    ({"text": " \n\t "}, "/text"),
    ({"text": "\u3000\u00a0\u2028"}, "/text"),  # Unicode spaces are blank too
    ({"text": 42}, "/text"),
    ({"text": None}, "/text"),
    ({"text": "ok", "published_at": "1 March 2022"}, "/published_at"),
    ({"text": "ok", "published_at": "2022-02-30"}, "/published_at"),
    ({"text": "ok", "published_at": "2022-03-01T08:00:00"}, "/published_at"),  # RFC 3339 needs an offset
    ({"text": "ok", "published_at": "2022-03-01 08:00:00Z"}, "/published_at"),
    ({"text": "ok", "published_at": "2022-03-01T25:00:00Z"}, "/published_at"),
    ({"text": "ok", "published_at": "2022-03-01T08:00Z"}, "/published_at"),
    ({"text": "ok", "published_at": 20220301}, "/published_at"),
    ({"text": "ok", "source_url": "x" * 3000}, "/source_url"),
    ([{"text": "a list, not an object"}], ""),
    ("just a string", ""),
])
def test_invalid_body_is_422_with_pointers(client, spec_validator, payload, pointer):
    response = spec_validator(client.post("/v1/extract", json=payload))
    body = assert_problem(response, 422)
    assert pointer in [e["pointer"] for e in body["errors"]]
    assert all(isinstance(e["detail"], str) and e["detail"] for e in body["errors"])


def test_text_over_max_text_chars_is_422():
    client = make_app(MAX_TEXT_CHARS=10).test_client()
    body = assert_problem(client.post("/v1/extract", json={"text": "x" * 11}), 422)
    assert body["errors"] == [{"pointer": "/text", "detail": "Longer than MAX_TEXT_CHARS (10) characters: 11."}]


def test_unknown_path_is_404(client):
    body = assert_problem(client.get("/v2/nothing-here"), 404)
    assert body["instance"] == "/v2/nothing-here"


def test_unknown_path_with_post_is_404_not_415(client):
    assert_problem(client.post("/v1/nothing", data="x", content_type="text/plain"), 404)


@pytest.mark.parametrize("method, path, allowed", [
    ("get", "/v1/extract", {"POST", "OPTIONS"}),
    ("delete", "/v1/extract/batch", {"POST", "OPTIONS"}),
    ("post", "/readyz", {"GET", "HEAD", "OPTIONS"}),
])
def test_wrong_method_is_405_with_allow(client, method, path, allowed):
    response = getattr(client, method)(path, json={"text": "x"})
    assert_problem(response, 405)
    assert {m.strip() for m in response.headers["Allow"].split(",")} == allowed


def test_engine_failure_is_500_without_internals(client, monkeypatch, spec_validator, caplog):
    import service.engine

    def broken(text, published_at=None):
        raise RuntimeError("secret path /srv/gazetteer.csv exploded")

    monkeypatch.setattr(service.engine, "extract_pledges", broken)
    response = spec_validator(client.post("/v1/extract", json={"text": "hello"}))
    body = assert_problem(response, 500)
    raw = response.get_data(as_text=True)
    assert "secret" not in raw and "Traceback" not in raw and "RuntimeError" not in raw
    assert set(body) == {"type", "title", "status", "detail", "instance", "request_id"}
    # ...but the log has it, under the same request id.
    assert any(body["request_id"] in r.getMessage() and r.exc_info for r in caplog.records)


class TestRequestId:
    def test_generated_when_absent(self, client):
        first = client.get("/livez").headers["X-Request-ID"]
        second = client.get("/livez").headers["X-Request-ID"]
        assert len(first) == 32 and first != second

    def test_caller_id_is_echoed(self, client):
        response = client.post("/v1/extract", json={}, headers={"X-Request-ID": "req-42.abc"})
        assert response.headers["X-Request-ID"] == "req-42.abc"
        assert response.get_json(force=True)["request_id"] == "req-42.abc"

    @pytest.mark.parametrize("bad", ["x" * 200, "has space", "semi;colon", "<script>"])
    def test_unsafe_caller_id_is_replaced(self, client, bad):
        echoed = client.get("/livez", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert echoed != bad and len(echoed) == 32

    def test_on_every_error_too(self, client):
        assert client.get("/nowhere").headers["X-Request-ID"]
        assert client.get("/v1/extract").headers["X-Request-ID"]


def test_routing_redirects_stay_redirects(client):
    response = client.get("/docs//init.js")  # werkzeug merges the slashes with a redirect
    assert response.status_code == 308 and response.headers["Location"].endswith("/docs/init.js")
