"""POST /v1/extract and POST /v1/extract/batch: validate, call the engine, shape the answer."""
from __future__ import annotations

import logging
import time

from flask import current_app, request
from flask_smorest import abort

from .. import fx, serialize, telemetry
from ..budget import BudgetExceeded
from . import examples
from .base import Blueprint
from .errors import field_problems, problem
from .limits import budget_problem, within_budget
from .schemas import (BatchDocumentSchema, BatchRequestSchema, BatchResponseSchema, ExtractRequestSchema,
                      ExtractResponseSchema, ItemOutcome)

log = logging.getLogger("service.api")

blp = Blueprint("extract", __name__, url_prefix="/v1",
                description="Read aid pledges out of news text")


def extraction_answer(text: str, published_at, source_url) -> dict:
    """serialize.run_extraction's payload, plus USD/EUR equivalents when FX_RATES_FILE is set."""
    payload = within_budget(serialize.run_extraction, text, published_at, source_url)
    telemetry.record_extraction(payload["meta"])
    return fx.enrich_payload(payload, fx.rates_for(current_app.config.get("FX_RATES_FILE")))


def text_too_long(text: str, pointer: str) -> list[dict]:
    """Field problems for a text over MAX_TEXT_CHARS (empty when it fits)."""
    limit = current_app.config["MAX_TEXT_CHARS"]
    if len(text) <= limit:
        return []
    return [{"pointer": pointer, "detail": f"Longer than MAX_TEXT_CHARS ({limit}) characters: {len(text)}."}]


def refuse_oversized_batch(count: int, pointer: str, noun: str) -> None:
    """422 for a batch of more than MAX_BATCH_DOCUMENTS items (the list at *pointer*)."""
    limit = current_app.config["MAX_BATCH_DOCUMENTS"]
    if count > limit:
        abort(422, errors=[{"pointer": pointer, "detail": f"More than MAX_BATCH_DOCUMENTS ({limit}) {noun}: {count}."}])


@blp.route("/extract", methods=["POST"])
@blp.arguments(ExtractRequestSchema, example=examples.EXTRACT_REQUEST)
@blp.response(200, ExtractResponseSchema, example=examples.EXTRACT_RESPONSE)
@blp.problems(400, 401, 413, 415, 500, 503)
def extract(body):
    """Extract the pledges in one text

    Every pledge names its donor, recipient, exact amount and currency, category, date,
    status and the evidence it rests on; totals add each donor's pledges per currency.
    """
    problems = text_too_long(body["text"], "/text")
    if problems:
        abort(422, errors=problems)
    answer = extraction_answer(body["text"], body["published_at"], body["source_url"])
    return _name_unknown_members(answer, request.get_json(silent=True), _EXTRACT_FIELDS, "")


def _batch_item(outcome: ItemOutcome) -> dict:
    pointer = f"/documents/{outcome.index}"
    if outcome.errors is not None:
        return _failed(outcome.raw_id, 422, errors=field_problems(outcome.errors, pointer))
    doc = outcome.data
    too_long = text_too_long(doc["text"], f"{pointer}/text")
    if too_long:
        return _failed(doc["id"], 422, errors=too_long)
    try:
        result = extraction_answer(doc["text"], doc["published_at"], doc["source_url"])
    except BudgetExceeded:  # this and every later document get 503: the request's time is up
        return {"id": doc["id"], "ok": False, "error": budget_problem()}
    except Exception:  # one document's failure must not cost the others their answers
        log.exception("engine failed on batch document %s (id=%r)", outcome.index, doc["id"])
        return _failed(doc["id"], 500)
    raw = _raw_documents()
    raw_doc = raw[outcome.index] if outcome.index < len(raw) else None
    return {"id": doc["id"], "ok": True,
            "result": _name_unknown_members(result, raw_doc, _BATCH_DOCUMENT_FIELDS, pointer)}


_EXTRACT_FIELDS = frozenset(f.data_key or name for name, f in ExtractRequestSchema().fields.items())
_BATCH_DOCUMENT_FIELDS = frozenset(f.data_key or name for name, f in BatchDocumentSchema().fields.items())


def _raw_documents() -> list:
    body = request.get_json(silent=True)
    documents = body.get("documents") if isinstance(body, dict) else None
    return documents if isinstance(documents, list) else []


def _name_unknown_members(answer: dict, raw, known: frozenset, pointer: str) -> dict:
    """Members the request schema does not know are ignored (callers may send their own
    metadata), but never silently: meta.warnings names them ("publishedAt" is no published_at)."""
    unknown = sorted(k for k in raw if k not in known) if isinstance(raw, dict) else []
    if unknown:
        names = ", ".join(f"{pointer}/{k}" for k in unknown)
        answer["meta"]["warnings"] = [*answer["meta"]["warnings"], {
            "code": "unknown_member", "detail": f"Ignored, not a member this endpoint reads: {names}."}]
    return answer


def _failed(doc_id, status: int, **kwargs) -> dict:
    error = problem(status, **kwargs)
    telemetry.record_rejected_document(error)
    return {"id": doc_id, "ok": False, "error": error}


@blp.route("/extract/batch", methods=["POST"])
@blp.arguments(BatchRequestSchema, example=examples.BATCH_REQUEST)
@blp.response(200, BatchResponseSchema, example=examples.BATCH_RESPONSE)
@blp.problems(400, 401, 413, 415, 500, 503)
def extract_batch(body):
    """Extract the pledges in several texts

    Each document gets its own result or its own error (problem+json), in request order;
    nothing is dropped. The whole request is refused (422) only when `documents` itself is
    missing, empty or longer than MAX_BATCH_DOCUMENTS.
    """
    outcomes = body["documents"]
    refuse_oversized_batch(len(outcomes), "/documents", "documents")
    started = time.perf_counter()
    results = [_batch_item(outcome) for outcome in outcomes]
    ok_count = sum(item["ok"] for item in results)
    return {"results": results, "meta": {
        "document_count": len(results), "ok_count": ok_count, "error_count": len(results) - ok_count,
        "elapsed_ms": round((time.perf_counter() - started) * 1000, 3)}}
