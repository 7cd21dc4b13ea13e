"""POST /v1/extract and POST /v1/extract/batch: validate, call the engine, shape the answer."""
from __future__ import annotations

import logging
import time

from flask import current_app, request
from flask_smorest import abort

from .. import fx, serialize, telemetry
from ..budget import BudgetExceeded
from . import examples, media
from .base import Blueprint
from .errors import field_problems, problem
from .limits import budget_problem, within_budget
from .schemas import (BatchDocumentSchema, BatchItemSchema, BatchRequestSchema, BatchResponseSchema,
                      ExtractRequestSchema, ExtractResponseSchema, ItemOutcome)

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
@blp.arguments(ExtractRequestSchema(exclude=("text",)), location="query")
@blp.response(200, ExtractResponseSchema, example=examples.EXTRACT_RESPONSE)
@blp.problems(400, 401, 413, 415, 500, 503)
@blp.takes_text(example=examples.SEED_PASSAGE,
                description="The text itself (UTF-8 unless the charset parameter names another "
                            "encoding); published_at and source_url as query parameters")
def extract(body, _query):
    """Extract the pledges in one text

    Every pledge names its donor, recipient, exact amount and currency, category, date,
    status and the evidence it rests on; totals add each donor's pledges per currency.

    The body is JSON, or the text itself as `text/plain` with `published_at` and `source_url`
    as query parameters (`POST /v1/extract?published_at=2024-06-11`). The query parameters are
    validated on every request but read only with a text/plain body; with a JSON body they are
    ignored and named in `meta.warnings`.
    """
    problems = text_too_long(body["text"], media.text_pointer())
    if problems:
        abort(422, errors=problems)
    answer = extraction_answer(body["text"], body["published_at"], body["source_url"])
    if media.is_text_request():  # the options are query parameters; the text is the body
        return _name_unknown_members(answer, dict(request.args), _EXTRACT_FIELDS - {"text"}, "?")
    answer = _name_unknown_members(answer, request.get_json(silent=True), _EXTRACT_FIELDS, "")
    return _name_unknown_members(answer, dict(request.args), frozenset(), "?",
                                 "a query parameter this endpoint reads with a JSON body (send it as a member)")


def _batch_item(outcome: ItemOutcome) -> dict:
    """One document's result; from an NDJSON request, with the line it came from."""
    if media.is_ndjson_request():
        return {"line": media.ndjson_lines()[outcome.index], **_document_result(outcome, "")}
    return _document_result(outcome, f"/documents/{outcome.index}")


def _document_result(outcome: ItemOutcome, pointer: str) -> dict:
    if outcome.errors is not None:
        return _failed(outcome.raw_id, outcome.status, outcome.detail, errors=field_problems(outcome.errors, pointer))
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
    if media.is_ndjson_request():
        return media.ndjson_records()
    body = request.get_json(silent=True)
    documents = body.get("documents") if isinstance(body, dict) else None
    return documents if isinstance(documents, list) else []


def _name_unknown_members(answer: dict, raw, known: frozenset, pointer: str, what: str = "") -> dict:
    """Members the request schema does not know are ignored (callers may send their own
    metadata), but never silently: meta.warnings names them ("publishedAt" is no published_at).
    Each is named as a JSON Pointer under *pointer*; with *pointer* "?", as a query parameter."""
    unknown = sorted(k for k in raw if k not in known) if isinstance(raw, dict) else []
    if unknown:
        what = what or ("a query parameter this endpoint reads" if pointer == "?" else "a member this endpoint reads")
        names = ", ".join(f"?{k}" if pointer == "?" else f"{pointer}/{k}" for k in unknown)
        answer["meta"]["warnings"] = [*answer["meta"]["warnings"], {
            "code": "unknown_member", "detail": f"Ignored, not {what}: {names}."}]
    return answer


def _failed(doc_id, status: int, detail=None, **kwargs) -> dict:
    error = problem(status, detail, **kwargs)
    telemetry.record_rejected_document(error)
    return {"id": doc_id, "ok": False, "error": error}


@blp.route("/extract/batch", methods=["POST"])
@blp.arguments(BatchRequestSchema, example=examples.BATCH_REQUEST)
@blp.response(200, BatchResponseSchema, example=examples.BATCH_RESPONSE)
@blp.problems(400, 401, 413, 415, 500, 503)
@blp.takes_ndjson(BatchDocumentSchema, BatchItemSchema, example=examples.BATCH_NDJSON_REQUEST,
                  response_example=examples.BATCH_NDJSON_RESPONSE)
def extract_batch(body):
    """Extract the pledges in several texts

    Each document gets its own result or its own error (problem+json), in request order;
    nothing is dropped. The whole request is refused (422) only when `documents` itself is
    missing, empty or longer than MAX_BATCH_DOCUMENTS.

    NDJSON both ways: with `Content-Type: application/x-ndjson` the body is one document per
    line (a line that is not a JSON object gets its own problem as its result, and each result
    names its `line`); with `Accept: application/x-ndjson` the answer is one result per line,
    each written as soon as it is done, in request order, and no `meta`.
    """
    outcomes = body["documents"]
    refuse_oversized_batch(len(outcomes), "" if media.is_ndjson_request() else "/documents", "documents")
    if media.wants_ndjson():
        shape = BatchItemSchema()
        return media.ndjson_response(shape.dump(_batch_item(outcome)) for outcome in outcomes)
    started = time.perf_counter()
    results = [_batch_item(outcome) for outcome in outcomes]
    ok_count = sum(item["ok"] for item in results)
    return {"results": results, "meta": {
        "document_count": len(results), "ok_count": ok_count, "error_count": len(results) - ok_count,
        "elapsed_ms": round((time.perf_counter() - started) * 1000, 3)}}
