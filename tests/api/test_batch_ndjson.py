"""POST /v1/extract/batch with NDJSON: one document per line in (Content-Type:
application/x-ndjson), one result per line out (Accept: application/x-ndjson), streamed."""
import json
import logging
import shutil
import subprocess

import pytest
import yaml
from conftest import SPEC_PATH, assert_problem, make_app

NDJSON = "application/x-ndjson"
ASK_NDJSON = {"Accept": NDJSON}


def ndjson(*records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def post(client, body, content_type=NDJSON, **kwargs):
    data = body.encode("utf-8") if isinstance(body, str) else body
    return client.post("/v1/extract/batch", data=data, content_type=content_type, **kwargs)


def lines_of(response) -> list[dict]:
    assert response.status_code == 200 and response.mimetype == NDJSON
    text = response.get_data(as_text=True)
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(scope="module")
def batch_item_validator():
    """Validates one NDJSON result line against the spec's BatchItem."""
    from openapi_schema_validator import OAS30Validator
    schemas = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))["components"]["schemas"]
    return OAS30Validator({"$ref": "#/components/schemas/BatchItem", "components": {"schemas": schemas}})


MIXED = ndjson(
    {"id": 1, "text": "first", "published_at": "2024-01-02"},
    "",                                    # blank lines are skipped
    {"id": "empty", "text": ""},
    "not json at all",
    "[1, 2]",
    {"text": "no id"},
    {"id": "last", "text": "last", "publishedAt": "2024-01-03"},
)


def test_ndjson_in_json_out_every_line_gets_its_result(client, fake_engine, spec_validator):
    response = spec_validator(post(client, MIXED))
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    results = body["results"]
    assert [(r["id"], r["line"], r["ok"]) for r in results] == [
        (1, 1, True), ("empty", 3, False), (None, 4, False), (None, 5, False), (None, 6, False), ("last", 7, True)]
    assert [r["error"]["status"] for r in results if not r["ok"]] == [422, 400, 422, 422]
    unreadable = results[2]["error"]
    assert unreadable["detail"] == "Line 4 is not valid JSON: Expecting value (column 1)."
    assert unreadable["errors"] == [{"pointer": "", "detail": unreadable["detail"]}]
    # pointers are into the line's own object, not into a "documents" array
    assert results[1]["error"]["errors"][0]["pointer"] == "/text"
    assert results[4]["error"]["errors"][0]["pointer"] == "/id"
    assert [call[0] for call in fake_engine] == ["first", "last"]
    assert body["meta"] == {**body["meta"], "document_count": 6, "ok_count": 2, "error_count": 4}
    [warning] = results[5]["result"]["meta"]["warnings"]
    assert warning["code"] == "unknown_member" and "/publishedAt" in warning["detail"]


def test_ndjson_in_ndjson_out(client, fake_engine, batch_item_validator):
    response = post(client, MIXED, headers=ASK_NDJSON)
    assert response.is_streamed
    records = lines_of(response)
    assert [(r["id"], r["line"], r["ok"]) for r in records] == [
        (1, 1, True), ("empty", 3, False), (None, 4, False), (None, 5, False), (None, 6, False), ("last", 7, True)]
    for record in records:
        batch_item_validator.validate(record)
    assert records[0]["result"]["meta"]["published_at"] == "2024-01-02"


def test_json_in_ndjson_out_matches_the_json_answer(client, fake_engine):
    docs = [{"id": f"d{i}", "text": f"text {i}"} for i in range(4)] + [{"id": "bad", "text": " "}]
    as_json = client.post("/v1/extract/batch", json={"documents": docs}).get_json()["results"]
    as_lines = lines_of(client.post("/v1/extract/batch", json={"documents": docs}, headers=ASK_NDJSON))

    def untimed(item):
        if item["ok"]:
            item["result"]["meta"].pop("elapsed_ms")
        else:
            item["error"].pop("request_id")
        return item

    assert [untimed(r) for r in as_lines] == [untimed(r) for r in as_json]
    assert all("line" not in r for r in as_lines)  # a JSON request has no lines to name


def test_results_are_written_as_they_are_done(client, monkeypatch):
    """The answer is a generator: when line k is read, the engine has run on k documents, or
    k + 1 (the test client reads one item ahead to start the response), never on all of them."""
    import service.engine
    from conftest import sample_extraction
    calls = []

    def counting(text, published_at=None):
        calls.append(text)
        return sample_extraction(text)

    monkeypatch.setattr(service.engine, "extract_pledges", counting)
    response = post(client, ndjson(*({"id": i, "text": f"doc {i}"} for i in range(5))), headers=ASK_NDJSON)
    chunks = iter(response.response)
    for k in range(1, 6):
        assert json.loads(next(chunks))["id"] == k - 1
        assert k <= len(calls) <= k + 1, (k, calls)
    assert calls == [f"doc {i}" for i in range(5)]
    with pytest.raises(StopIteration):
        next(chunks)
    response.close()


@pytest.mark.parametrize("accept, mimetype", [
    ("application/x-ndjson", NDJSON),
    ("application/json, application/x-ndjson;q=0.5", "application/json"),
    ("application/json;q=0.5, application/x-ndjson", NDJSON),
    ("*/*", "application/json"),
    (None, "application/json"),
])
def test_the_accept_header_chooses(client, fake_engine, accept, mimetype):
    headers = {"Accept": accept} if accept else {}
    response = client.post("/v1/extract/batch", json={"documents": [{"id": "a", "text": "x"}]}, headers=headers)
    assert response.status_code == 200 and response.mimetype == mimetype


