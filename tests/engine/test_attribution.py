"""Attribution stage: donors and recipients through extract_pledges (corpora/attribution.yaml)."""
from __future__ import annotations

import pytest

from service.engine.attribution import sentence_subject
from service.engine.donors import find_entities
from tests.engine.pledge_corpus import params, run_case


@pytest.mark.parametrize("case", params("attribution.yaml", "pledges"))
def test_attribution_corpus(case):
    run_case(case)


@pytest.mark.parametrize("text, subject", [
    ("Aid for Sudan came when Egypt spoke.", "EGY"),
    ("Norway's Equinor said it would help.", None),
    ("To Peru and Chile the money went.", None),
    ("Canada and Mexico signed.", "CAN"),
])
def test_sentence_subject(text, subject):
    got = sentence_subject(text, 0, find_entities(text))
    assert (got.code if got else None) == subject
