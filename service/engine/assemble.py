"""Assemble: the engine as a list of stages and steps (docs/engine.md tells the whole story).

    stages.build_document        sentences, money, dateline, entities, gapped-list amounts,
                                 layout, dates, name-blanked texts: the Document's layers
    steps.amounts.read           per amount, in text order: reasons it is no pledge → donor →
                                 status → category → recipient → day → share of a package?
    then, on all candidates:     own dollars → conversions → equal shares → default recipient →
                                 domestic spending → split packages → categories of running
                                 totals → repeats merged → totals
"""
from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from typing import Union

from .document import Document
from .stages import build_document
from .steps import amounts, category, not_pledge, packages, parties, repeats, totals
from .types import Extraction


def decide(doc: Document) -> tuple[list, list, list]:
    """The steps after the stages: (candidates grouped per pledge, pledges, totals)."""
    candidates, appeal_places = amounts.read(doc)
    parties.own_dollars(candidates, doc)
    candidates = repeats.drop_conversions(candidates)
    candidates = repeats.drop_equal_shares(doc, candidates)
    if not appeal_places:
        lead_place = parties.lead_recipient(doc)
        if lead_place is not None:
            appeal_places.append(lead_place)
    parties.apply_default_recipient(candidates, appeal_places)
    candidates = not_pledge.drop_domestic(candidates, not_pledge.dateline_country(doc.dateline))
    candidates = packages.drop_split_packages(candidates)
    category.total_categories(candidates)
    groups = repeats.group_repeats(candidates)
    pledges = [repeats.pledge_of(g) for g in groups]
    return groups, pledges, totals.totals(pledges)


def run(text: str, published_at: Union[None, str, date] = None) -> Extraction:
    started = time.perf_counter()
    doc = build_document(text, published_at)
    _, pledges, sums = decide(doc)
    if doc.text != text:        # look-alike letters were read as Latin: quote what the caller sent
        pledges = [_quoted_from(p, text) for p in pledges]
    published = doc.published.isoformat() if doc.published else None
    return Extraction(
        pledges=tuple(pledges), totals=tuple(sums), published_at=published,
        meta={"amounts_found": len(doc.money), "sentences": len(doc.sentences),
              "engine_ms": round((time.perf_counter() - started) * 1000, 3)},
    )


def _quoted_from(pledge, text: str):
    return replace(pledge, evidence=tuple(replace(e, text=text[e.start:e.end]) for e in pledge.evidence))


def explain(text: str, published_at: Union[None, str, date] = None) -> dict:
    """Which rules made each pledge and rejected each other amount (for people, not the API):

        {"pledges": [(Pledge, ("named-giver", ...)), ...],
         "rejected": [(Money, "request-or-appeal"), ...]}

    A pledge lists the rules of its first mention (later mentions were merged into it).
    One dropped later (a conversion, a split package, domestic spending) shows as neither.
    """
    doc = build_document(text, published_at)
    groups, pledges, _ = decide(doc)
    return {"pledges": [(p, g[0].rules) for p, g in zip(pledges, groups)], "rejected": list(doc.rejected)}
