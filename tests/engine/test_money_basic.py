"""First smoke tests of the money stage (sentences written for these tests)."""
from decimal import Decimal

from service.engine.money import find_money, find_quantities


def one(text):
    found = find_money(text)
    assert len(found) == 1, found
    m = found[0]
    assert text[m.start:m.end] == m.text
    return m


def test_bare_dollar_is_assumed_usd():
    m = one("The foundation gave $75 million to the clinic network.")
    assert (m.text, m.value, m.currency, m.currency_assumed) == ("$75 million", Decimal(75_000_000), "USD", True)


def test_scale_abbreviations_and_symbols():
    assert one("Sweden adds €1.2bn for grids.").value == Decimal(1200000000)
    assert one("Canberra sets aside A$70m for the region.").currency == "AUD"
    assert one("London commits £3bn over five years.").value == Decimal(3 * 10**9)


def test_bracketed_conversion_is_one_amount():
    m = one("Oslo pledged 2 billion Norwegian crowns (about $190 million) to the fund.")
    assert m.currency == "NOK" and m.value == Decimal(2 * 10**9)
    assert m.equivalent.currency == "USD" and m.equivalent.value == Decimal(190_000_000)
    assert m.equivalent.qualifier == "approximate"


def test_not_money():
    assert find_money("A 25-mile queue, 4 million residents, 12% inflation, in 2019, the 3rd time.") == []


def test_quantities():
    qs = find_quantities("They shipped 3,000 helmets and 450 tonnes of flour.")
    assert [(q.quantity, q.unit) for q in qs] == [(Decimal(3000), "helmets"), (Decimal(450), "tonnes of flour")]


def test_currency_word_in_capitals_against_the_number():
    m = one("Relief goods worth 30,000,000YEN were flown in.")
    assert (m.text, m.value, m.currency) == ("30,000,000YEN", Decimal(30_000_000), "JPY")
    assert find_money("The 2020FIFA final and a 5MW plant.") == []


def test_bracketed_conversion_after_a_comma_is_one_amount():
    m = one("Seoul raised its pledge to 846 billion won, ($597 million), a record.")
    assert m.currency == "KRW" and m.equivalent.currency == "USD" and m.equivalent.value == Decimal(597_000_000)


def test_bare_dollar_converted_into_us_dollars_is_linked():
    m = one("Canberra will spend $150 million (US$99 million) on the programme.")
    assert m.currency_assumed and m.equivalent.currency == "USD" and not m.equivalent.currency_assumed
