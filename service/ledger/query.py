"""Reading the ledger: the filters GET /v1/pledges, its CSV export and /ledger share, and the
per-donor summary (sums per currency, USD/EUR with FX_RATES_FILE, the running-total series)."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Optional

from sqlalchemy import Select, select

from ..fx import sum_or_none
from .models import Article, DonorTotal, Pledge

# Status of the pledges a summary adds up (running totals live in donor_totals, never here).
SUMMED_STATUSES = ("new", "previously_announced")
_DONOR_CODE = re.compile(r"[A-Za-z0-9_-]{1,16}")

_EQUALS = (("donor", Pledge.donor_code), ("recipient", Pledge.recipient_code),
           ("category", Pledge.category), ("status", Pledge.status))


def filtered(stmt: Select, query: dict) -> Select:
    """*stmt* restricted by the GET /v1/pledges filters present in *query* (donor, recipient,
    category, status: equal; date_from, date_to: inclusive; cursor: ids after it)."""
    for name, column in _EQUALS:
        if query.get(name):
            stmt = stmt.where(column == query[name])
    if query.get("date_from"):
        stmt = stmt.where(Pledge.date >= query["date_from"])
    if query.get("date_to"):
        stmt = stmt.where(Pledge.date <= query["date_to"])
    if query.get("after") is not None:
        stmt = stmt.where(Pledge.id > query["after"])
    return stmt


def page(session, query: dict, limit: int) -> tuple[list[Pledge], bool]:
    """Up to *limit* pledges matching *query*, by id, and whether more follow."""
    rows = list(session.scalars(filtered(select(Pledge), query).order_by(Pledge.id).limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def _ref(article: Article, evidence: str) -> dict:
    return {"article_id": article.id, "url": article.url,
            "published_at": article.published_at.isoformat() if article.published_at else None,
            "evidence": evidence}


def donor_summary(session, code: str, rates=None) -> Optional[dict]:
    """The donor's sums per currency and running totals; None when the ledger knows nothing of it.
    With *rates* (an fx.RateTable) each pledge is converted at its own date's rate."""
    if not _DONOR_CODE.fullmatch(code):
        return None
    pledges = session.execute(select(Pledge.donor_name, Pledge.currency, Pledge.value, Pledge.date)
                              .where(Pledge.donor_code == code, Pledge.status.in_(SUMMED_STATUSES))
                              .order_by(Pledge.id)).all()
    totals = session.execute(select(DonorTotal, Article).join(Article, DonorTotal.article_id == Article.id)
                             .where(DonorTotal.donor_code == code)
                             .order_by(DonorTotal.date.is_(None), DonorTotal.date, DonorTotal.id)).all()
    if not pledges and not totals:
        return None
    by_currency: dict[str, dict] = {}
    for _, currency, value, day in pledges:
        entry = by_currency.setdefault(currency, {"currency": currency, "sum": Decimal(0), "pledge_count": 0,
                                                  "usd": [], "eur": []})
        entry["sum"] += Decimal(value)
        entry["pledge_count"] += 1
        if rates is not None:
            conversion = rates.convert(Decimal(value), currency, day)
            entry["usd"].append(conversion.usd if conversion else None)
            entry["eur"].append(conversion.eur if conversion else None)
    sums = []
    for currency in sorted(by_currency):
        entry = by_currency[currency]
        usd, eur = entry.pop("usd"), entry.pop("eur")
        if rates is not None:
            entry["sum_usd"], entry["sum_eur"] = sum_or_none(usd), sum_or_none(eur)
            entry["_unconverted"] = usd.count(None)
        sums.append(entry)
    name = pledges[0][0] if pledges else totals[0][0].donor_name
    summary = {"donor": {"code": code, "name": name}, "pledge_count": len(pledges), "sums": sums,
               "running_totals": [{"date": t.date.isoformat() if t.date else None, "amount": Decimal(t.value),
                                   "currency": t.currency, "source": _ref(a, t.evidence)} for t, a in totals]}
    if rates is not None:
        summary["sum_usd"] = sum_or_none(s["sum_usd"] for s in sums)
        summary["sum_eur"] = sum_or_none(s["sum_eur"] for s in sums)
        summary["unconverted_count"] = sum(s.pop("_unconverted") for s in sums)
    return summary
