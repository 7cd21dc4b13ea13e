"""Confidence of a pledge: a logistic model over the signals of its mentions.

The weights are data (data/confidence.yaml), fitted on the real-news corpus by
scripts/calibrate_confidence.py so that a reported confidence reads as the share of pledges
at that level that are right (donor, amount and currency); docs/accuracy.md has the table.
"""
from __future__ import annotations

import math
from typing import Iterable, Mapping

from .data import load_yaml

_MODEL = load_yaml("confidence.yaml")
SIGNALS = tuple(_MODEL["weights"])
_MAX_EXTRA_MENTIONS = 3


def signals(mentions: Iterable) -> dict[str, float]:
    """The signals of one pledge from its mentions (assemble's candidates): each signal is the
    best any mention shows, plus the count of further mentions."""
    mentions = list(mentions)
    best = {name: 0.0 for name in SIGNALS}
    for c in mentions:
        own = {
            "donor_explicit": c.donor_explicit,
            "verb": c.verb,
            "currency_written": not c.money.currency_assumed,
            "donor_organisation": c.donor.kind == "organisation",
            "donor_named_indirectly": c.donor.via in ("demonym", "leader", "body", "capital"),
            "in_row": c.in_row,
            "status_previous": c.status == "previously_announced",
            "status_total": c.status == "total",
            "recipient_named": c.recipient_explicit and c.recipient is not None,
            "category_named": c.category != "unspecified",
            "crowded": c.crowded,
        }
        for name, value in own.items():
            best[name] = max(best[name], float(value))
    best["extra_mentions"] = float(min(len(mentions) - 1, _MAX_EXTRA_MENTIONS))
    return best


def probability(values: Mapping[str, float], model: Mapping = _MODEL) -> float:
    z = model["bias"] + sum(model["weights"].get(name, 0.0) * v for name, v in values.items())
    return 1.0 / (1.0 + math.exp(-z))


def score(mentions: Iterable) -> float:
    """The pledge's confidence, rounded to two places and kept inside (0, 1)."""
    return round(min(max(probability(signals(mentions)), 0.01), 0.99), 2)
