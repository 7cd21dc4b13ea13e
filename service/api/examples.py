"""Examples shown in openapi.yaml and Swagger UI, built from a passage of the seed article
(seeds/000_e68e0e074cbc1a52.txt). The response example is what the contract asks for on that
passage (see ../shared/eval/CONVENTIONS.md); offsets are computed, not typed."""
from __future__ import annotations

import json

SEED_PASSAGE = (
    "On Tuesday, Australian Prime Minister Scott Morrison pledged US $50 million to fund lethal "
    "defensive weapons for Ukraine, including missiles and ammunition."
)
SEED_PUBLISHED_AT = "2022-03-01"


def _span(text: str, part: str) -> dict:
    start = text.index(part)
    return {"text": part, "start": start, "end": start + len(part)}


_AUSTRALIA = {"name": "Australia", "code": "AUS", "type": "country"}
_UKRAINE = {"name": "Ukraine", "code": "UKR", "type": "country"}

EXTRACT_REQUEST = {"text": SEED_PASSAGE, "published_at": SEED_PUBLISHED_AT}

EXTRACT_RESPONSE = {
    "pledges": [{
        "donor": _AUSTRALIA,
        "recipient": _UKRAINE,
        "amount": {"value": 50000000, "upper": None, "currency": "USD", "text": "US $50 million",
                   "qualifier": None, "currency_assumed": False},
        "category": "military_lethal",
        "date": "2022-03-01",
        "status": "new",
        "instrument": "unspecified",
        "evidence": [_span(SEED_PASSAGE, SEED_PASSAGE)],
        "confidence": 0.9,
    }],
    "totals": [{"donor": _AUSTRALIA, "currency": "USD", "sum": 50000000, "stated_total": None,
                "pledge_count": 1}],
    "meta": {"engine_version": "0.1.0", "published_at": SEED_PUBLISHED_AT, "source_url": None,
             "text_length": len(SEED_PASSAGE), "pledge_count": 1, "total_count": 1, "elapsed_ms": 1.5, "warnings": []},
}

BATCH_REQUEST = {"documents": [
    {"id": "seed-passage", **EXTRACT_REQUEST},
    {"id": "empty", "text": ""},
]}

BATCH_RESPONSE = {
    "results": [
        {"id": "seed-passage", "ok": True, "result": EXTRACT_RESPONSE},
        {"id": "empty", "ok": False, "error": {
            "type": "about:blank", "title": "Unprocessable Content", "status": 422,
            "detail": "The request body is not valid; see errors.", "instance": "/v1/extract/batch",
            "errors": [{"pointer": "/documents/1/text",
                        "detail": "Must contain at least one non-whitespace character."}]}},
    ],
    "meta": {"document_count": 2, "ok_count": 1, "error_count": 1, "elapsed_ms": 1.7},
}

# The same batch as NDJSON: one document per line in, one result per line out (with its line).
BATCH_NDJSON_REQUEST = "".join(json.dumps(document, ensure_ascii=False) + "\n"
                               for document in BATCH_REQUEST["documents"])
_NDJSON_EMPTY_TEXT = {**BATCH_RESPONSE["results"][1]["error"],
                      "errors": [{"pointer": "/text", "detail": "Must contain at least one non-whitespace character."}]}
BATCH_NDJSON_RESPONSE = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in (
    {"id": "seed-passage", "line": 1, "ok": True, "result": EXTRACT_RESPONSE},
    {"id": "empty", "line": 2, "ok": False, "error": _NDJSON_EMPTY_TEXT}))

AMOUNTS_TEXT = "Japan is approving an additional $100 million (€89 million) in support"
_AMOUNT = _span(AMOUNTS_TEXT, "$100 million")
_EQUIVALENT = _span(AMOUNTS_TEXT, "€89 million")

AMOUNTS_REQUEST = {"text": AMOUNTS_TEXT}

AMOUNTS_RESPONSE = {
    "amounts": [{
        **_AMOUNT, "value": 100000000, "upper": None, "currency": "USD", "currency_assumed": True,
        "qualifier": None,
        "equivalent": {**_EQUIVALENT, "value": 89000000, "upper": None, "currency": "EUR",
                       "currency_assumed": False, "qualifier": None},
    }],
    "meta": {"text_length": len(AMOUNTS_TEXT), "amount_count": 1, "elapsed_ms": 0.2},
}


def _problem(status: int, title: str, detail: str, **extra) -> dict:
    return {"type": "about:blank", "title": title, "status": status, "detail": detail,
            "instance": "/v1/extract", "request_id": "5f0c3c2e9b7d4a51a1e8f1c2d3b4a596", **extra}


PROBLEM_EXAMPLES = {
    400: _problem(400, "Bad Request", "The request body is not valid JSON.",
                  errors=[{"pointer": "", "detail": "Invalid JSON body."}]),
    404: _problem(404, "Not Found", "No such endpoint. The API is described at /openapi.yaml and /docs."),
    405: _problem(405, "Method Not Allowed", "This endpoint does not accept that method; see the Allow header."),
    413: _problem(413, "Content Too Large", "The request body is larger than 1048576 bytes."),
    415: _problem(415, "Unsupported Media Type",
                  "The request body must be application/json or text/plain, named in the Content-Type "
                  "header (this one is application/xml)."),
    422: _problem(422, "Unprocessable Content", "The request body is not valid; see errors.",
                  errors=[{"pointer": "/published_at",
                           "detail": "Not a date (YYYY-MM-DD) or RFC 3339 date-time."}]),
    500: _problem(500, "Internal Server Error",
                  "An unexpected error occurred. Quote the request_id when reporting it."),
    401: _problem(401, "Unauthorized", "This service needs an API key: send Authorization: Bearer <key>."),
    503: _problem(503, "Service Unavailable",
                  "The text took longer than REQUEST_TIME_BUDGET (20.0 s) to read and was abandoned. "
                  "Retry-After is for a busy server; the same text may run out of time again, so send it "
                  "shorter (split it) or send fewer documents."),
}
