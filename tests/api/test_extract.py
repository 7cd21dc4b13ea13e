"""POST /v1/extract: the documented shape, exact numbers, dates handed to the engine."""
from datetime import date

import pytest
from conftest import make_app

TEXT = "Freedonia will give about €2.5 million in relief to Sylvania, its foreign minister said."


def test_answers_the_documented_shape_with_the_real_engine(client, spec_validator):
    response = spec_validator(client.post("/v1/extract", json={"text": TEXT}))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"pledges", "totals", "meta"}
    assert isinstance(body["pledges"], list) and isinstance(body["totals"], list)
    meta = body["meta"]
    assert meta["text_length"] == len(TEXT)
    assert meta["pledge_count"] == len(body["pledges"])
    assert meta["total_count"] == len(body["totals"])
    assert meta["elapsed_ms"] >= 0
    assert meta["published_at"] is None


def test_pledges_are_shaped_and_amounts_are_json_numbers(client, fake_engine, spec_validator):
    response = spec_validator(client.post("/v1/extract", json={"text": TEXT, "published_at": "2023-05-04"}))
    raw = response.get_data(as_text=True)
    assert '"value":2500000,' in raw  # an integral Decimal is written as an integer, not "2500000.0"
    pledge, fractional = response.get_json()["pledges"]
    assert pledge == {
        "donor": {"name": "Freedonia", "code": "FRE", "type": "country"},
        "recipient": {"name": "Sylvania", "code": "SYL", "type": "country"},
        "amount": {"value": 2500000, "upper": None, "currency": "EUR", "text": TEXT[:12],
                   "qualifier": "approximate", "currency_assumed": False},
        "category": "humanitarian", "date": "2023-05-04", "status": "new", "instrument": "grant",
        "evidence": [{"text": TEXT, "start": 0, "end": len(TEXT)}], "confidence": 0.75,
    }
    assert fractional["amount"]["value"] == 1.25 and fractional["recipient"] is None
    total = response.get_json()["totals"][0]
    assert total["sum"] == 2500001.25 and isinstance(total["sum"], float)
    assert total["stated_total"] == 3000000 and isinstance(total["stated_total"], int)
    assert total["pledge_count"] == 2


@pytest.mark.parametrize("published_at, expected", [
    ("2022-03-01", date(2022, 3, 1)),
    ("2022-03-01T23:30:00Z", date(2022, 3, 1)),
    ("2022-03-01T23:30:00-05:00", date(2022, 3, 1)),  # the date as written, not converted to UTC
    ("2022-03-02t00:10:00.123+09:00", date(2022, 3, 2)),
    ("2022-03-01T23:59:60Z", date(2022, 3, 1)),  # a leap second is RFC 3339 too
    (None, None),
])
def test_published_at_reaches_the_engine_as_a_date(client, fake_engine, published_at, expected):
    response = client.post("/v1/extract", json={"text": TEXT, "published_at": published_at})
    assert response.status_code == 200
    assert fake_engine == [(TEXT, expected)]
    assert response.get_json()["meta"]["published_at"] == (expected.isoformat() if expected else None)


def test_published_at_may_be_left_out(client, fake_engine):
    assert client.post("/v1/extract", json={"text": TEXT}).status_code == 200
    assert fake_engine == [(TEXT, None)]


def test_source_url_is_echoed_and_unknown_members_are_ignored(client, fake_engine):
    response = client.post("/v1/extract", json={"text": TEXT, "source_url": "https://example.org/a",
                                                "title": "not part of the contract"})
    assert response.status_code == 200
    assert response.get_json()["meta"]["source_url"] == "https://example.org/a"


def test_the_text_reaches_the_engine_unchanged(client, fake_engine):
    text = "  Leading spaces, tabs\tand unicode: 🇺🇦 €5m  \n"
    assert client.post("/v1/extract", json={"text": text}).status_code == 200
    assert fake_engine[0][0] == text


def test_text_at_the_limit_is_accepted(fake_engine):
    client = make_app(MAX_TEXT_CHARS=50).test_client()
    assert client.post("/v1/extract", json={"text": "x" * 50}).status_code == 200


def test_json_with_charset_parameter_is_accepted(client, fake_engine):
    response = client.post("/v1/extract", data='{"text": "hello"}',
                           content_type="application/json; charset=utf-8")
    assert response.status_code == 200


def test_serialize_gives_what_the_api_answers(client, fake_engine):
    """service.serialize.extraction_to_dict (used outside HTTP) writes the same JSON as the API."""
    from conftest import sample_extraction
    from service.serialize import extraction_to_dict
    body = client.post("/v1/extract", json={"text": TEXT, "published_at": "2023-05-04"}).get_json()
    offline = extraction_to_dict(sample_extraction(TEXT, date(2023, 5, 4)), text=TEXT,
                                 published_at=date(2023, 5, 4), elapsed_ms=body["meta"]["elapsed_ms"])
    assert offline == body
