"""POST /v1/articles/batch: per-article results or problems, in order, one transaction each."""
import pytest

from service.ledger import store
from tests.conftest import assert_problem, make_app

A1 = "Australia pledged A$70 million (US$50 million) in humanitarian aid to Ukraine on Tuesday."
A2 = "Australia will send US$50 million in humanitarian aid to Ukraine, the government said on Tuesday."
A3 = "Canada pledged C$25 million in military aid to Ukraine on Monday."


def _client(ledger, **config):
    return make_app(DATABASE_URL=ledger.url, WARM_UP=False, **config).test_client()


def test_each_article_gets_its_own_answer_in_order(ledger, spec_validator):
    client = _client(ledger)
    response = spec_validator(client.post("/v1/articles/batch", json={"articles": [
        {"text": A1, "published_at": "2022-03-02", "url": "https://a.test/1"},
        {"published_at": "2022-03-02"},                                  # no text
        {"text": A2, "published_at": "2022-03-02", "url": "https://b.test/2"},
        {"text": A1, "published_at": "2022-03-02", "url": "https://a.test/1"},  # the first again
        {"text": A3, "published_at": "not a date"},
    ]}))
    assert response.status_code == 200
    body = response.get_json()
    results = body["results"]
    assert [(r["index"], r["ok"], r["status"]) for r in results] == [
        (0, True, 201), (1, False, 422), (2, True, 201), (3, True, 200), (4, False, 422)]
    assert [e["pointer"] for e in results[1]["error"]["errors"]] == ["/articles/1/text"]
    assert [e["pointer"] for e in results[4]["error"]["errors"]] == ["/articles/4/published_at"]
    assert results[3]["result"]["article"]["id"] == results[0]["result"]["article"]["id"]
    # the second report of the same pledge is linked to the first one's ledger pledge
    assert results[2]["result"]["pledges"][0]["id"] == results[0]["result"]["pledges"][0]["id"]
    assert len(results[2]["result"]["pledges"][0]["sources"]) == 2
    assert body["meta"] | {"elapsed_ms": 0} == {"article_count": 5, "created_count": 2, "known_count": 1,
                                                "error_count": 2, "elapsed_ms": 0}
    assert len(client.get("/v1/pledges").get_json()["items"]) == 1


def test_one_failing_article_leaves_the_others_ingested(ledger, monkeypatch):
    real = store.ingest_article

    def failing(ledger_, text, *args, **kwargs):
        if text == A2:
            raise RuntimeError("boom")
        return real(ledger_, text, *args, **kwargs)
    monkeypatch.setattr(store, "ingest_article", failing)
    client = _client(ledger)
    body = client.post("/v1/articles/batch", json={"articles": [{"text": A1}, {"text": A2}, {"text": A3}]}).get_json()
    assert [r["status"] for r in body["results"]] == [201, 500, 201]
    assert body["results"][1]["error"]["status"] == 500 and "boom" not in str(body)
    donors = sorted(p["donor"]["code"] for p in client.get("/v1/pledges").get_json()["items"])
    assert donors == ["AUS", "CAN"]


def test_a_text_over_max_text_chars_is_that_articles_422(ledger):
    client = _client(ledger, MAX_TEXT_CHARS=70)
    body = client.post("/v1/articles/batch", json={"articles": [{"text": A1}, {"text": A3}]}).get_json()
    assert [r["status"] for r in body["results"]] == [422, 201]
    assert body["results"][0]["error"]["errors"][0]["pointer"] == "/articles/0/text"


@pytest.mark.parametrize("payload, pointer", [
    ({"articles": [{"text": A1}] * 3}, "/articles"),   # over MAX_BATCH_DOCUMENTS (2 here)
    ({"articles": []}, "/articles"),
    ({"articles": "not a list"}, "/articles"),
    ({}, "/articles"),
])
def test_the_whole_request_is_refused_only_for_the_list_itself(ledger, spec_validator, payload, pointer):
    client = _client(ledger, MAX_BATCH_DOCUMENTS=2)
    body = assert_problem(spec_validator(client.post("/v1/articles/batch", json=payload)), 422)
    assert [e["pointer"] for e in body["errors"]] == [pointer]
    assert client.get("/v1/pledges").get_json()["items"] == []


def test_database_down_is_a_503_per_article():
    client = make_app(DATABASE_URL="postgresql://nobody@127.0.0.1:1/none", WARM_UP=False).test_client()
    body = client.post("/v1/articles/batch", json={"articles": [{"text": A1}, {"text": A3}]}).get_json()
    assert [(r["ok"], r["status"], r["error"]["status"]) for r in body["results"]] == [(False, 503, 503)] * 2
