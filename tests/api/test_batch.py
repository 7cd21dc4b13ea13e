"""POST /v1/extract/batch: every document gets its own result or its own error, in order."""
from conftest import assert_problem, make_app


def test_results_come_back_in_order_with_their_ids(client, fake_engine, spec_validator):
    docs = [{"id": f"doc-{i}", "text": f"text number {i}", "published_at": "2024-01-0%d" % (i + 1)}
            for i in range(5)]
    response = spec_validator(client.post("/v1/extract/batch", json={"documents": docs}))
    assert response.status_code == 200
    body = response.get_json()
    assert [r["id"] for r in body["results"]] == [d["id"] for d in docs]
    assert all(r["ok"] and "error" not in r for r in body["results"])
    assert [r["result"]["meta"]["text_length"] for r in body["results"]] == [len(d["text"]) for d in docs]
    assert [call[1].isoformat() for call in fake_engine] == [d["published_at"] for d in docs]
    assert body["meta"] == {**body["meta"], "document_count": 5, "ok_count": 5, "error_count": 0}


def test_a_bad_document_gets_its_own_error_and_the_rest_are_read(client, fake_engine, spec_validator):
    docs = [
        {"id": "good-1", "text": "first"},
        {"id": "empty", "text": ""},
        {"text": "no id"},
        "not an object",
        {"id": "bad-date", "text": "x", "published_at": "yesterday"},
        {"id": "good-2", "text": "last"},
    ]
    response = spec_validator(client.post("/v1/extract/batch", json={"documents": docs}))
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert len(results) == len(docs)
    assert [r["ok"] for r in results] == [True, False, False, False, False, True]
    assert [r["id"] for r in results] == ["good-1", "empty", None, None, "bad-date", "good-2"]
    pointers = [[e["pointer"] for e in r["error"]["errors"]] for r in results if not r["ok"]]
    assert pointers == [["/documents/1/text"], ["/documents/2/id"], ["/documents/3"],
                        ["/documents/4/published_at"]]
    assert all(r["error"]["status"] == 422 and r["error"]["type"] == "about:blank"
               for r in results if not r["ok"])
    assert [call[0] for call in fake_engine] == ["first", "last"]
    assert response.get_json()["meta"]["error_count"] == 4


def test_engine_failure_on_one_document_is_its_own_500(client, monkeypatch):
    from conftest import sample_extraction

    import service.engine

    def flaky(text, published_at=None):
        if "boom" in text:
            raise ValueError("internal detail")
        return sample_extraction(text)

    monkeypatch.setattr(service.engine, "extract_pledges", flaky)
    response = client.post("/v1/extract/batch", json={"documents": [
        {"id": "a", "text": "fine"}, {"id": "b", "text": "boom"}, {"id": "c", "text": "fine too"}]})
    assert response.status_code == 200
    a, b, c = response.get_json()["results"]
    assert a["ok"] and c["ok"] and not b["ok"]
    assert b["error"]["status"] == 500 and "internal detail" not in response.get_data(as_text=True)


def test_text_over_the_limit_fails_only_that_document(fake_engine):
    client = make_app(MAX_TEXT_CHARS=5).test_client()
    results = client.post("/v1/extract/batch", json={"documents": [
        {"id": "short", "text": "12345"}, {"id": "long", "text": "123456"}]}).get_json()["results"]
    assert results[0]["ok"] and not results[1]["ok"]
    assert results[1]["error"]["errors"][0]["pointer"] == "/documents/1/text"


def test_more_documents_than_allowed_is_422(fake_engine, spec_validator):
    client = make_app(MAX_BATCH_DOCUMENTS=3).test_client()
    docs = [{"id": str(i), "text": "x"} for i in range(4)]
    body = assert_problem(spec_validator(client.post("/v1/extract/batch", json={"documents": docs})), 422)
    assert body["errors"][0]["pointer"] == "/documents"
    assert "MAX_BATCH_DOCUMENTS (3)" in body["errors"][0]["detail"]
    assert client.post("/v1/extract/batch", json={"documents": docs[:3]}).status_code == 200
    assert fake_engine, "the engine ran for the accepted batch"


def test_default_limit_is_100(client, fake_engine):
    docs = [{"id": str(i), "text": "x"} for i in range(101)]
    assert_problem(client.post("/v1/extract/batch", json={"documents": docs}), 422)
    assert client.post("/v1/extract/batch", json={"documents": docs[:100]}).status_code == 200


def test_documents_must_be_a_non_empty_list(client, spec_validator):
    for payload in ({}, {"documents": []}, {"documents": {"id": "a", "text": "x"}}, {"documents": None}):
        body = assert_problem(spec_validator(client.post("/v1/extract/batch", json=payload)), 422)
        assert body["errors"][0]["pointer"] == "/documents"


def test_integer_ids_are_accepted_and_echoed_as_given(client, fake_engine, spec_validator):
    docs = [{"id": 7, "text": "first"}, {"id": "7", "text": "second"}, {"id": True, "text": "third"}]
    response = spec_validator(client.post("/v1/extract/batch", json={"documents": docs}))
    results = response.get_json()["results"]
    assert [(r["id"], r["ok"]) for r in results] == [(7, True), ("7", True), (None, False)]
    assert results[2]["error"]["errors"] == [{"pointer": "/documents/2/id", "detail": "Must be a string or an integer."}]
