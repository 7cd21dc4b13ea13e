"""The money stage, one test per rule, on sentences written for these tests."""
from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

import pytest

from service.engine.money import find_money, find_quantities

M = Decimal(10) ** 6
B = Decimal(10) ** 9


def amounts(text):
    found = find_money(text)
    for m in found:
        assert text[m.start:m.end] == m.text
        if m.equivalent is not None:
            assert text[m.equivalent.start:m.equivalent.end] == m.equivalent.text
    assert [m.start for m in found] == sorted(m.start for m in found)
    assert all(a.end <= b.start for a, b in pairwise(found))
    return found


def one(text):
    found = amounts(text)
    assert len(found) == 1, found
    return found[0]


def read(text):
    """(text, value, currency, assumed) of the single amount in text."""
    m = one(text)
    return m.text, m.value, m.currency, m.currency_assumed


# ------------------------------------------------------------------ symbols and prefixes

def test_bare_dollar_is_usd_assumed():
    assert read("The charity raised $75 million for clinics.") == (
        "$75 million", 75 * M, "USD", True)


@pytest.mark.parametrize("written", ["US$40 million", "US $40 million", "U.S. $40 million",
                                     "USD 40 million", "USD40 million"])
def test_explicit_us_dollar_forms(written):
    m = one(f"The lender approved {written} for roads.")
    assert (m.text, m.value, m.currency, m.currency_assumed) == (written, 40 * M, "USD", False)


@pytest.mark.parametrize("written,iso", [
    ("A$12 million", "AUD"), ("AU$12 million", "AUD"), ("C$12 million", "CAD"),
    ("CA$12 million", "CAD"), ("NZ$12 million", "NZD"), ("HK$12 million", "HKD"),
    ("€12 million", "EUR"), ("£12 million", "GBP"), ("₹12 million", "INR"),
    ("₩12 million", "KRW"), ("CHF 12 million", "CHF"), ("Fr. 12 million", "CHF"),
    ("12 million zł", "PLN"),
])
def test_prefixed_symbols_and_signs(written, iso):
    m = one(f"Officials set aside {written} on Tuesday.")
    assert (m.text, m.value, m.currency, m.currency_assumed) == (written, 12 * M, iso, False)


def test_sentence_opening_capital_a_is_not_australian():
    assert read("A $30 million grant was signed.") == ("$30 million", 30 * M, "USD", True)


def test_yen_sign_is_yen_unless_china_is_the_subject():
    assert read("Tokyo earmarked ¥800 million for the port.")[2:] == ("JPY", True)
    assert read("Beijing said China would lend ¥800 million to the port.")[2:] == ("CNY", True)


# ------------------------------------------------------------------ kr and crowns

@pytest.mark.parametrize("sentence,iso", [
    ("Norway's parliament added kr 40 million for the shelter.", "NOK"),
    ("The Swedish agency paid 40 million kr to the shelter.", "SEK"),
    ("Copenhagen gave kr. 40 million to the shelter.", "DKK"),
])
def test_kr_takes_the_country_of_its_sentence(sentence, iso):
    m = one(sentence)
    assert (m.value, m.currency, m.currency_assumed) == (40 * M, iso, True)


def test_kr_never_inside_a_word():
    assert amounts("Kharkiv and Kremenchuk reported 40 strikes; Ukraine counted 12 more.") == []


def test_kronas_plural_as_news_writes_it():
    assert read("The package is worth 4.5 billion Swedish Kronas, the minister said.")[1:] == (Decimal("4.5") * B, "SEK", False)
    assert read("Stockholm will send 300 million kronas to the programme.")[1:3] == (300 * M, "SEK")


def test_crowns_from_context_and_explicit():
    assert read("Denmark will send 300 million crowns to the programme.")[1:] == (300 * M, "DKK", True)
    assert read("It sent 300 million Norwegian crowns to the programme.")[1:] == (300 * M, "NOK", False)
    assert read("The Czech cabinet approved 300 million crowns for refugees.")[2] == "CZK"


def test_crowns_without_any_country_stay_unknown():
    m = one("The fund received 300 million crowns last year.")
    assert m.value == 300 * M and m.currency is None


def test_crowns_fall_back_to_the_country_named_elsewhere_in_the_text():
    text = "Sweden announced new aid on Monday. The package is worth 90 million crowns."
    assert one(text).currency == "SEK"


# ------------------------------------------------------------------ codes and words

