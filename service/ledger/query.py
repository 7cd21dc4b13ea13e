"""Reading the ledger: the filters GET /v1/pledges, its CSV export and /ledger share, and the
per-donor summary (sums per currency, USD/EUR with FX_RATES_FILE, the running-total series)."""
from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Iterator, Optional

from sqlalchemy import Select, select

from ..fx import sum_or_none
from .models import Article, DonorTotal, Mention, Pledge

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


# GET /v1/pledges with Accept: text/csv, one row per ledger pledge (Kiel Institute tracker-like).
CSV_COLUMNS = ("id", "donor_code", "donor_name", "recipient_code", "amount", "currency", "category",
               "instrument", "date", "status", "n_sources", "first_source_url", "evidence")
CSV_CHUNK = 1000
# A text cell starting with one of these is a formula to a spreadsheet: it gets a leading "'".
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def first_sources(session, pledge_ids: list[int]) -> dict[int, tuple[Optional[str], str]]:
    """(url, evidence) of each pledge's earliest source: by publication date (undated last), then
    the order mentions were stored in."""
    firsts: dict[int, tuple[Optional[str], str]] = {}
    if pledge_ids:
        rows = session.execute(select(Mention.pledge_id, Article.url, Mention.evidence).join(Article)
                               .where(Mention.pledge_id.in_(pledge_ids))
                               .order_by(Article.published_at.is_(None), Article.published_at, Mention.id))
        for pledge_id, url, evidence in rows:
            firsts.setdefault(pledge_id, (url, evidence))
    return firsts


def _text_cell(value: Optional[str]) -> str:
    value = value or ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_row(p: Pledge, first: tuple[Optional[str], str]) -> list:
    url, evidence = first
    return [p.id, p.donor_code, _text_cell(p.donor_name), p.recipient_code or "", p.value, p.currency,
            p.category, p.instrument, p.date.isoformat() if p.date else "", p.status, p.source_count,
            _text_cell(url), _text_cell(evidence)]


def csv_export(ledger, filters: dict, chunk: int = CSV_CHUNK) -> Iterator[str]:
    """The CSV of every pledge matching *filters*, by id: the header, then *chunk* pledges at a
    time, each chunk read in its own short transaction (an export of the whole ledger never
    holds one open, so writers are not kept waiting)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    after = filters.get("after")
    while True:
        with ledger.session() as session:
            rows, more = page(session, {**filters, "after": after}, chunk)
            firsts = first_sources(session, [p.id for p in rows])
        for p in rows:
            writer.writerow(csv_row(p, firsts.get(p.id, (None, ""))))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if not more:
            return
        after = rows[-1].id


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
