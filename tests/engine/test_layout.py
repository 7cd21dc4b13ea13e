"""Layout stage: corpora/layout.yaml through extract_pledges, plus find_layout's own rows."""
from __future__ import annotations

import pytest

from service.engine.donors import find_entities
from service.engine.layout import find_layout
from service.engine.money import find_money
from tests.engine.pledge_corpus import params, run_case


@pytest.mark.parametrize("case", params("layout.yaml", "pledges"))
def test_layout_corpus(case):
    run_case(case)


def _layout(text):
    return find_layout(text, find_entities(text), find_money(text))


def test_rows_know_their_heading_and_conversion():
    text = "Donor | Pledge | In US dollars\nGermany | €100 million | $108 million\n"
    layout = _layout(text)
    [row] = layout.rows
    assert row.donor.code == "DEU" and row.money.text == "€100 million"
    assert text[row.heading[0]:row.heading[1]] == "Donor | Pledge | In US dollars"
    assert layout.conversions == {text.index("$108 million")}
    assert layout.row_at(text.index("Germany")) is row and layout.row_at(0) is None


def test_a_single_line_text_has_no_layout():
    assert _layout("Germany: €100 million").rows == ()


def test_a_paragraph_is_no_row():
    text = "Pledges:\nGermany: €100 million " + "and more words " * 30 + "\n"
    assert _layout(text).rows == ()
