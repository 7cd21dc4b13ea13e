"""Trigger stage: which amounts are pledges, their status and instrument, through
extract_pledges on corpora/triggers.yaml; plus instrument_of's documented result."""
from __future__ import annotations

import pytest

from service.engine.triggers import instrument_of
from tests.engine.pledge_corpus import params, run_case


@pytest.mark.parametrize("case", params("triggers.yaml", "pledges"))
def test_trigger_corpus(case):
    run_case(case)


@pytest.mark.parametrize("text, instrument", [
    ("a $40 million concessional loan", "loan"),
    ("a new credit line of $1 billion", "loan"),
    ("loan guarantees worth €2 billion", "guarantee"),
    ("sovereign guarantees worth €2 billion", "guarantee"),
    ("a €5 million grant", "grant"),
    ("donated $3 million", "grant"),
    ("in-kind aid worth $1 million", "in_kind"),
    ("$3 million in support", "unspecified"),
])
def test_instrument_of(text, instrument):
    assert instrument_of(text) == instrument


@pytest.mark.parametrize("text, amount, instrument", [
    ("a $900 million loan backed by guarantees from two governments", "$900 million", "loan"),
    ("guarantees from Norway cover a $300 million loan", "$300 million", "loan"),
    ("grants of $20 million, on top of earlier loans", "$20 million", "grant"),
    ("a guarantee worth €1 billion for a later loan", "€1 billion", "guarantee"),
])
def test_instrument_nearest_the_amount_wins(text, amount, instrument):
    assert instrument_of(text, text.index(amount)) == instrument
