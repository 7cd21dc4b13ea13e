"""GET /v1/donors/{code}/summary: sums per currency of the donor's ledger pledges, USD/EUR with
FX_RATES_FILE (each pledge at its own date's rate), and the running-total series."""
import pytest

from tests.conftest import REPO, assert_problem, make_app

FX_SAMPLE = REPO / "tests" / "fx" / "eurofxref-hist-sample.csv"

ARTICLES = [
    # A$70 million on Tuesday 2022-03-01 (US$50 million is its conversion: one pledge, in AUD)
    ("Australia pledged A$70 million (US$50 million) in humanitarian aid to Ukraine on Tuesday.",
     "2022-03-02", "https://a.test/1"),
    # the same pledge reported again: it must not be added twice
    ("Australia will send US$50 million in humanitarian aid to Ukraine, the government said on Tuesday.",
     "2022-03-02", "https://b.test/2"),
    # new money on Friday 2022-03-04, and a running total that must never be added
    ("Australia announced a further A$30 million in military aid to Ukraine on Friday, "
     "bringing its total to A$100 million.", "2022-03-08", "https://c.test/3"),
    # US$10 million on Monday 2022-03-07 (the sample has no rate that day: Friday's is used)
    ("Australia will give US$10 million in humanitarian aid to Moldova, it said on Monday.",
     "2022-03-08", "https://d.test/4"),
    # a pledge dated before the sample's first rate: it cannot be converted
    ("Canada pledged C$25 million in military aid to Ukraine on Monday.", "2021-01-05", "https://e.test/5"),
]


def _client(ledger, **config):
    client = make_app(DATABASE_URL=ledger.url, WARM_UP=False, **config).test_client()
    for text, published_at, url in ARTICLES:
        response = client.post("/v1/articles", json={"text": text, "published_at": published_at, "url": url})
        assert response.status_code == 201, response.get_data(as_text=True)
    return client


def test_sums_per_currency_and_the_running_total_series(ledger, spec_validator):
    client = _client(ledger)
    response = spec_validator(client.get("/v1/donors/AUS/summary"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["donor"] == {"code": "AUS", "name": "Australia"}
    assert body["pledge_count"] == 3
    assert body["sums"] == [{"currency": "AUD", "sum": 100_000_000, "pledge_count": 2},
                            {"currency": "USD", "sum": 10_000_000, "pledge_count": 1}]
    # no FX file: no USD/EUR members at all
    assert "sum_usd" not in body and "unconverted_count" not in body
    (total,) = body["running_totals"]
    assert (total["date"], total["amount"], total["currency"]) == ("2022-03-04", 100_000_000, "AUD")
    assert total["source"]["url"] == "https://c.test/3" and "bringing its total" in total["source"]["evidence"]
    assert total["source"]["published_at"] == "2022-03-08"


def test_usd_and_eur_sums_at_each_pledges_own_date(ledger, spec_validator):
    client = _client(ledger, FX_RATES_FILE=str(FX_SAMPLE))
    body = spec_validator(client.get("/v1/donors/AUS/summary")).get_json()
    aud, usd = body["sums"]
    # A$70m at 2022-03-01 (USD 1.10, AUD 1.54 per EUR) + A$30m at 2022-03-04 (USD 1.09, AUD 1.54)
    assert aud["sum_usd"] == pytest.approx(50_000_000.00 + 21_233_766.23, abs=0.001)
    assert aud["sum_eur"] == pytest.approx(45_454_545.45 + 19_480_519.48, abs=0.001)
    # US$10m on 2022-03-07: the nearest earlier rate, 2022-03-04 (USD 1.09 per EUR)
    assert usd["sum_usd"] == 10_000_000 and usd["sum_eur"] == pytest.approx(9_174_311.93, abs=0.001)
    assert body["sum_usd"] == pytest.approx(81_233_766.23, abs=0.001)
    assert body["sum_eur"] == pytest.approx(74_109_376.86, abs=0.001)
    assert body["unconverted_count"] == 0


def test_a_pledge_without_a_rate_makes_the_converted_sums_null(ledger, spec_validator):
    client = _client(ledger, FX_RATES_FILE=str(FX_SAMPLE))
    body = spec_validator(client.get("/v1/donors/CAN/summary")).get_json()
    assert body["sums"] == [{"currency": "CAD", "sum": 25_000_000, "pledge_count": 1,
                             "sum_usd": None, "sum_eur": None}]
    assert body["sum_usd"] is None and body["sum_eur"] is None and body["unconverted_count"] == 1
    assert body["running_totals"] == []


def test_retracting_the_article_removes_the_total_from_the_series(ledger):
    client = _client(ledger)
    article_id = client.post("/v1/articles", json={"text": ARTICLES[2][0], "published_at": ARTICLES[2][1],
                                                   "url": ARTICLES[2][2]}).get_json()["article"]["id"]
    assert client.delete(f"/v1/articles/{article_id}").status_code == 204
    body = client.get("/v1/donors/AUS/summary").get_json()
    assert body["running_totals"] == [] and body["sums"][0] == {"currency": "AUD", "sum": 70_000_000,
                                                                "pledge_count": 1}


@pytest.mark.parametrize("code", ["FRA", "aus", "A" * 17, "A%00B"])
def test_a_donor_with_nothing_is_404_problem(ledger, spec_validator, code):
    client = _client(ledger)
    body = assert_problem(spec_validator(client.get(f"/v1/donors/{code}/summary")), 404)
    assert "no pledge" in body["detail"]
