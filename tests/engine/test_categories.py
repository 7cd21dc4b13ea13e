"""Category stage: corpora/categories.yaml through extract_pledges, and category_of's
documented order (clause, generic aid words, sentence, previous sentence)."""
from __future__ import annotations

import pytest

from service.engine.categories import category_of
from tests.engine.pledge_corpus import params, run_case


@pytest.mark.parametrize("case", params("categories.yaml", "pledges"))
def test_category_corpus(case):
    run_case(case)


def _category(clause, sentence=None, previous=""):
    sentence = sentence if sentence is not None else clause
    anchor = clause.index("$")
    return category_of(clause, anchor, sentence, sentence.index(clause) + anchor, previous)


@pytest.mark.parametrize("clause, category", [
    ("$5m for rifles and helmets", "military_lethal"),
    ("$5m for helmets for troops", "military_non_lethal"),
    ("$5m for the army", "military"),
    ("$5m for tents and blankets", "humanitarian"),
    ("$5m in loans", "financial"),
    ("$5m for irrigation", "development"),
    ("$5m in aid", "unspecified"),
    ("$5m", "unspecified"),
])
def test_category_of_clause(clause, category):
    assert _category(clause) == category


def test_strongest_cue_wins_over_weak_one():
    # "flood" (weak humanitarian) vs. "reconstruction" (strong development)
    assert _category("$5m for reconstruction after the flood") == "development"


def test_generic_word_stops_the_search():
    assert _category("$5m in support", "Refugees: $5m in support", "") == "unspecified"


def test_sentence_then_previous_sentence():
    assert _category("$5m", "For refugees, $5m", "") == "humanitarian"
    assert _category("$5m", "It gave $5m", "Schools were destroyed.") == "development"
    assert _category("$5m", "It gave $5m", "") == "unspecified"
