"""End-to-end accuracy of the engine on the project's own corpus and the user's seed article.

tests/corpora/passages.jsonl holds passages written for this project with the pledges an
analyst records (format of shared/eval/dev.jsonl).  A predicted pledge matches a gold one when
donor code, currency and amount (within 0.5 %) agree, one-to-one, as shared/eval/score.py
matches them; category, date, status and recipient are scored on the matched pairs.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.engine import extract_pledges

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "corpora" / "passages.jsonl"
SEED_TEXT = REPO / "seeds" / "000_e68e0e074cbc1a52.txt"

FIELDS = ("category", "date", "status", "recipient")


def _matches(pred, gold) -> bool:
    donor_ok = (pred.donor.code or "").upper() == gold["donor"].upper()
    value_ok = abs(float(pred.amount.value) - gold["amount"]) <= 0.005 * max(abs(gold["amount"]), 1.0)
    return donor_ok and value_ok and pred.amount.currency == gold["currency"]


def _fields(pred) -> dict:
    return {"category": pred.category, "date": pred.date, "status": pred.status,
            "recipient": pred.recipient.code if pred.recipient else None}


def score(docs):
    tp = fp = fn = 0
    right = {f: 0 for f in FIELDS}
    misses = []
    for doc in docs:
        preds = list(extract_pledges(doc["text"], doc.get("published_at")).pledges)
        for g in doc["pledges"]:
            cands = [p for p in preds if _matches(p, g)]
            if not cands:
                fn += 1
                misses.append(f"{doc['id']}: missed {g['donor']} {g['amount']} {g['currency']}")
                continue
            hit = max(cands, key=lambda p: sum(_fields(p)[f] == g[f] for f in FIELDS))
            preds.remove(hit)
            tp += 1
            for f in FIELDS:
                if _fields(hit)[f] == g[f]:
                    right[f] += 1
                else:
                    misses.append(f"{doc['id']}: {f} of {g['donor']} {g['amount']}: {_fields(hit)[f]!r} != {g[f]!r}")
        fp += len(preds)
        misses += [f"{doc['id']}: spurious {p.donor.code} {p.amount.value} {p.amount.currency}" for p in preds]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = {f: right[f] / tp if tp else 1.0 for f in FIELDS}
    return f1, accuracy, misses


@pytest.fixture(scope="module")
def corpus():
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_corpus_is_large_enough(corpus):
    assert len(corpus) >= 60
    assert sum(1 for d in corpus if not d["pledges"]) >= 10, "passages with no pledge at all"


def test_corpus_f1_and_field_accuracy(corpus):
    f1, accuracy, misses = score(corpus)
    print(f"\ncorpus F1 {f1:.3f}; " + ", ".join(f"{k} {v:.3f}" for k, v in accuracy.items()))
    for line in misses:
        print("  " + line)
    assert f1 >= 0.95, misses
    for field, value in accuracy.items():
        assert value >= 0.90, (field, misses)


def test_passages_without_pledges_yield_none(corpus):
    spurious = {d["id"]: [p.amount.text for p in extract_pledges(d["text"], d.get("published_at")).pledges]
                for d in corpus if not d["pledges"]}
    noisy = {k: v for k, v in spurious.items() if v}
    assert len(noisy) <= 1, noisy


def test_seed_article_gives_exactly_the_three_pledges():
    text = SEED_TEXT.read_text(encoding="utf-8")
    got = sorted(((p.donor.code, int(p.amount.value), p.amount.currency, p.category, p.date, p.status,
                   p.recipient.code if p.recipient else None) for p in extract_pledges(text).pledges), key=str)
    assert got == sorted([
        ("AUS", 50_000_000, "USD", "military_lethal", "2022-03-01", "new", "UKR"),
        ("JPN", 100_000_000, "USD", "unspecified", "2022-02-28", "new", "UKR"),
        ("JPN", 100_000_000, "USD", "unspecified", None, "previously_announced", "UKR"),
    ], key=str)


def test_seed_repeated_japan_pledge_has_two_evidence_spans():
    text = SEED_TEXT.read_text(encoding="utf-8")
    new = [p for p in extract_pledges(text).pledges if p.donor.code == "JPN" and p.status == "new"]
    assert len(new) == 1 and len(new[0].evidence) == 2
    for span in new[0].evidence:
        assert text[span.start:span.end] == span.text
