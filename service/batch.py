"""Extraction over a corpus, one record at a time: the function a distributed engine maps.

    import json
    from service.batch import extract_partition

    # Dask (bag of JSON lines)
    import dask.bag as db
    db.read_text("corpus-*.jsonl").map_partitions(extract_partition).map(json.dumps).to_textfiles("out-*.jsonl")

    # Spark (RDD of JSON lines)
    sc.textFile("corpus.jsonl").mapPartitions(extract_partition).map(json.dumps).saveAsTextFile("out")

A record is {"id", "text", "published_at"?, "source_url"?}, as a dict or as one JSON line;
``id`` is a string or an integer. Each record gives one output record, in order, shaped like
an item of POST /v1/extract/batch: {"id", "ok": true, "result": <the /v1/extract answer>} or
{"id", "ok": false, "error": <problem document>}. A bad record never stops the partition.
``pledges batch`` runs the same code on a local process pool.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from marshmallow import ValidationError

from . import fx, serialize
from .api.errors import field_problems, problem
from .api.schemas import BatchDocumentSchema, ExtractResponseSchema

__all__ = ["extract_lines", "extract_partition", "extract_record"]

_RESPONSE = ExtractResponseSchema()


_RECORD = BatchDocumentSchema()     # a corpus record is the API's batch document


def _usable_id(raw: Any) -> str | int | None:
    if isinstance(raw, Mapping):
        value = raw.get("id")
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return value
    return None


def _error(doc_id, status: int, detail: str | None = None, **kwargs) -> dict:
    return {"id": doc_id, "ok": False, "error": problem(status, detail, **kwargs)}


def record_mapping(record: Mapping | str | bytes) -> tuple[Mapping | None, dict | None]:
    """(the record as a mapping, None), or (None, a problem) when it is not UTF-8, not JSON or
    not an object (shared with the ledger's `pledges ingest`)."""
    if isinstance(record, (bytes, bytearray)):
        try:
            record = record.decode("utf-8")
        except UnicodeDecodeError as exc:
            return None, problem(400, f"Not valid UTF-8: {exc.reason} at byte {exc.start}.")
    if isinstance(record, str):
        try:
            record = json.loads(record)
        except json.JSONDecodeError as exc:
            return None, problem(400, f"Not valid JSON: {exc.msg} (column {exc.colno}).")
    if not isinstance(record, Mapping):
        return None, problem(422, errors=[{"pointer": "", "detail": "A record must be a JSON object."}])
    return record, None


def extract_record(record: Mapping | str | bytes, *, rates: fx.RateTable | None = None) -> dict:
    """One corpus record (a mapping or a JSON text) → one output record (JSON-ready dict)."""
    record, error = record_mapping(record)
    if error is not None:
        return {"id": None, "ok": False, "error": error}
    doc_id = _usable_id(record)
    try:
        doc = _RECORD.load(record)
    except ValidationError as err:
        return _error(doc_id, 422, "The record is not valid; see errors.",
                      errors=field_problems(err.normalized_messages()))
    try:
        payload = serialize.run_extraction(doc["text"], doc["published_at"], doc["source_url"])
        result = _RESPONSE.dump(fx.enrich_payload(payload, rates))
    except Exception as exc:  # noqa: BLE001 (one record's failure must not cost the others their results)
        return _error(doc["id"], 500, f"Extraction failed: {type(exc).__name__}: {exc}")
    return {"id": doc["id"], "ok": True, "result": result}


def extract_partition(records: Iterable[Mapping | str | bytes], *,
                      fx_rates_file: str | None = None) -> Iterator[dict]:
    """extract_record over *records*, lazily, in order. FX: *fx_rates_file*, else the
    FX_RATES_FILE environment variable, else no FX fields. Blank text lines are skipped."""
    rates = fx.rates_for(fx_rates_file) if fx_rates_file else fx.rates_from_env()
    for record in records:
        if isinstance(record, (str, bytes, bytearray)) and not record.strip():
            continue
        yield extract_record(record, rates=rates)


def extract_lines(lines: list[tuple[int, bytes]], fx_rates_file: str | None = None) -> list[dict]:
    """A chunk of numbered JSON lines → output records carrying their line number (what
    ``pledges batch`` hands to each worker process)."""
    rates = fx.rates_for(fx_rates_file)
    out = []
    for line_no, raw in lines:
        result = extract_record(raw, rates=rates)
        out.append({"id": result["id"], "line": line_no, **result})
    return out