@pytest.mark.parametrize("written,value,iso", [
    ("NOK 250 million", 250 * M, "NOK"),
    ("2.75 billion USD", Decimal("2.75") * B, "USD"),
    ("SEK 1.1bn", Decimal("1.1") * B, "SEK"),
    ("80 million EUR", 80 * M, "EUR"),
])
def test_codes_before_or_after_the_number(written, value, iso):
    m = one(f"The budget line shows {written} for housing.")
    assert (m.text, m.value, m.currency, m.currency_assumed) == (written, value, iso, False)


@pytest.mark.parametrize("written,value,iso", [
    ("45 million euros", 45 * M, "EUR"),
    ("45 million pounds sterling", 45 * M, "GBP"),
    ("45 billion yen", 45 * B, "JPY"),
    ("45 million Swiss francs", 45 * M, "CHF"),
    ("45 million Norwegian kroner", 45 * M, "NOK"),
    ("45 million Canadian dollars", 45 * M, "CAD"),
    ("45 million yuan", 45 * M, "CNY"),
    ("45 million renminbi", 45 * M, "CNY"),
    ("45 million Turkish lira", 45 * M, "TRY"),
    ("45 million hryvnias", 45 * M, "UAH"),
])
def test_currency_words_and_plurals(written, value, iso):
    m = one(f"Ministers approved {written} in new spending.")
    assert (m.text, m.value, m.currency, m.currency_assumed) == (written, value, iso, False)


def test_singular_currency_word_as_adjective():
    assert read("They backed a 9 billion euro facility.") == ("9 billion euro", 9 * B, "EUR", False)


def test_rmb_code():
    assert read("The firm booked RMB 60 million in sales.")[1:3] == (60 * M, "CNY")


def test_pounds_are_sterling_and_rupees_indian_unless_the_text_says_otherwise():
    assert read("London will give 12 million pounds to the appeal.")[2] == "GBP"
    assert read("The state released 500 million rupees for farmers.")[2:] == ("INR", True)
    assert read("Pakistan's cabinet released 500 million rupees for farmers.")[2:] == ("PKR", True)
    assert read("Colombo approved 500 million Sri Lankan rupees.")[2:] == ("LKR", False)


def test_weights_in_pounds_are_not_money():
    assert amounts("Volunteers packed 600 pounds of rice and dropped a 2,000-pound crate.") == []
    assert read("Britain gave 6 million pounds of aid.")[1:3] == (6 * M, "GBP")


def test_won_as_a_verb_is_not_korean_money():
    assert amounts("The party won 200 seats and the coalition won 40.") == []
    assert read("Seoul set aside 50 billion won for relief.")[1:3] == (50 * B, "KRW")


# ------------------------------------------------------------------ scales

@pytest.mark.parametrize("written,value", [
    ("$3 thousand", 3000), ("$3k", 3000), ("$3K", 3000),
    ("$3 million", 3 * M), ("$3m", 3 * M), ("$3mn", 3 * M), ("$3 mln", 3 * M), ("$3M", 3 * M),
    ("$3 billion", 3 * B), ("$3bn", 3 * B), ("$3b", 3 * B), ("$3 bn", 3 * B),
    ("$3 trillion", 3 * 10**12), ("$3tn", 3 * 10**12),
    ("$2.5-billion", Decimal("2.5") * B), ("€1.2bn", Decimal("1.2") * B),
    ("A$100m", 100 * M), ("£3bn", 3 * B), ("$50mn", 50 * M),
])
def test_scale_words_and_abbreviations(written, value):
    m = one(f"Lawmakers cleared {written} for the dam.")
    assert m.text == written and m.value == value


def test_scale_after_a_line_break():
    assert one("made up of A$4.5\nmillion for relief").value == Decimal("4.5") * M


def test_values_are_exact_decimals():
    m = one("The bank lent $2.5bn.")
    assert isinstance(m.value, Decimal) and m.value == Decimal(2500000000)
    assert str(m.value) == "2500000000"
    assert str(one("It cost $0.35 each.").value) == "0.35"


def test_scale_letter_glued_to_a_word_is_not_a_scale():
    assert read("It paid $5 more per unit.")[:2] == ("$5", 5)


# ------------------------------------------------------------------ numbers in words

@pytest.mark.parametrize("written,value,iso", [
    ("half a billion dollars", B / 2, "USD"),
    ("a billion euros", B, "EUR"),
    ("one hundred million dollars", 100 * M, "USD"),
    ("twenty-five million pounds", 25 * M, "GBP"),
    ("a quarter of a million euros", M / 4, "EUR"),
    ("three quarters of a billion dollars", B * 3 / 4, "USD"),
    ("1.5 million pounds", Decimal("1.5") * M, "GBP"),
    ("five hundred thousand euros", 500_000, "EUR"),
])
def test_numbers_in_words_and_mixed(written, value, iso):
    m = one(f"Donors found {written} for the schools.")
    assert (m.text, m.value, m.currency) == (written, value, iso)


