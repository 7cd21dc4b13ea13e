"""GET /v1/pledges with Accept: text/csv: Kiel-like columns, the same filters as the JSON list,
streamed in chunks."""
import csv
import io
from datetime import date

import pytest

from service.ledger import query
from service.ledger.models import Pledge
from tests.conftest import assert_problem, make_app
from tests.ledger.test_summary import ARTICLES

COLUMNS = ["id", "donor_code", "donor_name", "recipient_code", "amount", "currency", "category", "instrument",
           "date", "status", "n_sources", "first_source_url", "evidence"]
CSV = {"Accept": "text/csv"}


@pytest.fixture
def client(ledger):
    client = make_app(DATABASE_URL=ledger.url, WARM_UP=False).test_client()
    for text, published_at, url in ARTICLES:
        assert client.post("/v1/articles", json={"text": text, "published_at": published_at,
                                                 "url": url}).status_code == 201
    return client


def _rows(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    reader = csv.reader(io.StringIO(response.get_data(as_text=True)))
    assert next(reader) == COLUMNS
    return [dict(zip(COLUMNS, row)) for row in reader]


def test_columns_and_values(client, spec_validator):
    response = spec_validator(client.get("/v1/pledges?donor=AUS", headers=CSV))
    rows = _rows(response)
    assert "attachment" in response.headers["Content-Disposition"]
    assert [(r["amount"], r["currency"], r["recipient_code"]) for r in rows] == [
        ("70000000", "AUD", "UKR"), ("30000000", "AUD", "UKR"), ("10000000", "USD", "MDA")]
    first = rows[0]
    assert (first["donor_code"], first["donor_name"], first["category"], first["date"], first["status"]) == (
        "AUS", "Australia", "humanitarian", "2022-03-01", "new")
    # two articles report it; the earliest source (the first published, then the first stored) comes first
    assert first["n_sources"] == "2" and first["first_source_url"] == "https://a.test/1"
    assert first["evidence"] == ARTICLES[0][0]
    assert rows[1]["category"] == "military" and rows[1]["date"] == "2022-03-04"


@pytest.mark.parametrize("filters", ["", "donor=AUS", "category=military", "recipient=MDA", "status=new",
                                     "date_from=2022-03-02", "date_to=2022-03-01", "donor=AUS&category=humanitarian",
                                     "donor=NOBODY"])
def test_the_same_filters_as_the_json_list(client, filters):
    listed = client.get(f"/v1/pledges?{filters}&limit=500").get_json()["items"]
    exported = _rows(client.get(f"/v1/pledges?{filters}", headers=CSV))
    assert [r["id"] for r in exported] == [str(p["id"]) for p in listed]


def test_limit_does_not_cut_the_export_and_the_cursor_starts_it(client):
    everything = _rows(client.get("/v1/pledges?limit=1", headers=CSV))
    assert len(everything) == 4
    after_first = _rows(client.get(f"/v1/pledges?cursor={everything[0]['id']}", headers=CSV))
    assert after_first == everything[1:]


@pytest.mark.parametrize("accept, csv_wanted", [
    ("text/csv", True), ("text/csv, application/json;q=0.5", True), ("*/*", False),
    ("application/json", False), ("text/csv;q=0.5, application/json", False), ("text/html", False)])
def test_accept_chooses_the_media_type(client, accept, csv_wanted):
    response = client.get("/v1/pledges", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == ("text/csv" if csv_wanted else "application/json")


def test_chunks_join_to_the_same_file(ledger, client):
    whole = "".join(query.csv_export(ledger, {}))
    chunks = list(query.csv_export(ledger, {}, chunk=1))
    assert len(chunks) == 4 and "".join(chunks) == whole
    assert len(list(query.csv_export(ledger, {"donor": "NOBODY"}))) == 1  # the header alone


def test_a_text_cell_a_spreadsheet_would_run_is_defused():
    pledge = Pledge(id=7, donor_code="XXX", donor_name="=HYPERLINK(\"x\")", recipient_code=None, value="5",
                    currency="USD", category="unspecified", instrument="unspecified", date=date(2022, 1, 2),
                    status="new", source_count=1)
    row = query.csv_row(pledge, ("https://x.test/", "@SUM(A1) is not a pledge"))
    assert row[2] == "'=HYPERLINK(\"x\")" and row[12] == "'@SUM(A1) is not a pledge"
    assert row[11] == "https://x.test/" and row[4] == "5" and row[3] == ""


def test_unreachable_database_is_503_for_the_export_too():
    client = make_app(DATABASE_URL="postgresql://nobody@127.0.0.1:1/none", WARM_UP=False).test_client()
    assert_problem(client.get("/v1/pledges", headers=CSV), 503)
