"""/ledger: the ledger for people, server-rendered (templates/ledger.html; no CDN, no build step,
no JavaScript). Filters (donor, recipient, category, status) are a plain GET form; each pledge
shows its sources with the evidence sentence in <mark>; with a donor chosen, an inline SVG
charts its pledges over time, one small chart per currency (cumulative, a dot per pledge).

API keys: the same rule as /docs and every path but the health probes (service/api/security.py).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Optional
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, Response, render_template, request
from marshmallow import ValidationError
from sqlalchemy import select

from ..api.errors import field_problems, problem_response
from ..api.schemas import CATEGORIES, PledgeQuerySchema
from . import query as queries
from .models import Article, Mention, Pledge

blp = Blueprint("ledger_page", __name__, template_folder="templates")

PAGE_SIZE = 50
CONTEXT_CHARS = 160          # characters of the stored article shown either side of the evidence
CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 640, 180, 44
_FILTERS = ("donor", "recipient", "category", "status")
_QUERY = PledgeQuerySchema(only=("donor", "recipient", "category", "status", "cursor"))


def _csp(nonce: str) -> str:
    return (f"default-src 'none'; style-src 'nonce-{nonce}'; img-src 'self'; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'")


def amount_text(value: Decimal | str) -> str:
    """70000000 → "70,000,000"; 1.25 → "1.25" (exact, grouped)."""
    return f"{Decimal(value).normalize():,f}"


def safe_link(url: Optional[str]) -> Optional[str]:
    """The url when it is http(s), else None: an article's url is caller input, and a
    javascript: or data: address must never become a link."""
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


# ------------------------------------------------------------------ the chart

@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    currency: str
    path: str                 # the cumulative sum as a step line
    dots: list[Dot]
    first: str                # first and last dates, and the sum at the end (axis labels)
    last: str
    total: str
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    pad: int = CHART_PAD


def charts(rows: list[tuple[date, Decimal | str, str]]) -> list[Chart]:
    """One chart per currency (the currency with the most pledges first) from (date, value,
    currency) rows: x is the date, y the cumulative sum up to and including that pledge."""
    by_currency: dict[str, list[tuple[date, Decimal]]] = {}
    for day, value, currency in rows:
        if day is not None:
            by_currency.setdefault(currency, []).append((day, Decimal(value)))
    out = []
    for currency, points in sorted(by_currency.items(), key=lambda item: (-len(item[1]), item[0])):
        points.sort(key=lambda p: p[0])
        first, last = points[0][0], points[-1][0]
        span = (last - first).days
        inner_w, inner_h = CHART_WIDTH - 2 * CHART_PAD, CHART_HEIGHT - 2 * CHART_PAD
        base = CHART_HEIGHT - CHART_PAD
        total = sum(v for _, v in points)
        scale = float(total) or 1.0

        def x_of(day: date) -> float:
            return round(CHART_PAD + (inner_w * (day - first).days / span if span else inner_w / 2), 1)

        cumulative, dots = Decimal(0), []
        path = [f"M{x_of(first)},{base}"]
        for day, value in points:
            cumulative += value
            x, y = x_of(day), round(base - inner_h * float(cumulative) / scale, 1)
            path.append(f"H{x}V{y}")
            dots.append(Dot(x, y, f"{day.isoformat()}: {amount_text(value)} {currency} "
                                  f"(cumulative {amount_text(cumulative)})"))
        path.append(f"H{CHART_WIDTH - CHART_PAD}")
        out.append(Chart(currency, "".join(path), dots, first.isoformat(), last.isoformat(),
                         amount_text(total)))
    return out


# ------------------------------------------------------------------ the page

def _sources(session, pledge_ids: list[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {i: [] for i in pledge_ids}
    if not pledge_ids:
        return out
    rows = session.execute(select(Mention, Article).join(Article).where(Mention.pledge_id.in_(pledge_ids))
                           .order_by(Article.published_at.is_(None), Article.published_at, Mention.id))
    for m, a in rows:
        before = after = ""
        if a.text and 0 <= m.evidence_start < m.evidence_end <= len(a.text):
            before = a.text[max(0, m.evidence_start - CONTEXT_CHARS):m.evidence_start]
            after = a.text[m.evidence_end:m.evidence_end + CONTEXT_CHARS]
        out[m.pledge_id].append({"url": a.url, "link": safe_link(a.url), "source": a.source,
                                 "published_at": a.published_at.isoformat() if a.published_at else "undated",
                                 "status": m.status, "before": before, "evidence": m.evidence, "after": after})
    return out


def _choices(session):
    donors = session.execute(select(Pledge.donor_code, Pledge.donor_name).distinct()
                             .order_by(Pledge.donor_code)).all()
    recipients = session.execute(select(Pledge.recipient_code, Pledge.recipient_name).distinct()
                                 .where(Pledge.recipient_code.is_not(None)).order_by(Pledge.recipient_code)).all()
    # one name per code (sources may spell a name differently)
    return list(dict(donors).items()), list(dict(recipients).items())


@blp.get("/ledger")
def ledger_page():
    from .api import ledger
    try:
        # the form sends every select, "any" as an empty value: that is no filter
        query = _QUERY.load({name: value for name, value in request.args.items() if value})
    except ValidationError as err:
        return problem_response(422, "A filter of this page is not valid; see errors.",
                                errors=field_problems(err.normalized_messages()))
    filters = {name: query[name] for name in _FILTERS if query.get(name)}
    cursor = {"after": int(query["cursor"])} if query.get("cursor") else {}
    with ledger().session() as session:
        rows, more = queries.page(session, {**filters, **cursor}, PAGE_SIZE)
        sources = _sources(session, [p.id for p in rows])
        donors, recipients = _choices(session)
        chart_rows = session.execute(queries.filtered(select(Pledge.date, Pledge.value, Pledge.currency),
                                                      filters)).all() if filters.get("donor") else []
    donor_name = dict(donors).get(filters.get("donor", ""), filters.get("donor"))
    next_url = "/ledger?" + urlencode({**filters, "cursor": rows[-1].id}) if more else None
    nonce = secrets.token_urlsafe(16)
    html = render_template("ledger.html", pledges=rows, sources=sources, filters=filters,
                           donor_options=[(code, f"{name} ({code})") for code, name in donors],
                           recipient_options=[(code, f"{name or code} ({code})") for code, name in recipients],
                           category_options=[(c, c.replace("_", " ")) for c in CATEGORIES],
                           status_options=[(s, s.replace("_", " ")) for s in queries.SUMMED_STATUSES],
                           charts=charts(chart_rows), donor_name=donor_name, next_url=next_url,
                           amount_text=amount_text, nonce=nonce)
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = _csp(nonce)
    return response
