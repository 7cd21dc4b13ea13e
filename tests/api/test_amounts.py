"""POST /v1/amounts: the money stage over HTTP, same answers as in-process."""
from decimal import Decimal

import pytest
from conftest import assert_problem, make_app

# Sentences written for these tests (not from the eval sets).
SENTENCES = [
    "The ministry set aside €1.2bn for repairs and another $300,000 for tents.",
    "Officials promised about 350 million yen (roughly $2.4 million) on Friday.",
    "A grant of £75m was followed by a loan of up to CHF 40 million.",
    "No money is mentioned in this sentence at all.",
]


@pytest.fixture
def fake_stage(monkeypatch):
    """Stand-in money stage so the HTTP shaping is tested whatever the real stage finds."""
    from service.api import amounts
    from service.engine.types import Money

    def find_money(text):
        start = text.index("€")
        equivalent = Money(start=start + 12, end=start + 25, text="($1.3 billion)", value=Decimal("1.3E+9"),
                           currency="USD", currency_assumed=True)
        return [
            Money(start=start, end=start + 6, text=text[start:start + 6], value=Decimal("1200000000"),
                  currency="EUR", equivalent=equivalent),
            Money(start=0, end=4, text=text[:4], value=None, currency=None, qualifier="approximate"),
            Money(start=5, end=9, text=text[5:9], value=Decimal("2.5"), upper=Decimal("3.75"),
                  currency="GBP", qualifier="range"),
        ]

    monkeypatch.setattr(amounts, "find_money", find_money)


def test_shape_and_exact_numbers(client, fake_stage, spec_validator):
    text = "Some €1.2bn ($1.3 billion) here"
    response = spec_validator(client.post("/v1/amounts", json={"text": text}))
    assert response.status_code == 200
    body = response.get_json()
    first, vague, ranged = body["amounts"]
    assert first["value"] == 1200000000 and isinstance(first["value"], int)
    assert first["equivalent"] == {"text": "($1.3 billion)", "start": 17, "end": 30, "value": 1300000000,
                                   "upper": None, "currency": "USD", "currency_assumed": True,
                                   "qualifier": None}
    assert vague["value"] is None and vague["currency"] is None and vague["equivalent"] is None
    assert (ranged["value"], ranged["upper"], ranged["qualifier"]) == (2.5, 3.75, "range")
    assert body["meta"]["amount_count"] == 3 and body["meta"]["text_length"] == len(text)


def test_validation_and_errors_follow_the_same_rules(client, spec_validator):
    assert_problem(spec_validator(client.post("/v1/amounts", json={"text": ""})), 422)
    assert_problem(spec_validator(client.post("/v1/amounts", data="{", content_type="application/json")), 400)
    assert_problem(spec_validator(client.post("/v1/amounts", data="€5", content_type="application/xml")), 415)
    assert_problem(make_app(MAX_TEXT_CHARS=3, WARM_UP=False).test_client().post(
        "/v1/amounts", json={"text": "€5 million"}), 422)


def test_stage_failure_is_500(client, monkeypatch):
    from service.api import amounts

    def broken(text):
        raise KeyError("scale")

    monkeypatch.setattr(amounts, "find_money", broken)
    body = assert_problem(client.post("/v1/amounts", json={"text": "€5"}), 500)
    assert "scale" not in str(body)


@pytest.mark.parametrize("text", SENTENCES)
def test_same_answers_as_the_stage_in_process(client, spec_validator, text):
    money = pytest.importorskip("service.engine.money", reason="the money stage (issue 3) is not in yet")
    from service.serialize import amounts_to_list
    response = spec_validator(client.post("/v1/amounts", json={"text": text}))
    assert response.status_code == 200
    assert response.get_json()["amounts"] == amounts_to_list(money.find_money(text))


def test_real_stage_reads_a_plain_amount(client):
    pytest.importorskip("service.engine.money", reason="the money stage (issue 3) is not in yet")
    amounts = client.post("/v1/amounts", json={"text": "They gave €1.2bn."}).get_json()["amounts"]
    assert [(a["value"], a["currency"], a["text"]) for a in amounts] == [(1200000000, "EUR", "€1.2bn")]


# A short text that is one amount the continental way: read whole (service/engine/amount_string.py).

@pytest.mark.parametrize("text, value, currency, assumed", [
    ("  2\u00a0480,75 €\n", 2480.75, "EUR", False),   # the stage reads nothing
    ("CHF 6'300.40", 6300.4, "CHF", False),            # the stage reads only "CHF 6"
    ("$ 1 005,20", 1005.2, "USD", True),
])
def test_a_short_amount_string_is_read_whole(client, spec_validator, text, value, currency, assumed):
    response = spec_validator(client.post("/v1/amounts", json={"text": text}))
    body = response.get_json()
    stripped = text.strip()
    start = text.index(stripped)
    assert body["amounts"] == [{"text": stripped, "start": start, "end": start + len(stripped),
                                "value": value, "upper": None, "currency": currency,
                                "currency_assumed": assumed, "qualifier": None, "equivalent": None}]
    assert body["meta"]["amount_count"] == 1


@pytest.mark.parametrize("text", ["80,15", "Zone 4 has 12,5 km of road", "-8,15 €"])
def test_a_short_string_without_one_amount_stays_unread(client, text):
    assert client.post("/v1/amounts", json={"text": text}).get_json()["amounts"] == []


def test_a_long_text_is_left_to_the_stage(client):
    from service.engine.money import find_money
    from service.serialize import amounts_to_list
    text = "The council's budget line for shelter repairs came to 2 480,75 € this week."
    assert len(text) > 64
    amounts = client.post("/v1/amounts", json={"text": text}).get_json()["amounts"]
    assert amounts == amounts_to_list(find_money(text))
    assert all(a["value"] != 2480.75 for a in amounts)
