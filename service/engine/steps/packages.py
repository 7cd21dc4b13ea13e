"""Packages and their parts.

Per amount:

    share-of-a-package  "Of the total, $4m ...", "The remaining $2m", "including $1m" after a new
                        pledge of the same sentence: a share, dropped unless the shares add up
                        to their package (below)
    of-earlier-money    "Of the $1bn pledged by Japan last year, $200m ...": the first amount is
                        earlier money, the later ones its shares

Per document (drop_split_packages): a new package whose parts the text lists (amounts of the
same donor and currency that add up to it, within two sentences or a list): parts for several
categories or recipients are the pledges and the package goes; parts of one kind (loans plus
grants of one programme) stay one pledge at the package's amount.
Corpus: tests/engine/corpora/assemble.yaml (package cases).
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Optional

from .. import triggers
from .context import AmountContext, Candidate, SentenceContext
from .rules import Rule

SHARE_OF_A_PACKAGE = Rule("share-of-a-package", "'Of the total', 'the remaining', 'including' after a new pledge",
                          "a share (dropped unless the shares split a package)")
OF_EARLIER_MONEY = Rule("of-earlier-money", "a sentence opening 'Of the $X ...'", "$X is previously_announced")

_PART_OPENER = re.compile(r"""
    [\"'“‘(]*(?:
      of\ (?:the|this|that|its|their)\ (?:total|money|sum|amount|package|funding|aid|pledge|contribution|grants?|loans?)
      |the\ (?:remaining|rest|balance|remainder))\b
    """, re.IGNORECASE | re.VERBOSE)
# "Of the $1 billion pledged by Japan last year, $200 million will go to ...": the later
# amounts of the sentence are shares of the first, which is earlier money.
_OF_THE_AMOUNT = re.compile(r"[\"'“‘(]*of (?:the|its|their|this|that) (?=[$€£¥₹]|[A-Z]{1,3}\$|[A-Z]{3}\s?\d|\d)", re.IGNORECASE)
# A package and the parts that split it lie within this many amounts, and sentences, of each other.
_PART_LOOKAHEAD = 60
_PART_SENTENCES = 2
_PART_CHARS = 600            # ... or this many characters, whatever short quotes stand between


def share_of_package(sc: SentenceContext, a: AmountContext, status: str,
                     previous_status: Optional[str]) -> tuple[str, bool, tuple[str, ...]]:
    """(the amount's status, whether it is a share of a package, the rules that fired)."""
    text = sc.s.text
    of_the_amount = _OF_THE_AMOUNT.match(text)
    fired = []
    if of_the_amount and a.k == 0 and status == "new":
        status = "previously_announced"
        fired.append(OF_EARLIER_MONEY.name)
    part = bool(_PART_OPENER.match(text)) or (bool(of_the_amount) and a.k > 0) or (
        a.k > 0 and previous_status == "new" and triggers.comma_clause(a.left).strip().lower().startswith("including"))
    if part:
        fired.append(SHARE_OF_A_PACKAGE.name)
    return status, part, tuple(fired)


def _other_places(package: Candidate, parts: list[Candidate]) -> bool:
    """A package for one named country has no parts only for others ("Jordan €200m, Kosovo
    €100m, Moldova €100m" are three allocations, not Jordan's split; "€5m to Lebanon (€3m) and
    Jordan (€2m)" is a split, its first place among the parts')."""
    if not (package.recipient_explicit and package.recipient is not None):
        return False
    places = {p.recipient.code for p in parts if p.recipient is not None}
    return bool(places) and package.recipient.code not in places


def drop_split_packages(candidates: list[Candidate]) -> list[Candidate]:
    """A new package whose parts the text lists (amounts that add up to it).

    Parts for different categories or recipients are the pledges and the package goes;
    parts of one category and recipient (loans plus grants of one programme) stay one
    pledge at the package's amount.
    """
    drop, consumed = set(), set()
    for i, c in enumerate(candidates):
        if c.status != "new" or i in drop:
            continue
        parts, running = [], Decimal(0)
        # Candidates are in text order; parts follow within two sentences and within
        # _PART_LOOKAHEAD amounts, and once they add up to more than the package no longer
        # prefix of them can equal it.
        for j in range(i + 1, min(len(candidates), i + 1 + _PART_LOOKAHEAD)):
            p = candidates[j]
            if (p.sentence.index - c.sentence.index > _PART_SENTENCES and p.sentence.start - c.sentence.end > _PART_CHARS
                    and not p.in_row) or running > c.money.value:
                break       # (a list's rows count as one stretch of text, however many lines)
            if p.donor.code == c.donor.code and p.money.currency == c.money.currency \
                    and p.status == "new" and p.money.value < c.money.value:
                parts.append((j, p))
                running += p.money.value
        total = Decimal(0)
        for n, (j, p) in enumerate(parts, 1):
            total += p.money.value
            if total == c.money.value and n >= 2 and not _other_places(c, [p for _, p in parts[:n]]):
                chosen = parts[:n]
                kinds = {(p.category, p.recipient.code if p.recipient else None) for _, p in chosen}
                instruments = [p.instrument for _, p in chosen]
                one_programme = "unspecified" not in instruments and len(set(instruments)) > 1
                if len(kinds) > 1 and not one_programme:
                    drop.add(i)
                    consumed.update(j for j, _ in chosen)
                else:
                    drop.update(j for j, _ in chosen)
                break
            if total > c.money.value:
                break
    # Shares that do not add up to a package are allocations inside it, not pledges.
    drop.update(i for i, c in enumerate(candidates) if c.part and i not in consumed)
    return [c for i, c in enumerate(candidates) if i not in drop]