@pytest.mark.parametrize("written", ["tens of millions of dollars", "hundreds of billions of dollars",
                                     "millions of euros", "several million dollars"])
def test_vague_amounts_have_no_value(written):
    m = one(f"Rebuilding will cost {written} over a decade.")
    assert (m.text, m.value, m.qualifier) == (written, None, "approximate")


def test_a_lone_article_is_not_a_number():
    assert amounts("The dollar rose against the euro.") == []


# ------------------------------------------------------------------ grouping

@pytest.mark.parametrize("written,value", [
    ("$1,250,000", 1_250_000), ("€1.500.000", 1_500_000), ("€2.500,50", Decimal("2500.50")),
    ("$1\u00a0250\u00a0000", 1_250_000), ("₹12,34,567", 1_234_567), ("£1,234.56", Decimal("1234.56")),
])
def test_digit_grouping(written, value):
    assert one(f"The invoice was {written} in total.").value == value


def test_grouped_number_is_read_whole():
    assert one("Each family got $1,000 in cash.").text == "$1,000"


# ------------------------------------------------------------------ equivalents

def test_bracketed_conversion_links_to_the_leading_currency():
    m = one("Paris pledged €400 million ($436 million) for the grid.")
    assert (m.text, m.currency, m.value) == ("€400 million", "EUR", 400 * M)
    assert (m.equivalent.text, m.equivalent.currency, m.equivalent.value) == (
        "$436 million", "USD", 436 * M)


def test_qualified_conversion_in_brackets():
    m = one("Oslo gave 2 billion Norwegian crowns (about $190 million) to the fund.")
    assert m.currency == "NOK" and m.equivalent.value == 190 * M
    assert m.equivalent.qualifier == "approximate"
    m = one("The agency lent 45 billion yen (roughly $300 million) for hospitals.")
    assert m.currency == "JPY" and m.equivalent.currency == "USD"


def test_comma_or_conversion():
    m = one("Canberra will give A$50 million, or about $33 million, to the island.")
    assert m.currency == "AUD" and m.equivalent.value == 33 * M


def test_same_currency_in_brackets_is_not_a_conversion():
    found = amounts("It pledged $40 million ($10 million of it for food).")
    assert [m.value for m in found] == [40 * M, 10 * M] and found[0].equivalent is None


# ------------------------------------------------------------------ qualifiers

@pytest.mark.parametrize("word,qualifier", [
    ("about", "approximate"), ("nearly", "approximate"), ("some", "approximate"),
    ("around", "approximate"), ("roughly", "approximate"), ("close to", "approximate"),
    ("almost", "approximate"), ("more than", "lower_bound"), ("over", "lower_bound"),
    ("at least", "lower_bound"), ("up to", "upper_bound"), ("less than", "upper_bound"),
])
def test_qualifier_words(word, qualifier):
    m = one(f"The ministry will spend {word} $60 million on it.")
    assert (m.text, m.qualifier, m.value) == ("$60 million", qualifier, 60 * M)


def test_no_qualifier_for_plain_amounts_or_words_ending_alike():
    assert one("The ministry will spend $60 million.").qualifier is None
    assert one("The ministry will spend handsome $60 million.").qualifier is None


# ------------------------------------------------------------------ ranges

@pytest.mark.parametrize("written,low,high", [
    ("$1m and $2m", M, 2 * M), ("$1-2 million", M, 2 * M), ("$3 billion to $4 billion", 3 * B, 4 * B),
    ("$5 to 10 million", 5 * M, 10 * M), ("20 to 30 million euros", 20 * M, 30 * M),
    ("8 and 9 million dollars", 8 * M, 9 * M),
])
def test_ranges(written, low, high):
    prefix = "between " if " and " in written else ""
    m = one(f"Repairs need {prefix}{written} this year.")
    assert (m.text, m.value, m.upper, m.qualifier) == (written, low, high, "range")


def test_from_to_is_a_change_not_a_range():
    found = amounts("Aid rose from $1 billion to $2 billion.")
    assert [(m.value, m.upper) for m in found] == [(B, None), (2 * B, None)]


def test_and_without_between_is_two_amounts():
    found = amounts("Kenya got $5 million and Uganda $6 million.")
    assert [m.text for m in found] == ["$5 million", "$6 million"]


def test_range_to_a_year_is_no_range():
    assert one("It pledged $100 million to 2030 targets.").upper is None


# ------------------------------------------------------------------ not money

