"""Loads the per-stage example corpora (tests/engine/corpora/*.yaml) and checks pledges.

A pledge case is a mapping:

    id: short-name             # test id
    rule: what the case shows
    text: the passage (written for these tests)
    published_at: "YYYY-MM-DD" # optional
    pledges:                   # every pledge the engine must find, in any order
      - {donor: NOR, amount: 5000000, currency: USD, status: new}
    totals: [...]              # optional: {donor, currency, sum, stated_total, pledge_count}
    xfail: "reason"            # optional: a known engine gap (strict: it must still fail)

Only the keys an expected pledge gives are compared (donor, amount, currency, category,
date, status, recipient, instrument, evidence = number of evidence spans); the number of
pledges must match exactly, so a case with `pledges: []` asserts that nothing is a pledge.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from service.engine import extract_pledges

CORPORA = Path(__file__).resolve().parent / "corpora"


def load(name: str, section: str | None = None) -> list[dict]:
    data = yaml.safe_load((CORPORA / name).read_text(encoding="utf-8"))
    return data[section] if section else data


def params(name: str, section: str | None = None) -> list:
    """The cases of one corpus (or one section of it) as pytest params (id = case id, xfail honoured)."""
    out = []
    for case in load(name, section):
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
        out.append(pytest.param(case, id=case["id"], marks=marks))
    return out


def _actual(p) -> dict:
    return {
        "donor": p.donor.code, "amount": p.amount.value, "currency": p.amount.currency,
        "category": p.category, "date": p.date, "status": p.status,
        "recipient": p.recipient.code if p.recipient else None, "instrument": p.instrument,
        "evidence": len(p.evidence),
    }


def _expected(e: dict) -> dict:
    out = dict(e)
    if "amount" in out:
        out["amount"] = Decimal(str(out["amount"]))
    if "date" in out and out["date"] is not None:
        out["date"] = str(out["date"])
    return out


def _matches(expected: dict, actual: dict) -> bool:
    return all(actual[k] == v for k, v in expected.items())


def check_invariants(text: str, result) -> None:
    """What holds for every extraction: evidence slices the input, confidence in (0, 1)."""
    for p in result.pledges:
        assert p.evidence, "a pledge without evidence"
        for span in p.evidence:
            assert text[span.start:span.end] == span.text
        assert 0 < p.confidence < 1
        assert p.amount.value > 0


def run_case(case: dict):
    text = case["text"]
    result = extract_pledges(text, case.get("published_at"))
    check_invariants(text, result)
    actual = [_actual(p) for p in result.pledges]
    expected = [_expected(e) for e in case.get("pledges") or []]
    shown = "\n".join(f"  {a}" for a in actual) or "  (none)"
    assert len(actual) == len(expected), f"expected {len(expected)} pledge(s), got:\n{shown}"
    left = list(actual)
    for e in expected:
        hit = next((a for a in left if _matches(e, a)), None)
        assert hit is not None, f"no pledge matches {e}; got:\n{shown}"
        left.remove(hit)
    for e in case.get("totals") or []:
        got = [t for t in result.totals if t.donor.code == e["donor"] and t.currency == e["currency"]]
        assert len(got) == 1, f"no single total for {e['donor']} {e['currency']}: {result.totals}"
        t = got[0]
        assert t.sum == Decimal(str(e["sum"]))
        if "stated_total" in e:
            want = e["stated_total"]
            assert t.stated_total == (Decimal(str(want)) if want is not None else None)
        if "pledge_count" in e:
            assert t.pledge_count == e["pledge_count"]
    return result
