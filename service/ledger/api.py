"""The ledger's HTTP endpoints: POST /v1/articles[/batch], GET /v1/pledges[/{id}] (JSON or CSV), DELETE
/v1/articles/{id}, GET /v1/donors/{code}/summary."""
from __future__ import annotations

import itertools
import logging
import time

from flask import Response, current_app, request, stream_with_context
from flask_smorest import abort
from sqlalchemy import select
from sqlalchemy.exc import OperationalError, InterfaceError

from .. import fx
from ..api.base import Blueprint
from ..api.errors import PROBLEM_JSON, field_problems, problem, problem_response
from ..api.extract import refuse_oversized_batch, text_too_long
from ..api.schemas import (ArticleBatchRequestSchema, ArticleBatchResponseSchema, ArticleRequestSchema,
                           ArticleResponseSchema, DonorSummarySchema, ItemOutcome, LedgerPledgeSchema,
                           PledgePageSchema, PledgeQuerySchema, ProblemSchema)
from . import query as queries
from . import store
from .db import Ledger
from .models import Article, Mention, Pledge

CSV = "text/csv"
CSV_EXAMPLE = (",".join(queries.CSV_COLUMNS) + "\r\n" + "1,AUS,Australia,UKR,70000000,AUD,humanitarian,"
               "unspecified,2022-03-01,new,2,https://a.test/1,Australia pledged A$70 million (US$50 million) "
               "in humanitarian aid to Ukraine on Tuesday.\r\n")

blp = Blueprint("ledger", __name__, url_prefix="/v1", description="The deduplicated pledge ledger")
_KEY = "pledges.ledger"
log = logging.getLogger("service.ledger")


def init_app(app) -> None:
    import os
    app.extensions[_KEY] = Ledger(app.config.get("DATABASE_URL") or os.environ.get("DATABASE_URL"),
                                  store_text=str(app.config.get("STORE_TEXT", os.environ.get("STORE_TEXT", ""))).lower()
                                  in ("1", "true", "yes"))
    app.register_error_handler(OperationalError, _unavailable)
    app.register_error_handler(InterfaceError, _unavailable)


_UNAVAILABLE = "The ledger's database is unreachable; the stateless endpoints still work."


def _unavailable(error):
    return problem_response(503, _UNAVAILABLE, headers={"Retry-After": "5"})


def _not_found(func):
    return blp.alt_response(404, schema=ProblemSchema, content_type=PROBLEM_JSON,
                            description="No such article or ledger pledge")(func)


def ledger() -> Ledger:
    return current_app.extensions[_KEY]


def _num(text: str):
    from decimal import Decimal
    return Decimal(text)


def pledge_dicts(session, pledges) -> list[dict]:
    ids = [p.id for p in pledges]
    sources: dict[int, list] = {i: [] for i in ids}
    if ids:
        rows = session.execute(select(Mention, Article).join(Article).where(Mention.pledge_id.in_(ids))
                               .order_by(Article.published_at, Mention.id)).all()
        for m, a in rows:
            sources[m.pledge_id].append({
                "article_id": a.id, "url": a.url,
                "published_at": a.published_at.isoformat() if a.published_at else None,
                "evidence": m.evidence, "status": m.status, "amount_text": m.amount_text})
    return [{
        "id": p.id, "donor": {"code": p.donor_code, "name": p.donor_name},
        "recipient": {"code": p.recipient_code, "name": p.recipient_name or p.recipient_code} if p.recipient_code else None,
        "amount": {"value": _num(p.value), "currency": p.currency,
                   "equivalent": {"value": _num(p.equivalent_value), "currency": p.equivalent_currency}
                   if p.equivalent_currency else None},
        "category": p.category, "instrument": p.instrument,
        "date": p.date.isoformat() if p.date else None, "status": p.status,
        "known_from_reference_only": p.known_from_reference_only, "conflicts": p.conflicts or {},
        "sources": sources[p.id]} for p in pledges]


def _article_dict(a: Article) -> dict:
    return {"id": a.id, "url": a.url, "published_at": a.published_at.isoformat() if a.published_at else None,
            "content_sha256": a.content_sha256, "source": a.source, "external_id": a.external_id,
            "revision": a.revision, "text_length": a.text_length}


def _ingest(body: dict) -> tuple[dict, bool]:
    """Ingest one validated article: (the POST /v1/articles answer, whether it was new)."""
    article, created, pledges = store.ingest_article(ledger(), body["text"], body["published_at"], body["url"] or None,
                                                     body["source"], body["external_id"])
    with ledger().session() as session:
        fresh = [session.get(Pledge, p.id) for p in pledges]
        answer = {"article": _article_dict(article), "pledges": pledge_dicts(session, [p for p in fresh if p])}
    return answer, created


@blp.route("/articles", methods=["POST"])
@blp.arguments(ArticleRequestSchema)
@blp.response(201, ArticleResponseSchema)
@blp.alt_response(200, schema=ArticleResponseSchema, description="Already known: the same url and text, or the same text")
@blp.problems(400, 401, 413, 415, 500, 503)
def add_article(body):
    """Add an article to the ledger

    Extracts its pledges and links each to a ledger pledge (a new one, or the same pledge
    reported before). The same text again answers 200 with the article already stored.
    """
    problems = text_too_long(body["text"], "/text")
    if problems:
        abort(422, errors=problems)
    answer, created = _ingest(body)
    return answer, 201 if created else 200