@pytest.mark.parametrize("text", [
    "Prices rose 12% and unemployment 4.5 percent.",
    "A 40-mile column stalled, 17 miles (25 kilometers) from the city.",
    "Some 3 million people fled; the city of nearly 3 million emptied.",
    "The war began in 2021 and again in 2022.",
    "It was the 3rd convoy and the 21st attempt.",
    "Call +1 202-555-0143 or 0800 123 4567 for help.",
    "They fired 105mm shells and 155 mm rounds.",
    "The aid arrived in 40 trucks carrying 1,000 anti-tank weapons.",
    "Version 2.5 of the plan lists 300 schools.",
])
def test_not_money(text):
    assert amounts(text) == []


def test_numbers_without_a_currency_are_not_money():
    assert amounts("The fund grew by 250 million last year.") == []


# ------------------------------------------------------------------ local dollars

def test_bare_dollar_in_local_government_reporting():
    text = ("OTTAWA (wire) - Canada will spend $40 million on the program, the minister said. "
            "The United States has given $50 million.")
    found = amounts(text)
    assert [(m.currency, m.currency_assumed) for m in found] == [("CAD", True), ("USD", True)]


def test_explicit_dollars_elsewhere_keep_bare_dollar_usd():
    text = "OTTAWA (wire) - Canada will send C$40 million ($30 million) to the region."
    m = one(text)
    assert m.currency == "CAD" and m.equivalent.currency == "USD"


# ------------------------------------------------------------------ cents

def test_cents_and_pence():
    assert one("Fuel rose 7 cents a litre.").value == Decimal("0.07")
    assert read("Shares closed at 145 pence.")[1:3] == (Decimal("1.45"), "GBP")
    assert one("A ticket cost 3 dollars 50 cents.").value == Decimal("3.5")
    assert one("It was thirteen dollars and forty-five cents").value == Decimal("13.45")


def test_m_prefixed_codes_count_millions():
    assert read("Revenue was MSEK 250 in the quarter.")[1:3] == (250 * M, "SEK")


# ------------------------------------------------------------------ several amounts

def test_several_amounts_in_order():
    text = "It gave €10m, then £4m, then ¥600m and finally 30 million Swiss francs."
    assert [m.currency for m in amounts(text)] == ["EUR", "GBP", "JPY", "CHF"]


def test_prefix_symbol_of_one_amount_is_not_reused():
    found = amounts("Prices: 10 € and 20 €.")
    assert [(m.text, m.value) for m in found] == [("10 €", 10), ("20 €", 20)]


def test_year_before_an_amount_is_not_the_amount():
    assert read("In 2022 €5bn was set aside.") == ("€5bn", 5 * B, "EUR", False)


# ------------------------------------------------------------------ quantities

def test_in_kind_quantities():
    qs = find_quantities("The shipment had 1,000 anti-tank weapons, 500 Stinger missiles "
                         "and 2,000 tonnes of food; 3 million people wait.")
    assert [(q.text, q.quantity, q.unit) for q in qs] == [
        ("1,000 anti-tank weapons", 1000, "anti-tank weapons"),
        ("500 Stinger missiles", 500, "Stinger missiles"),
        ("2,000 tonnes of food", 2000, "tonnes of food"),
    ]


def test_quantities_exclude_money():
    assert find_quantities("It paid $40 million for 20 generators.")[0].text == "20 generators"
    assert find_quantities("$5 million tonnes") == []


# ------------------------------------------------------------------ regional forms

@pytest.mark.parametrize("written,value,iso", [
    ("$US50 million", 50 * M, "USD"), ("$A50 million", 50 * M, "AUD"),
    ("Rs 5,000 crore", 5000 * 10**7, "INR"), ("₹35 lakh", 35 * 10**5, "INR"),
    ("₹1.5 lakh crore", 15 * 10**11, "INR"), ("Rs 2 thousand crore", 2 * 10**10, "INR"),
    ("Tk 200 crore", 200 * 10**7, "BDT"), ("Dh 5 million", 5 * M, "AED"),
    ("RM 12 million", 12 * M, "MYR"), ("KSh 2 billion", 2 * B, "KES"),
    ("$2.5-bln", Decimal("2.5") * B, "USD"), ("1.2 trln yen", Decimal("1.2") * 10**12, "JPY"),
])
def test_regional_prefixes_and_scales(written, value, iso):
    m = one(f"The statement mentioned {written} for flood relief.")
    assert (m.text, m.value, m.currency) == (written, value, iso)


def test_a_relative_clause_that_converts_links_the_equivalent():
    [m] = find_money("The EUR 40 million pledge, which is equivalent to about US$ 44 million, helps.")
    assert (m.text, m.equivalent.text, m.equivalent.currency) == ("EUR 40 million", "US$ 44 million", "USD")


