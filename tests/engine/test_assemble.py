"""Assemble stage: corpora/assemble.yaml, plus properties that hold for every corpus:
evidence spans slice the input, totals add non-total pledges and report stated totals apart,
and confidence ranks explicit donor + verb above carried-over donors."""
from __future__ import annotations

from decimal import Decimal

import pytest

from service.engine import extract_pledges
from tests.engine.pledge_corpus import check_invariants, load, params, run_case

PLEDGE_CORPORA = [("assemble.yaml", "pledges"), ("triggers.yaml", "pledges"), ("attribution.yaml", "pledges"),
                  ("categories.yaml", "pledges"), ("dates.yaml", "pledges"), ("layout.yaml", "pledges")]
ALL_CASES = [case for name, section in PLEDGE_CORPORA for case in load(name, section)]


@pytest.mark.parametrize("case", params("assemble.yaml", "pledges"))
def test_assemble_corpus(case):
    run_case(case)


@pytest.mark.parametrize("case", ALL_CASES, ids=[c["id"] for c in ALL_CASES])
def test_every_passage_keeps_the_invariants(case):
    text = case["text"]
    result = extract_pledges(text, case.get("published_at"))
    check_invariants(text, result)
    expected: dict = {}
    for p in result.pledges:
        slot = expected.setdefault((p.donor.code, p.amount.currency), [Decimal(0), None, 0])
        if p.status == "total":
            slot[1] = max(slot[1] or Decimal(0), p.amount.value)
        else:
            slot[0] += p.amount.value
            slot[2] += 1
    got = {(t.donor.code, t.currency): [t.sum, t.stated_total, t.pledge_count] for t in result.totals}
    assert got == expected


def _confidence(text, amount):
    result = extract_pledges(text)
    return next(p.confidence for p in result.pledges if p.amount.value == Decimal(amount))


def test_confidence_explicit_above_carried_over():
    text = "Kuwait pledged $30 million for Yemen. It will also send $5 million to Djibouti."
    assert _confidence(text, 30000000) > _confidence(text, 5000000)


def test_confidence_verb_above_no_verb():
    with_verb = "Kuwait pledged $30 million for Yemen."
    without = "Kuwait: $30 million in aid for Yemen."
    assert _confidence(with_verb, 30000000) > _confidence(without, 30000000)


def test_confidence_counts_a_repeated_mention_with_the_fitted_weight():
    # The weight of a further mention is fitted on real news (data/confidence.yaml); there it came
    # out slightly negative, so a repeat moves confidence the way the fit says, not up by belief.
    from service.engine import confidence
    once = "Belgium pledged €15 million for Lebanon."
    twice = once + ' "We are giving €15 million to Lebanon," the minister said.'
    weight = confidence._MODEL["weights"]["extra_mentions"]
    delta = _confidence(twice, 15000000) - _confidence(once, 15000000)
    if abs(weight) < 0.02:      # too small to show in a two-decimal confidence
        assert abs(delta) <= 0.01
    else:
        assert delta != 0 and (delta > 0) == (weight > 0)