def _batch_article(outcome: ItemOutcome) -> dict:
    pointer = f"/articles/{outcome.index}"
    failed = {"index": outcome.index, "ok": False}
    if outcome.errors is not None:
        return {**failed, "status": 422, "error": problem(422, errors=field_problems(outcome.errors, pointer))}
    too_long = text_too_long(outcome.data["text"], f"{pointer}/text")
    if too_long:
        return {**failed, "status": 422, "error": problem(422, errors=too_long)}
    try:
        answer, created = _ingest(outcome.data)
    except (OperationalError, InterfaceError):
        return {**failed, "status": 503, "error": problem(503, _UNAVAILABLE)}
    except Exception:  # one article's failure must not cost the others theirs (each is its own transaction)
        log.exception("ledger ingest failed on batch article %s", outcome.index)
        return {**failed, "status": 500, "error": problem(500)}
    return {"index": outcome.index, "ok": True, "status": 201 if created else 200, "result": answer}


@blp.route("/articles/batch", methods=["POST"])
@blp.arguments(ArticleBatchRequestSchema)
@blp.response(200, ArticleBatchResponseSchema)
@blp.problems(400, 401, 413, 415, 500, 503)
def add_articles(body):
    """Add several articles to the ledger, each in its own transaction

    Each article gets its own result (what POST /v1/articles answers, with its status) or its
    own problem, in request order; an article that fails leaves the others ingested. The whole
    request is refused (422) only when `articles` itself is missing, empty or longer than
    MAX_BATCH_DOCUMENTS (default 100).
    """
    outcomes = body["articles"]
    refuse_oversized_batch(len(outcomes), "/articles", "articles")
    started = time.perf_counter()
    results = [_batch_article(outcome) for outcome in outcomes]
    ok = [item for item in results if item["ok"]]
    created = sum(item["status"] == 201 for item in ok)
    return {"results": results, "meta": {
        "article_count": len(results), "created_count": created, "known_count": len(ok) - created,
        "error_count": len(results) - len(ok), "elapsed_ms": round((time.perf_counter() - started) * 1000, 3)}}


@blp.route("/articles/<int:article_id>", methods=["DELETE"])
@blp.response(204)
@blp.problems(401, 500, 503)
@_not_found
def delete_article(article_id):
    """Retract an article: its mentions go, and a pledge left with no source goes too"""
    if not store.delete_article(ledger(), article_id):
        abort(404, message="No article with this id.")
    return None


def _pledge_filters(query: dict) -> dict:
    """The GET /v1/pledges query as query.filtered reads it (the cursor as the id to start after)."""
    filters = dict(query)
    if query.get("cursor"):
        try:
            filters["after"] = int(query["cursor"])
        except ValueError:
            abort(422, errors=[{"pointer": "/cursor", "detail": "Not a cursor this service gave."}])
    return filters


@blp.route("/pledges", methods=["GET"])
@blp.arguments(PledgeQuerySchema, location="query")
@blp.response(200, PledgePageSchema)
@blp.doc(responses={200: {"content": {CSV: {
    "schema": {"type": "string", "description": "RFC 4180 CSV with a header row"},
    "example": CSV_EXAMPLE}}}})
@blp.problems(401, 500, 503)
def list_pledges(query):
    """List ledger pledges, filtered, by id, cursor-paginated; or export them as CSV

    With `Accept: text/csv` the answer is every pledge matching the filters (after `cursor`
    when given; `limit` does not apply), one row each, in id order: id, donor_code,
    donor_name, recipient_code, amount (exact decimal), currency, category, instrument, date,
    status, n_sources, first_source_url, evidence (the earliest source's sentence). A text cell
    that a spreadsheet would run as a formula (starting with = + - @) gets a leading '.
    """
    filters = _pledge_filters(query)
    if request.accept_mimetypes.best_match(["application/json", CSV]) == CSV:
        chunks = queries.csv_export(ledger(), filters)
        first = next(chunks)  # an unreachable database is a 503 here, before the answer starts
        return Response(stream_with_context(itertools.chain([first], chunks)), mimetype=CSV,
                        headers={"Content-Disposition": 'attachment; filename="pledges.csv"'})
    with ledger().session() as session:
        rows, more = queries.page(session, filters, query["limit"])
        return {"items": pledge_dicts(session, rows), "next_cursor": str(rows[-1].id) if more else None}


@blp.route("/pledges/<int:pledge_id>", methods=["GET"])
@blp.response(200, LedgerPledgeSchema)
@blp.problems(401, 500, 503)
@_not_found
def get_pledge(pledge_id):
    """One ledger pledge with all its sources"""
    with ledger().session() as session:
        pledge = session.get(Pledge, pledge_id)
        if pledge is None:
            abort(404, message="No ledger pledge with this id.")
        return pledge_dicts(session, [pledge])[0]


@blp.route("/donors/<string:code>/summary", methods=["GET"])
@blp.response(200, DonorSummarySchema)
@blp.alt_response(404, schema=ProblemSchema, content_type=PROBLEM_JSON,
                  description="The ledger has no pledge and no running total of this donor")
@blp.problems(401, 500, 503)
def donor_summary(code):
    """A donor's ledger: sums per currency, in USD/EUR with FX_RATES_FILE, and its running totals

    Adds the donor's ledger pledges (status new or previously_announced) per currency; with
    FX_RATES_FILE each pledge is also converted at the rate of its own date (USD/EUR sums are
    null unless every pledge could be converted). Running totals the articles state ("bringing
    its total to ...") are listed as a series, never added. `code` is the donor's code as in
    `donor.code` (AUS, EU, ...).
    """
    rates = fx.rates_for(current_app.config.get("FX_RATES_FILE"))
    with ledger().session() as session:
        summary = queries.donor_summary(session, code, rates)
    if summary is None:
        abort(404, message="The ledger has no pledge and no running total of this donor.")
    return summary