@pytest.mark.parametrize("text, value", [
    ("Ukraine EUR 1,2 billion", Decimal("1.2") * B), ("USD 3,5bn", Decimal("3.5") * B),
    ("1,25 million euros", Decimal("1.25") * M), ("$1,200 million", 1200 * M),
])
def test_a_decimal_comma_before_a_scale_word(text, value):
    assert one(text).value == value


@pytest.mark.parametrize("text, written, iso", [
    ("Morocco will rebuild with 120 billion dirhams.", "120 billion dirhams", "MAD"),
    ("The UAE gave Dh50 million to Sudan.", "Dh50 million", "AED"),
    ("It cost 5 million dirhams.", "5 million dirhams", "AED"),
])
def test_dirham_is_the_country_named(text, written, iso):
    m = one(text)
    assert (m.text, m.currency) == (written, iso)


def test_australian_press_writes_us_dollars_out_and_means_its_own_by_bare_dollar():
    text = ("CANBERRA (wire) - Australia will give $50 million to Fiji's recovery. "
            "Washington has offered $US20 million.")
    found = amounts(text)
    assert [(m.currency, m.currency_assumed) for m in found] == [("AUD", True), ("USD", False)]


def test_more_qualifiers():
    assert one("Losses ran north of $2 billion.").qualifier == "lower_bound"
    assert one("It will cost in the region of €40 million.").qualifier == "approximate"
    assert one("Spending reached just over $9 million.").qualifier == "lower_bound"


def test_rub_and_won_are_ordinary_words_in_lower_case_text():
    assert amounts("Then rub 2 drops in and wait; he won 3 prizes.") == []


def test_dash_conversion_and_mixed_currency_dash_is_no_range():
    m = one("The bloc gave €50 million \u2013 roughly $54 million \u2013 to the agency.")
    assert (m.currency, m.upper, m.equivalent.currency) == ("EUR", None, "USD")
    assert m.equivalent.qualifier == "approximate"


def test_yen_sign_looks_only_at_its_own_sentence():
    text = "China has criticised the plan. Separately, the agency will lend ¥3 billion to ports."
    assert one(text).currency == "JPY"


def test_article_before_a_spelled_number_is_not_part_of_it():
    assert read("It is a five-million-dollar program.")[:2] == ("five-million-dollar", 5 * M)
    assert read("It cost a hundred million dollars.")[:2] == ("a hundred million dollars", 100 * M)
    assert read("Doha sent QR 50 million.")[1:3] == (50 * M, "QAR")


def test_letter_pairs_that_are_not_currencies_here():
    assert amounts("She told NPR 5 people had left; take SR 520 west.") == []


# ------------------------------------------------------------------ elliptical amounts

def test_scaled_number_after_an_amount_takes_its_currency():
    found = amounts("Denmark will give 5.4 billion crowns for arms, 1.2 billion for civilian aid and 0.4 billion for rebuilding.")
    assert [(m.text, m.value, m.currency) for m in found] == [
        ("5.4 billion crowns", Decimal("5.4") * B, "DKK"),
        ("1.2 billion", Decimal("1.2") * B, "DKK"),
        ("0.4 billion", Decimal("0.4") * B, "DKK")]
    assert found[1].currency_assumed and found[2].currency_assumed


def test_elliptical_amount_in_the_next_sentence_of_the_paragraph():
    found = amounts("The EU pledged 2 billion euros. France announced 1.1 billion, and Italy, 464 million.")
    assert [(m.value, m.currency) for m in found] == [(2 * B, "EUR"), (Decimal("1.1") * B, "EUR"), (464 * M, "EUR")]


def test_elliptical_amount_keeps_its_qualifier():
    found = amounts("Japan gave $5 million to Chad and about 3 million to Niger.")
    assert (found[1].value, found[1].currency, found[1].qualifier) == (3 * M, "USD", "approximate")


@pytest.mark.parametrize("text", [
    "Japan gave $5 million to Chad, where 3 million people need help.",      # a noun follows: a count
    "Japan gave $5 million to Ukraine, a country of 40 million.",            # a population
    "Japan gave $5 million to Chad.\n\nThe 3 million were spent later.",     # another paragraph
    "About 3 million fled before Japan gave $5 million.",                    # no amount before it
    "Japan gave $5 million. " + "Nothing else was said that day. " * 9 + "Later 3 million came.",  # too far
])
def test_scaled_numbers_that_are_no_elliptical_amounts(text):
    assert len(amounts(text)) == 1
