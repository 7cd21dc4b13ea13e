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
