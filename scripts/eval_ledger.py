"""Score the ledger on the cross-article corpus (tests/corpora/ledger/groups.yaml).

Each group's articles are ingested in order into a fresh SQLite ledger; the ledger's pledges
(not running totals) are matched one-to-one to the group's expected pledges by donor code,
currency and amount (within 0.5 %, as score.py does). Prints precision, recall and F1 over all
groups, and with --show-errors every miss.

    .venv/bin/python scripts/eval_ledger.py [--show-errors]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from service.ledger import store  # noqa: E402
from service.ledger.db import Ledger  # noqa: E402
from service.ledger.models import Pledge  # noqa: E402


def _day(value):
    return date.fromisoformat(str(value)) if value else None


def score_group(group: dict, folder: Path) -> tuple[int, int, int, list[str]]:
    ledger = Ledger(f"sqlite:///{folder / (group['id'] + '.db')}")
    for a in group["articles"]:
        store.ingest_article(ledger, a["text"], _day(a.get("published_at")), a.get("url"), None, a.get("external_id"))
    with ledger.session() as session:
        got = [p for p in session.scalars(select(Pledge)) if p.status != "total"]
        got = [(p.donor_code, p.currency, Decimal(p.value)) for p in got]
    want = [(e["donor"], e["currency"], Decimal(str(e["amount"]))) for e in group.get("expected") or []]
    unmatched, tp, errors = list(got), 0, []
    for w in want:
        hit = next((g for g in unmatched if g[0] == w[0] and g[1] == w[1] and abs(g[2] - w[2]) <= w[2] * Decimal("0.005")), None)
        if hit is None:
            errors.append(f"{group['id']}: missed {w}")
        else:
            unmatched.remove(hit)
            tp += 1
    errors += [f"{group['id']}: spurious {g}" for g in unmatched]
    return tp, len(got), len(want), errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT / "tests/corpora/ledger/groups.yaml"))
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    groups = yaml.safe_load(Path(args.corpus).read_text(encoding="utf-8"))
    tp = predicted = gold = 0
    errors: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for g in groups:
            t, p, w, e = score_group(g, Path(tmp))
            tp, predicted, gold, errors = tp + t, predicted + p, gold + w, errors + e
    precision = tp / predicted if predicted else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    if args.show_errors:
        print("\n".join(errors))
    print(json.dumps({"groups": len(groups), "expected": gold, "ledger_pledges": predicted, "tp": tp,
                      "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
