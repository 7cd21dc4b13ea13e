"""Date stage: DateResolver mentions and parse_published_at, and the date each pledge gets
(corpora/dates.yaml)."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from service.engine.dates import DateResolver, parse_published_at
from tests.engine.pledge_corpus import params, run_case


@pytest.mark.parametrize("case", params("dates.yaml", "mentions"))
def test_date_mentions(case):
    text = case["text"]
    resolver = DateResolver(text, case.get("published_at"))
    mentions = resolver.mentions(text)
    got = [[m.text, m.value.isoformat() if m.value else None] for m in mentions]
    assert len(mentions) == len(case["mentions"]), got
    for m, (written, value) in zip(mentions, case["mentions"]):
        assert text[m.start:m.end] == m.text
        # The span may or may not include a leading "on"/"in"/"last": compare the core words.
        assert m.text in written or written in m.text, got
        assert (m.value.isoformat() if m.value else None) == value, got


@pytest.mark.parametrize("case", params("dates.yaml", "pledges"))
def test_pledge_dates(case):
    run_case(case)


@pytest.mark.parametrize("value, expected", [
    ("2024-05-10", date(2024, 5, 10)),
    ("2024-05-10T23:59:00+02:00", date(2024, 5, 10)),
    (date(2021, 3, 3), date(2021, 3, 3)),
    (datetime(2021, 3, 3, 12, 0), date(2021, 3, 3)),
    (None, None),
    ("", None),
    ("not a date", None),
    ("2024-13-40", None),
])
def test_parse_published_at(value, expected):
    assert parse_published_at(value) == expected


def test_extraction_reports_published_at():
    from service.engine import extract_pledges
    assert extract_pledges("Nothing here.", "2024-05-10T08:00:00Z").published_at == "2024-05-10"
    assert extract_pledges("Nothing here.").published_at is None
