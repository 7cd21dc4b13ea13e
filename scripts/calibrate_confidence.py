#!/usr/bin/env python3
"""Fit the confidence model (service/engine/data/confidence.yaml) on real-news manifests.

    python scripts/calibrate_confidence.py --manifest tests/corpora/real/manifest.jsonl \
        --texts /tmp/realnews/texts [--write]

Each reported pledge is labelled right when it matches a gold pledge by score.py's rules
(donor, amount within 0.5 %, currency; one-to-one, as the scorer pairs them). A logistic
regression over the pledge's signals (service/engine/confidence.py) is fitted by gradient
descent with a small L2 penalty; the reliability table per confidence band is printed before
and after. --write stores the weights in the data file (the texts themselves stay outside
the repository).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_engine import BANDS, load_manifest, load_scorer  # noqa: E402

from service.engine import confidence, extract_pledges  # noqa: E402
from service.serialize import extraction_to_dict  # noqa: E402

DATA = ROOT / "service" / "engine" / "data" / "confidence.yaml"
L2 = 0.05
STEPS = 4000
RATE = 0.5


def labelled(docs, scorer):
    """(signals, right) for every reported pledge, paired as score.py pairs them."""
    rows = []
    for doc in docs:
        extraction = extract_pledges(doc["text"], doc.get("published_at"))
        dicts = extraction_to_dict(extraction, text=doc["text"])["pledges"]
        pairs = list(zip(dicts, extraction.pledges))
        unmatched = list(range(len(pairs)))
        right = set()
        for g in doc["pledges"]:
            hit = next((i for i in unmatched if scorer.donor_matches(pairs[i][0], g) and scorer.amount_matches(pairs[i][0], g)), None)
            if hit is not None:
                unmatched.remove(hit)
                right.add(hit)
        rows += [(dict(p.signals), i in right) for i, (_, p) in enumerate(pairs)]
    return rows


def fit(rows):
    names = list(confidence.SIGNALS)
    w = {n: 0.0 for n in names}
    b = 0.0
    n = len(rows)
    for _ in range(STEPS):
        gb, gw = 0.0, {k: 0.0 for k in names}
        for x, y in rows:
            p = 1 / (1 + math.exp(-(b + sum(w[k] * x.get(k, 0.0) for k in names))))
            d = p - (1.0 if y else 0.0)
            gb += d
            for k in names:
                gw[k] += d * x.get(k, 0.0)
        b -= RATE * gb / n
        for k in names:
            w[k] -= RATE * (gw[k] / n + L2 * w[k])
    return b, w


def table(rows, model):
    bands = {lo: [0, 0] for lo in BANDS[:-1]}
    for x, y in rows:
        p = min(max(confidence.probability(x, model), 0.01), 0.99)
        lo = max(b for b in BANDS[:-1] if round(p, 2) >= b)
        bands[lo][1] += 1
        bands[lo][0] += y
    for (lo, (c, k)), hi in zip(bands.items(), BANDS[1:]):
        print(f"  [{lo:.1f}, {min(hi, 1.0):.1f}{']' if hi > 1 else ')'}  reported {k:4d}  right {c:4d}  "
              f"precision {c / k:.3f}" if k else f"  [{lo:.1f}, {min(hi, 1.0):.1f})  reported    0")
    at_08 = [(x, y) for x, y in rows if round(confidence.probability(x, model), 2) >= 0.8]
    if at_08:
        print(f"  confidence >= 0.8: {sum(y for _, y in at_08)}/{len(at_08)} right = "
              f"{sum(y for _, y in at_08) / len(at_08):.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--manifest", action="append", required=True)
    ap.add_argument("--texts", required=True)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--scorer", default=str(ROOT.parent / "shared" / "eval" / "score.py"))
    args = ap.parse_args()
    scorer = load_scorer(Path(args.scorer))
    score_real = load_scorer(Path(args.scorer).parent / "real-dev" / "score_real.py")
    docs = [d for m in args.manifest for d in load_manifest(m, args.texts, score_real)]
    rows = labelled(docs, scorer)
    current = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    print(f"{len(rows)} reported pledges, {sum(y for _, y in rows)} right")
    print("current model:")
    table(rows, current)
    b, w = fit(rows)
    fitted = {"bias": round(b, 3), "weights": {k: round(v, 3) for k, v in w.items()}}
    print("fitted model:", fitted)
    table(rows, fitted)
    if args.write:
        text = DATA.read_text(encoding="utf-8")
        head = text[:text.index("fitted_on:")]
        fitted_on = (f"{date.today().isoformat()} ({len(rows)} pledges of {len(docs)} real excerpts in "
                     f"{', '.join(Path(m).name for m in args.manifest)})")
        lines = [f"fitted_on: {json.dumps(fitted_on)}", f"bias: {fitted['bias']}", "weights:"]   # quoted: valid YAML
        comments = {ln.split(":")[0].strip(): ln.split("#", 1)[1].strip() for ln in text.splitlines()
                    if ln.startswith("  ") and "#" in ln}
        for k, v in fitted["weights"].items():
            lines.append(f"  {k}: {v}" + (f"    # {comments[k]}" if k in comments else ""))
        DATA.write_text(head + "\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {DATA}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
