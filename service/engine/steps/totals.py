"""Totals per donor and currency: the sum of its pledges, and the largest running total stated."""
from __future__ import annotations

from decimal import Decimal

from ..types import Pledge, Total


def totals(pledges: list[Pledge]) -> list[Total]:
    by_key: dict[tuple[str, str], dict] = {}
    for p in pledges:
        key = (p.donor.code, p.amount.currency)
        slot = by_key.setdefault(key, {"donor": p.donor, "sum": Decimal(0), "stated": None, "count": 0})
        if p.status == "total":
            slot["stated"] = max(slot["stated"] or Decimal(0), p.amount.value)
        else:
            slot["sum"] += p.amount.value
            slot["count"] += 1
    return [Total(donor=v["donor"], currency=cur, sum=v["sum"], stated_total=v["stated"], pledge_count=v["count"])
            for (code, cur), v in by_key.items()]
