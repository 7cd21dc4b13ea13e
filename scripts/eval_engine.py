#!/usr/bin/env python3
"""Score the engine in-process on a gold JSONL file or a real-news manifest (no HTTP), with
score.py's matching rules.

    python scripts/eval_engine.py ../shared/eval/dev.jsonl [--show-errors]
    python scripts/eval_engine.py --manifest tests/corpora/real/manifest.jsonl --texts /tmp/realnews/texts \
        [--calibration] [--show-errors]

Reuses shared/eval/score.py's donor/amount matching so the figures agree with `make eval` and
`make eval-real`; a manifest's texts are read from --texts (never from the repository), and
pledges whose anchor is not in the text are dropped as score_real.py does. --calibration adds
the share of reported pledges that match a gold pledge, per confidence band.
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


BANDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def evaluate(docs: list[dict], scorer, show_errors: bool = False):
    tp = fp = fn = 0
    bands = {b: [0, 0] for b in BANDS[:-1]}           # lower edge -> [matched, reported]

    def band_of(p):
        return max(b for b in BANDS[:-1] if p.get("confidence", 0) >= b)
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
            bands[band_of(hit)][0] += 1
            bands[band_of(hit)][1] += 1
            for key, pv in (("category", hit["category"]), ("date", hit["date"]), ("status", hit["status"]),
                            ("recipient", scorer.recipient_code(hit))):
                checks[key][1] += 1
                if pv == g.get(key):
                    checks[key][0] += 1
                else:
                    errors.append(f"{doc['id']}: {key} {g['donor']} {g['amount']} {g['currency']}: got {pv!r}, want {g.get(key)!r}")
        fp += len(preds)
        for p in preds:
            bands[band_of(p)][1] += 1
            errors.append(f"{doc['id']}: spurious {p['donor']['code']} {p['amount']['value']} {p['amount']['currency']} "
                          f"({p['status']}) in: {p['evidence'][0]['text'][:120]!r}")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    summary = {"documents": len(docs), "gold": tp + fn, "predicted": tp + fp, "tp": tp,
               "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
               **{f"{k}_accuracy": round(c / n, 4) if n else None for k, (c, n) in checks.items()}}
    calibration = [{"confidence": f"[{lo:.1f}, {min(hi, 1.0):.1f}{']' if hi > 1 else ')'}", "reported": n,
                    "correct": c, "precision": round(c / n, 4) if n else None}
                   for (lo, (c, n)), hi in zip(bands.items(), BANDS[1:])]
    return summary, errors, calibration


def load_manifest(manifest: str, texts: str, score_real) -> list[dict]:
    gold, counts = score_real.build_gold(manifest, texts)
    if counts["documents_missing_text"] or counts["pledges_dropped_no_anchor"]:
        print(f"{Path(manifest).name}: {counts['documents_missing_text']} texts missing, "
              f"{counts['pledges_dropped_no_anchor']} pledges dropped (anchor not in text)", file=sys.stderr)
    return gold


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="*")
    ap.add_argument("--manifest", action="append", default=[], help="a real-news manifest (repeatable)")
    ap.add_argument("--texts", help="folder of the manifests' texts, <id>.txt")
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--calibration", action="store_true")
    ap.add_argument("--scorer", default=str(ROOT.parent / "shared" / "eval" / "score.py"))
    args = ap.parse_args()
    if args.manifest and not args.texts:
        ap.error("--manifest needs --texts")
    scorer = load_scorer(Path(args.scorer))
    sets = [(Path(g).name, [json.loads(line) for line in open(g, encoding="utf-8") if line.strip()]) for g in args.gold]
    if args.manifest:
        score_real = load_scorer(Path(args.scorer).parent / "real-dev" / "score_real.py")
        docs = [d for m in args.manifest for d in load_manifest(m, args.texts, score_real)]
        sets.append(("+".join(Path(m).name for m in args.manifest), docs))
    for name, docs in sets:
        summary, errors, calibration = evaluate(docs, scorer)
        if args.show_errors:
            for e in errors:
                print("  " + e)
        print(name, json.dumps(summary))
        if args.calibration:
            for row in calibration:
                print("  ", json.dumps(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
