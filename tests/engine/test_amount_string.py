"""parse_amount_string: one amount written on its own, the continental ways included.
(Strings written for these tests.)"""
from decimal import Decimal

import pytest

from service.engine.amount_string import (
    SHORT_AMOUNT_MAX_CHARS,
    parse_amount_string,
    parse_formatted_amount,
    spans_whole_string,
)
from service.engine.money import find_money

D = Decimal


def read(text):
    m = parse_amount_string(text)
    assert m is not None, text
    assert text[m.start:m.end] == m.text == text.strip()
    return m.value, m.currency, m.currency_assumed


# ------------------------------------------------------------------ the money stage answers first

@pytest.mark.parametrize("text, expected", [
    ("€7.5bn", (D(7_500_000_000), "EUR", False)),
    ("USD 2,345.10", (D("2345.1"), "USD", False)),
    ("4.321,09 EUR", (D("4321.09"), "EUR", False)),
    ("$960", (D(960), "USD", True)),
])
def test_what_the_stage_reads_whole_is_its_answer(text, expected):
    assert read(text) == expected
    stage = find_money(text)[0]
    assert (stage.value, stage.currency, stage.currency_assumed) == expected


# ------------------------------------------------------------------ price-parser reads what the stage cannot

@pytest.mark.parametrize("text, expected", [
    ("€ 3 456,78", (D("3456.78"), "EUR", False)),           # stage reads only "€ 3"
    ("8 765,40 €", (D("8765.4"), "EUR", False)),            # stage reads nothing
    ("CHF 2'750.25", (D("2750.25"), "CHF", False)),         # apostrophe grouping
    ("9\u2019999.95 CHF", (D("9999.95"), "CHF", False)),    # typographic apostrophe
    ("47,99 zł", (D("47.99"), "PLN", False)),               # decimal comma, suffix symbol
    ("SEK 0,75", (D("0.75"), "SEK", False)),
    ("$ 4 100,30", (D("4100.3"), "USD", True)),             # bare $: the stage's own default, marked assumed
    ("2\u00a0600,00 CAD", (D(2600), "CAD", False)),         # no-break space grouping
    ("6,5 MUSD", (D(6_500_000), "USD", False)),             # the stage's mega code
])
def test_formatted_amounts_the_stage_misses(text, expected):
    stage = find_money(text)
    assert not spans_whole_string(stage, text)              # the stage alone does not read it whole
    assert read(text) == expected


def test_a_decimal_comma_before_a_scale_word_is_read_by_the_stage_too():
    # "3,25 million": no thousands group has two digits, so the comma is a decimal comma.
    assert [(m.value, m.currency) for m in find_money("3,25 million euros")] == [(D(3_250_000), "EUR")]
    assert read("3,25 million euros") == (D(3_250_000), "EUR", False)


def test_offsets_are_into_the_original_string():
    m = parse_amount_string("  \t19,90 €\n")
    assert (m.start, m.end, m.text, m.value) == (3, 10, "19,90 €", D("19.9"))


def test_an_ambiguous_symbol_stays_unnamed_as_in_the_stage():
    # "kr" is Danish, Norwegian, Swedish or Icelandic: no context here, so no ISO code,
    # the same whichever side it is written on and whoever reads the number.
    assert read("kr 45,50") == (D("45.5"), None, False)
    assert find_money("kr 45.50")[0].currency is None


# ------------------------------------------------------------------ what must stay unread

@pytest.mark.parametrize("text", [
    "45,50",                 # no currency, no amount
    "1 234,56",
    "€",                     # no number
    "",
    "   ",
    "Lviv 15",               # a word is not a currency
    "31,20 zl",              # not a currency form the stage knows
    "7,5 Mio. €",            # a scale the stage does not know: price-parser alone would say 7.5
    "-19,90 €",              # a sign the stage does not read: price-parser alone would drop it
    "€ 12.34,5",             # malformed grouping: price-parser alone would say 1234.5
    "1.234.56 €",
    "4,5,6 €",
    "€14,50 each",           # more than the amount
    "roughly €14,50",
    "14,50 € or 15,50 €",    # two amounts
])
def test_not_one_amount_with_a_currency(text):
    assert parse_amount_string(text) is None


def test_long_strings_are_not_amount_strings():
    def written(groups):
        return "€ 1" + " 000" * groups + ",00"
    short, long = written(3), written(SHORT_AMOUNT_MAX_CHARS // 4)
    assert parse_amount_string(short).value == D(10**9)
    assert len(long) > SHORT_AMOUNT_MAX_CHARS
    assert parse_amount_string(long) is None and parse_formatted_amount(long) is None


def test_fallback_needs_the_number_price_parser_read(monkeypatch):
    """If price-parser reads a different number than the one written, nothing is returned."""
    from service.engine import amount_string

    class Wrong:
        amount = D("12.5")

    monkeypatch.setattr(amount_string.Price, "fromstring", staticmethod(lambda text: Wrong))
    assert parse_formatted_amount("1 250,00 €") is None     # digits differ
    assert parse_formatted_amount("1,25 €") is None          # same digits, other decimal mark
    assert parse_formatted_amount("12,5 €").value == D("12.5")
