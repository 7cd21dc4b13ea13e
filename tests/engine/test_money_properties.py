"""Property tests: amounts rendered the usual ways read back exactly; any text is safe."""
from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from service.engine.money import find_money, find_quantities

# (template, iso, assumed): how news text writes a currency around a number "{n}"
CURRENCY_RENDERINGS = [
    ("${n}", "USD", True), ("US${n}", "USD", False), ("US ${n}", "USD", False),
    ("€{n}", "EUR", False), ("£{n}", "GBP", False), ("A${n}", "AUD", False),
    ("C${n}", "CAD", False), ("NZ${n}", "NZD", False), ("HK${n}", "HKD", False),
    ("₹{n}", "INR", False), ("₩{n}", "KRW", False),
    ("USD {n}", "USD", False), ("EUR {n}", "EUR", False), ("NOK {n}", "NOK", False),
    ("CHF {n}", "CHF", False), ("{n} USD", "USD", False), ("{n} GBP", "GBP", False),
    ("{n} €", "EUR", False),
    ("{n} euros", "EUR", False), ("{n} Swiss francs", "CHF", False),
    ("{n} Norwegian kroner", "NOK", False), ("{n} yen", "JPY", False),
    ("{n} Canadian dollars", "CAD", False), ("{n} pounds sterling", "GBP", False),
    ("{n} yuan", "CNY", False), ("{n} dollars", "USD", True),
]
# (written scale, multiplier)
SCALES = [("", 1), (" thousand", 10**3), (" million", 10**6), (" billion", 10**9),
          (" trillion", 10**12), ("m", 10**6), ("mn", 10**6), ("bn", 10**9), ("-billion", 10**9),
          ("k", 10**3), (" mln", 10**6), ("tn", 10**12)]
TEMPLATES = ["The council approved {a} for repairs.", "{a} was set aside on Monday.",
             "Officials said the grant of {a} would arrive soon", "Total: {a}"]


def _group(integer: int) -> str:
    return f"{integer:,}"


@st.composite
def rendered_amounts(draw):
    template, iso, assumed = draw(st.sampled_from(CURRENCY_RENDERINGS))
    scale, multiplier = draw(st.sampled_from(SCALES))
    if scale:
        integer = draw(st.integers(1, 999))
    else:
        integer = draw(st.integers(1, 999_999_999))
    decimals = draw(st.sampled_from(["", "5", "25", "75", "05"]))
    number = _group(integer) if not scale else str(integer)
    if decimals:
        number += "." + decimals
    value = Decimal(number.replace(",", "")) * multiplier
    amount = template.format(n=number + scale)
    sentence = draw(st.sampled_from(TEMPLATES)).format(a=amount)
    return sentence, amount, value, iso, assumed


@settings(max_examples=400, deadline=None)
@given(rendered_amounts())
def test_rendered_amount_reads_back(case):
    sentence, amount, value, iso, assumed = case
    found = find_money(sentence)
    assert len(found) == 1, (sentence, found)
    m = found[0]
    assert (m.text, m.value, m.currency, m.currency_assumed) == (amount, value, iso, assumed)
    assert sentence[m.start:m.end] == m.text


@st.composite
def rendered_words(draw):
    units = ["one", "two", "three", "five", "ten", "twelve", "twenty", "fifty", "ninety"]
    word = draw(st.sampled_from(units))
    values = {"one": 1, "two": 2, "three": 3, "five": 5, "ten": 10, "twelve": 12, "twenty": 20,
              "fifty": 50, "ninety": 90}
    scale, multiplier = draw(st.sampled_from([("million", 10**6), ("billion", 10**9)]))
    hundred = draw(st.booleans())
    written = f"{word} hundred {scale}" if hundred else f"{word} {scale}"
    value = values[word] * (100 if hundred else 1) * multiplier
    cur, iso = draw(st.sampled_from([("euros", "EUR"), ("dollars", "USD"), ("pounds", "GBP"),
                                     ("yen", "JPY")]))
    return f"They promised {written} {cur} in aid.", f"{written} {cur}", Decimal(value), iso


@settings(max_examples=150, deadline=None)
@given(rendered_words())
def test_amount_in_words_reads_back(case):
    sentence, amount, value, iso = case
    found = find_money(sentence)
    assert [(m.text, m.value, m.currency) for m in found] == [(amount, value, iso)]


MONEYISH = st.sampled_from(list("0123456789$€£¥₹₩kKmMbBnN.,- ()") + [
    "million", "billion", " of ", "dollars", "euros", "pounds", "kr", "USD", "US$", "A$",
    "between ", " and ", " to ", "about ", "tens", "half a ", "cents", "\n", "\u00a0"])


def _check_invariants(text):
    found = find_money(text)
    for m in found:
        assert text[m.start:m.end] == m.text
        assert m.value is None or isinstance(m.value, Decimal)
    assert all(a.end <= b.start for a, b in pairwise(found))
    for q in find_quantities(text):
        assert text[q.start:q.end] == q.text


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_on_arbitrary_unicode(text):
    _check_invariants(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(MONEYISH, max_size=40).map("".join))
def test_never_raises_on_money_like_noise(text):
    _check_invariants(text)
