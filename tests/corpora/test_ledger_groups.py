"""The cross-article ledger corpus (tests/corpora/ledger/groups.yaml, sentences written for it):
well formed, and scorable by scripts/eval_ledger.py (the figures live in docs/ledger.md)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
GROUPS = yaml.safe_load((ROOT / "tests/corpora/ledger/groups.yaml").read_text(encoding="utf-8"))


def test_groups_are_well_formed():
    assert len(GROUPS) >= 30
    urls = [a["url"] for g in GROUPS for a in g["articles"]]
    assert len(urls) == len(set(urls)) and all(".test/" in u for u in urls)
    for g in GROUPS:
        ids = {a["external_id"] for a in g["articles"]}
        assert 2 <= len(g["articles"]) <= 6, g["id"]
        for e in g.get("expected") or []:
            assert set(e["sources"]) <= ids and e["amount"] > 0 and len(e["currency"]) == 3, (g["id"], e)


def test_the_scorer_matches_a_group_it_is_given(tmp_path):
    spec = importlib.util.spec_from_file_location("eval_ledger", ROOT / "scripts/eval_ledger.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    group = {"id": "t1", "articles": [
        {"external_id": "t1-a", "url": "https://n.test/1", "published_at": "2025-03-04",
         "text": "Norway pledged NOK 200 million in humanitarian aid for Sudan on Tuesday."},
        {"external_id": "t1-b", "url": "https://n.test/2", "published_at": "2025-03-05",
         "text": "Norway's NOK 200 million for Sudan, pledged on Tuesday, will go to food aid."}],
        "expected": [{"donor": "NOR", "amount": 200000000, "currency": "NOK", "sources": ["t1-a", "t1-b"]}]}
    tp, predicted, gold, errors = module.score_group(group, tmp_path)
    assert (tp, gold) == (1, 1) and predicted >= 1
    wrong = dict(group, expected=[dict(group["expected"][0], amount=300000000)])
    (tmp_path / "second").mkdir()
    assert module.score_group(wrong, tmp_path / "second")[0] == 0        # a wrong amount is no match
