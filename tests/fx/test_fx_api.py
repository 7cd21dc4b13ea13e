"""FX through the HTTP API: FX_RATES_FILE adds the fields openapi.yaml documents, and only then.

The stand-in engine (tests/conftest.py) answers two EUR pledges by Freedonia: 2,500,000 dated
with the publication date, and 1.25 with no date (so converted at the publication date too).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_app

from service import fx

FIXTURE = Path(__file__).with_name("eurofxref-hist-sample.csv")
BODY = {"text": "Freedonia pledges aid to Sylvania.", "published_at": "2022-03-01"}


def test_extract_gains_usd_and_eur(fake_engine, spec_validator):
    client = make_app(FX_RATES_FILE=str(FIXTURE)).test_client()
    answer = spec_validator(client.post("/v1/extract", json=BODY)).get_json()
    first, second = (p["amount"]["fx"] for p in answer["pledges"])
    # 2,500,000 EUR x 1.1000 (1 March 2022) = 2,750,000.00 USD
    assert first == {"usd": 2750000, "usd_upper": None, "eur": 2500000, "eur_upper": None,
                     "usd_per_unit": 1.1, "eur_per_unit": 1, "rate_date": "2022-03-01",
                     "date_basis": "pledge_date"}
    # 1.25 EUR x 1.1 = 1.375 USD, rounded half up to 1.38; no pledge date: the publication date's rate
    assert (second["usd"], second["eur"], second["date_basis"]) == (1.38, 1.25, "published_at")
    assert answer["totals"][0]["sum_usd"] == 2750001.38
    assert answer["totals_usd"] == [{"donor": {"name": "Freedonia", "code": "FRE", "type": "country"},
                                     "sum_usd": 2750001.38, "currencies": ["EUR"], "pledge_count": 2}]


def test_batch_items_gain_them_too(fake_engine, spec_validator):
    client = make_app(FX_RATES_FILE=str(FIXTURE)).test_client()
    response = spec_validator(client.post("/v1/extract/batch", json={"documents": [{"id": "a", **BODY}]}))
    assert response.get_json()["results"][0]["result"]["totals_usd"][0]["sum_usd"] == 2750001.38


def test_without_a_publication_date_the_undated_pledge_is_not_converted(fake_engine, spec_validator):
    client = make_app(FX_RATES_FILE=str(FIXTURE)).test_client()
    answer = spec_validator(client.post("/v1/extract", json={"text": BODY["text"]})).get_json()
    assert [p["amount"]["fx"] for p in answer["pledges"]] == [None, None]
    assert answer["totals"][0]["sum_usd"] is None and answer["totals_usd"][0]["sum_usd"] is None


def test_without_the_file_the_fields_are_absent(fake_engine, spec_validator, monkeypatch):
    monkeypatch.delenv("FX_RATES_FILE", raising=False)
    answer = spec_validator(make_app().test_client().post("/v1/extract", json=BODY)).get_json()
    assert "fx" not in answer["pledges"][0]["amount"]
    assert "sum_usd" not in answer["totals"][0]
    assert "totals_usd" not in answer


def test_the_environment_variable_configures_it(fake_engine, monkeypatch):
    monkeypatch.setenv("FX_RATES_FILE", str(FIXTURE))
    from service import create_app
    answer = create_app({"TESTING": True, "WARM_UP": False}).test_client().post("/v1/extract", json=BODY).get_json()
    assert answer["pledges"][0]["amount"]["fx"]["usd"] == 2750000


def test_a_bad_rates_file_stops_the_start(tmp_path):
    bad = tmp_path / "rates.csv"
    bad.write_text("Currency,Rate\nUSD,1.1\n")
    with pytest.raises(fx.FxRatesError, match="Date"):
        make_app(FX_RATES_FILE=str(bad))
    with pytest.raises(fx.FxRatesError, match="FX_RATES_FILE"):
        make_app(FX_RATES_FILE=str(tmp_path / "missing.csv"))


def test_the_spec_documents_the_fields():
    import yaml
    spec = yaml.safe_load((Path(__file__).parents[2] / "openapi.yaml").read_text())
    schemas = spec["components"]["schemas"]
    amount = next(s for s in schemas.values() if "currency_assumed" in s.get("properties", {})
                  and "fx" in s["properties"])
    assert "fx" not in amount.get("required", [])
    fx_props = schemas["Fx"]["properties"]
    assert set(fx_props) == {"usd", "usd_upper", "eur", "eur_upper", "usd_per_unit", "eur_per_unit",
                             "rate_date", "date_basis"}
    assert "sum_usd" in schemas["Total"]["properties"]
    assert "totals_usd" in schemas["ExtractResponse"]["properties"]