def test_a_line_that_is_not_utf8_gets_its_own_400(client, fake_engine):
    body = b'{"id": "a", "text": "fine"}\n{"id": "b", "text": "\xff"}\n{"id": "c", "text": "fine too"}\n'
    results = post(client, body).get_json()["results"]
    assert [(r["line"], r["ok"]) for r in results] == [(1, True), (2, False), (3, True)]
    assert results[1]["error"]["status"] == 400 and "not valid UTF-8" in results[1]["error"]["detail"]


def test_crlf_line_ends_and_a_byte_order_mark_are_read(client, fake_engine):
    body = b'\xef\xbb\xbf{"id": "a", "text": "one"}\r\n{"id": "b", "text": "two"}\r\n'
    results = post(client, body).get_json()["results"]
    assert [(r["id"], r["ok"]) for r in results] == [("a", True), ("b", True)]


def test_a_too_deep_line_is_its_own_422(fake_engine):
    client = make_app(MAX_JSON_DEPTH=3, WARM_UP=False).test_client()
    body = ndjson({"id": "a", "text": "ok"}, {"id": "b", "text": "x", "extra": [[[[1]]]]})
    results = post(client, body).get_json()["results"]
    assert results[0]["ok"] and not results[1]["ok"]
    assert results[1]["error"]["status"] == 422 and "MAX_JSON_DEPTH (3)" in results[1]["error"]["detail"]


@pytest.mark.parametrize("body", ["garbage\nmore garbage\n", '{"documents": [\n{"id": "a", "text": "x"}\n'[:14],
                                  b"\xff\xfe\n"])
def test_a_body_with_no_json_line_at_all_is_400(client, fake_engine, spec_validator, body):
    problem = assert_problem(spec_validator(post(client, body)), 400)
    assert problem["detail"].startswith("The request body is not NDJSON")
    assert fake_engine == []


@pytest.mark.parametrize("body", ["", "\n\n  \n"])
def test_a_body_without_lines_is_422(client, spec_validator, body):
    problem = assert_problem(spec_validator(post(client, body)), 422)
    assert problem["errors"][0]["pointer"] == ""


def test_max_batch_documents_counts_lines(fake_engine):
    client = make_app(MAX_BATCH_DOCUMENTS=2, WARM_UP=False).test_client()
    body = ndjson(*({"id": i, "text": "x"} for i in range(3)))
    problem = assert_problem(post(client, body, headers=ASK_NDJSON), 422)
    assert problem["errors"] == [{"pointer": "", "detail": "More than MAX_BATCH_DOCUMENTS (2) documents: 3."}]
    assert fake_engine == []


def test_the_request_log_line_counts_the_whole_stream(client, fake_engine, caplog):
    caplog.set_level(logging.INFO, logger="service.requests")
    response = post(client, ndjson({"id": "a", "text": "abc"}, {"id": "b", "text": "de"}), headers=ASK_NDJSON)
    assert [r for r in caplog.records if r.name == "service.requests"] == []  # not before it is written
    response.get_data()
    response.close()
    [record] = [r for r in caplog.records if r.name == "service.requests"]
    assert (record.status, record.documents, record.text_chars) == (200, 2, 5)


def test_other_body_media_types_are_415(client):
    body = assert_problem(post(client, "id,text\na,x\n", content_type="text/csv"), 415)
    assert "application/json or application/x-ndjson" in body["detail"]


def test_the_spec_documents_ndjson_both_ways():
    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    operation = spec["paths"]["/v1/extract/batch"]["post"]
    request = operation["requestBody"]["content"]
    assert list(request) == ["application/json", NDJSON]
    assert request[NDJSON]["schema"]["anyOf"][0] == {"$ref": "#/components/schemas/BatchDocument"}
    answer = operation["responses"]["200"]["content"]
    assert list(answer) == ["application/json", NDJSON]
    assert answer[NDJSON]["schema"] == {"$ref": "#/components/schemas/BatchItem"}
    assert all(json.loads(line) for line in request[NDJSON]["example"].splitlines())
    assert all(json.loads(line)["line"] for line in answer[NDJSON]["example"].splitlines())


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_ndjson_over_http(live_server, tmp_path):
    corpus = tmp_path / "corpus.ndjson"
    corpus.write_text(ndjson({"id": 1, "text": "Japan pledged $5 million to Nepal on Monday.",
                              "published_at": "2024-05-06"}, "{broken", {"id": 3, "text": "Germany pledged €2 million."}))
    out = subprocess.run(["curl", "-sS", "-N", "--data-binary", f"@{corpus}", "-H", f"Content-Type: {NDJSON}",
                          "-H", f"Accept: {NDJSON}", "-D", str(tmp_path / "headers"), f"{live_server.url}/v1/extract/batch"],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    headers = (tmp_path / "headers").read_text().lower()
    assert " 200 " in headers.splitlines()[0] and "content-type: application/x-ndjson" in headers
    assert "transfer-encoding: chunked" in headers   # streamed: no Content-Length up front
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["id"], r["line"], r["ok"]) for r in records] == [(1, 1, True), (None, 2, False), (3, 3, True)]
    assert records[0]["result"]["pledges"][0]["donor"]["code"] == "JPN"
