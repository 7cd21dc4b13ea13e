#!/usr/bin/env python3
"""Score the engine in-process on a gold JSONL file (no HTTP), with score.py's matching rules.

    python scripts/eval_engine.py ../shared/eval/dev.jsonl [--show-errors]

Reuses shared/eval/score.py's donor/amount matching so the figures agree with `make eval`.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.serialize import extraction_to_dict  # noqa: E402
from service.engine import extract_pledges  # noqa: E402


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("shared_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def evaluate(gold_path: str, scorer, show_errors: bool = False):
    docs = [json.loads(line) for line in open(gold_path, encoding="utf-8") if line.strip()]
    tp = fp = fn = 0
    checks = {k: [0, 0] for k in ("category", "date", "status", "recipient")}
    errors = []
    for doc in docs:
        result = extraction_to_dict(extract_pledges(doc["text"], doc.get("published_at")), text=doc["text"])
        preds = list(result["pledges"])
        for g in doc["pledges"]:
            cands = [p for p in preds if scorer.donor_matches(p, g) and scorer.amount_matches(p, g)]
            hit = max(cands, default=None, key=lambda p: sum((
                p.get("status") == g.get("status"), p.get("date") == g.get("date"),
                p.get("category") == g.get("category"), scorer.recipient_code(p) == g.get("recipient"))))
            if hit is None:
                fn += 1
                errors.append(f"{doc['id']}: missed {g['donor']} {g['amount']} {g['currency']} ({g['status']})")
                continue
            preds.remove(hit)
            tp += 1
            for key, pv in (("category", hit["category"]), ("date", hit["date"]), ("status", hit["status"]),
                            ("recipient", scorer.recipient_code(hit))):
                checks[key][1] += 1
                if pv == g.get(key):
                    checks[key][0] += 1
                else:
                    errors.append(f"{doc['id']}: {key} {g['donor']} {g['amount']} {g['currency']}: got {pv!r}, want {g.get(key)!r}")
        fp += len(preds)
        for p in preds:
            errors.append(f"{doc['id']}: spurious {p['donor']['code']} {p['amount']['value']} {p['amount']['currency']} "
                          f"({p['status']}) in: {p['evidence'][0]['text'][:120]!r}")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    summary = {"documents": len(docs), "gold": tp + fn, "predicted": tp + fp, "tp": tp,
               "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
               **{f"{k}_accuracy": round(c / n, 4) if n else None for k, (c, n) in checks.items()}}
    return summary, errors


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="+")
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--scorer", default=str(ROOT.parent / "shared" / "eval" / "score.py"))
    args = ap.parse_args()
    scorer = load_scorer(Path(args.scorer))
    for gold in args.gold:
        summary, errors = evaluate(gold, scorer)
        if args.show_errors:
            for e in errors:
                print("  " + e)
        print(Path(gold).name, json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
