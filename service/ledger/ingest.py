"""Backfills: many articles into the ledger, one transaction each, resumable.

    from service.ledger.ingest import ingest_partition

    # Dask (bag of JSON lines), every partition writing to the same PostgreSQL ledger
    import dask.bag as db
    db.read_text("corpus-*.jsonl").map_partitions(ingest_partition, database_url=URL).compute()

    # Spark (RDD of JSON lines)
    sc.textFile("corpus.jsonl").mapPartitions(lambda rows: ingest_partition(rows, database_url=URL)).count()

A record is what POST /v1/articles takes, {"text", "published_at"?, "url"?, "source"?,
"external_id"?}, as a dict or one JSON line; a `pledges batch` corpus record works too
(`source_url` is read as `url`, `id` as `external_id`). An article whose text the ledger
already holds is skipped before the engine runs, so a run that stopped half way is resumed by
starting it again. The engine runs outside the database transaction; only the writing is
inside it. `pledges ingest` runs the same code.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any, Optional

from marshmallow import ValidationError

from ..api.errors import field_problems, problem
from ..api.schemas import ArticleRequestSchema
from ..batch import record_mapping
from . import store
from .db import Ledger

_RECORD = ArticleRequestSchema()
# A `pledges batch` corpus record's names for the same things.
_ALIASES = (("source_url", "url"), ("id", "external_id"))


def load_record(record: Mapping | str | bytes) -> tuple[Optional[dict], Optional[dict]]:
    """(the article as POST /v1/articles loads it, None) or (None, a problem document)."""
    mapping, error = record_mapping(record)
    if error is not None:
        return None, error
    mapping = dict(mapping)
    for alias, name in _ALIASES:
        if mapping.get(name) is None and mapping.get(alias) is not None:
            value = mapping.pop(alias)
            mapping[name] = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    try:
        return _RECORD.load(mapping), None
    except ValidationError as err:
        return None, problem(422, "The record is not valid; see errors.", errors=field_problems(err.normalized_messages()))


def ingest_doc(ledger: Ledger, doc: dict) -> dict:
    """One loaded article into the ledger: {"status": created | revised | known, "article_id",
    "pledges": ids of the ledger pledges its mentions are linked to (empty when known)}."""
    known = store.known_article_id(ledger, doc["text"])
    if known is not None:
        return {"status": "known", "article_id": known, "pledges": []}
    from .. import engine
    extraction = engine.extract_pledges(doc["text"], published_at=doc["published_at"])
    article, created, pledges = store.ingest_article(ledger, doc["text"], doc["published_at"], doc["url"] or None,
                                                     doc["source"], doc["external_id"], extraction=extraction)
    status = "known" if not created else "revised" if article.revision > 1 else "created"
    return {"status": status, "article_id": article.id, "pledges": [p.id for p in pledges if p is not None]}


def ingest_record(ledger: Ledger, record: Mapping | str | bytes) -> dict:
    """One record → its outcome, {"status": ..., "article_id", "pledges"} or {"status": "error",
    "error": <problem>}. A database that cannot be reached raises (nothing after it could be
    written either); any other failure is this record's error."""
    doc, error = load_record(record)
    if error is not None:
        return {"status": "error", "error": error}
    return ingest_loaded(ledger, doc)


def ingest_loaded(ledger: Ledger, doc: dict) -> dict:
    """ingest_doc, with any failure but an unreachable database as this article's error."""
    from sqlalchemy.exc import InterfaceError, OperationalError
    try:
        return ingest_doc(ledger, doc)
    except (OperationalError, InterfaceError):
        raise
    except Exception as exc:  # noqa: BLE001 - one record's failure must not stop the run
        return {"status": "error", "error": problem(500, f"Ingest failed: {type(exc).__name__}")}


def ingest_partition(records: Iterable[Any], *, database_url: Optional[str] = None) -> Iterator[dict]:
    """ingest_record over *records*, lazily, in order, into the ledger at *database_url* (else
    DATABASE_URL, else sqlite:///ledger.db). Blank text lines are skipped."""
    import os
    ledger = Ledger(database_url or os.environ.get("DATABASE_URL"))
    try:
        for record in records:
            if isinstance(record, (str, bytes, bytearray)) and not record.strip():
                continue
            yield ingest_record(ledger, record)
    finally:
        ledger.dispose()


def text_article(text: str, published_at: Optional[date] = None, url: Optional[str] = None,
                 source: Optional[str] = None, external_id: Optional[str] = None) -> dict:
    """A plain text file's article, as load_record would give it."""
    return {"text": text, "published_at": published_at, "url": url, "source": source, "external_id": external_id}
