"""The ledger over HTTP: POST /v1/articles (201, then 200), GET /v1/pledges, DELETE, 503 without a database."""
import pytest

from tests.conftest import assert_problem, make_app

A1 = "Australia pledged A$70 million (US$50 million) in humanitarian aid to Ukraine on Tuesday."
A2 = "Australia will send US$50 million in humanitarian aid to Ukraine, the government said on Tuesday."


@pytest.fixture
def ledger_client(ledger):
    app = make_app(DATABASE_URL=ledger.url, WARM_UP=False)
    return app.test_client()


def test_ingest_list_get_delete(ledger_client, spec_validator):
    first = ledger_client.post("/v1/articles", json={"text": A1, "published_at": "2022-03-01", "url": "https://a.test/1"})
    assert first.status_code == 201, first.get_data(as_text=True)
    spec_validator(first)
    body = first.get_json()
    assert body["article"]["url"] == "https://a.test/1" and len(body["article"]["content_sha256"]) == 64
    again = ledger_client.post("/v1/articles", json={"text": A1, "published_at": "2022-03-01", "url": "https://a.test/1"})
    assert again.status_code == 200 and again.get_json()["article"]["id"] == body["article"]["id"]
    second = ledger_client.post("/v1/articles", json={"text": A2, "published_at": "2022-03-02", "url": "https://b.test/2"})
    assert second.status_code == 201
    page = ledger_client.get("/v1/pledges?donor=AUS")
    spec_validator(page)
    items = page.get_json()["items"]
    assert len(items) == 1 and len(items[0]["sources"]) == 2
    assert items[0]["donor"]["code"] == "AUS" and page.get_json()["next_cursor"] is None
    one = ledger_client.get(f"/v1/pledges/{items[0]['id']}")
    assert one.status_code == 200 and one.get_json()["id"] == items[0]["id"]
    assert ledger_client.delete(f"/v1/articles/{body['article']['id']}").status_code == 204
    assert ledger_client.delete(f"/v1/articles/{second.get_json()['article']['id']}").status_code == 204
    assert ledger_client.get("/v1/pledges").get_json()["items"] == []
    assert_problem(ledger_client.get(f"/v1/pledges/{items[0]['id']}"), 404)


def test_unreachable_database_is_503_and_extract_still_works():
    app = make_app(DATABASE_URL="postgresql://nobody@127.0.0.1:1/none", WARM_UP=False)
    client = app.test_client()
    assert_problem(client.get("/v1/pledges"), 503)
    assert client.post("/v1/extract", json={"text": A1}).status_code == 200
