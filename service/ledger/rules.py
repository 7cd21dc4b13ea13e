"""When two pledge mentions are the same ledger pledge: the deduplication rules, in one place.

Same pledge = same donor, same currency and amount (exactly, or one of them the other's
bracketed conversion; "about $1.2 billion" matches $1.2 billion rounded, "$1.25 billion" is
another pledge), recipients that do not disagree, and compatible dates:
  new mention                within WINDOW_DAYS of the pledge's date (the same announcement
                             reported on other days), or before a reference-only pledge's date
  previously_announced       any earlier pledge (the most recent one); none: a reference-only pledge
Two mentions of one article are never the same pledge (the engine already separates them).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterable, Optional, Sequence

WINDOW_DAYS = 14


@dataclass(frozen=True)
class Facts:
    donor: str
    recipient: Optional[str]
    currency: str
    value: Decimal
    equivalent: Optional[tuple[str, Decimal]] = None
    qualifier: Optional[str] = None
    status: str = "new"
    date: Optional[date] = None
    reference_only: bool = False

    def amounts(self) -> set[tuple[str, Decimal]]:
        out = {(self.currency, self.value)}
        if self.equivalent:
            out.add(self.equivalent)
        return out


def _rounds_to(exact: Decimal, approx: Decimal) -> bool:
    exponent = approx.normalize().as_tuple().exponent
    return exact.quantize(Decimal(1).scaleb(exponent)) == approx.normalize() if exponent <= 0 else \
        (exact / Decimal(10) ** exponent).quantize(Decimal(1)) * Decimal(10) ** exponent == approx


def amounts_match(a: Facts, b: Facts) -> bool:
    for cur_a, val_a in a.amounts():
        for cur_b, val_b in b.amounts():
            if cur_a != cur_b:
                continue
            if val_a == val_b:
                return True
            if a.qualifier == "approximate" and _rounds_to(val_b, val_a):
                return True
            if b.qualifier == "approximate" and _rounds_to(val_a, val_b):
                return True
    return False


def dates_compatible(mention: Facts, pledge: Facts) -> bool:
    if mention.date is None or pledge.date is None:
        return True
    if mention.status == "previously_announced":
        return pledge.date <= mention.date
    if pledge.reference_only:
        return mention.date <= pledge.date
    return abs((mention.date - pledge.date).days) <= WINDOW_DAYS


def same_pledge(mention: Facts, pledge: Facts) -> bool:
    if mention.donor != pledge.donor:
        return False
    if mention.recipient and pledge.recipient and mention.recipient != pledge.recipient:
        return False
    return amounts_match(mention, pledge) and dates_compatible(mention, pledge)


def choose(mention: Facts, candidates: Sequence[tuple[object, Facts]]) -> Optional[object]:
    """The candidate (key, facts) the mention belongs to, else None: the nearest in date."""
    fits = [(key, facts) for key, facts in candidates if same_pledge(mention, facts)]
    if not fits:
        return None

    def distance(item):
        facts = item[1]
        if mention.date is None or facts.date is None:
            return 10 ** 6
        return abs((mention.date - facts.date).days)
    return min(fits, key=distance)[0]


def dedup_key(donor: str, recipient: Optional[str], currency: str, value: Decimal) -> str:
    return f"{donor}|{recipient or '-'}|{currency}|{value.normalize():f}"


CATEGORY_RANK = {"unspecified": 0, "financial": 1, "development": 1, "humanitarian": 1,
                 "military": 2, "military_lethal": 3, "military_non_lethal": 3}


def most_explicit(values: Iterable[Optional[str]], rank=None) -> tuple[Optional[str], list[str]]:
    """(the winner, the distinct explicit values when sources disagree, else [])."""
    seen = [v for v in values if v and v != "unspecified"]
    if not seen:
        return None, []
    rank = rank or {}
    winner = max(seen, key=lambda v: (rank.get(v, 1), seen.count(v)))
    distinct = sorted(set(seen))
    return winner, distinct if len(distinct) > 1 else []
