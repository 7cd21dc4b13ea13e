"""The pledge ledger's figures (issue 12): ingest throughput on SQLite, and the latency of a
filtered, paginated GET /v1/pledges over a ledger of 100,000 pledges.

Ingest: distinct articles (the project's passages, renumbered per copy so no two texts are the
same) through service.ledger.ingest.ingest_doc, the code `pledges ingest` runs: engine outside
the transaction, one transaction per article, into a fresh SQLite file. Articles per second,
engine included.

Query: a fresh database filled directly through the models (Core bulk inserts: one article,
one mention and one pledge per row, spread over donors, recipients, categories and three years
of dates), then GET /v1/pledges?donor=&category=&limit=50 through the Flask test client
(in-process: the app, SQLAlchemy and the database, no HTTP server), following next_cursor for
a few pages. PostgreSQL too when BENCH_POSTGRES_URL names an empty scratch database (its tables
are dropped and recreated; VACUUM ANALYZE after the load, as autovacuum would run it).
"""
from __future__ import annotations

import os
import random
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from . import corpus
from .stats import percentile, summarize

DONORS = [f"D{i:02d}" for i in range(40)]
RECIPIENTS = [f"R{i:02d}" for i in range(30)]
CATEGORIES = ("military", "humanitarian", "financial", "development", "unspecified")
CURRENCIES = ("USD", "EUR", "GBP", "JPY", "AUD")


@dataclass(frozen=True)
class LedgerBudget:
    ingest_articles: int = 600
    pledges: int = 100_000
    queries: int = 300          # query sequences (each up to pages_per_query pages)
    pages_per_query: int = 3
    page_size: int = 50


FULL = LedgerBudget()
QUICK = LedgerBudget(ingest_articles=12, pledges=2_000, queries=10)


def _articles(n: int) -> list[dict]:
    texts = corpus.project_texts()
    out = []
    for i in range(n):
        copy, text = divmod(i, len(texts))
        body = texts[text] if copy == 0 else corpus._renumbered(texts[text], copy)
        out.append({"text": f"{body}\n\n(Bench article {i}.)", "published_at": date(2022, 3, 1) + timedelta(days=i % 90),
                    "url": f"https://bench.test/{i}", "source": "bench", "external_id": str(i)})
    return out


def ingest_throughput(n: int, say) -> dict:
    from service.ledger.db import Ledger
    from service.ledger.ingest import ingest_doc
    articles = _articles(n)
    with tempfile.TemporaryDirectory(prefix="ledger-bench-") as tmp:
        ledger = Ledger(f"sqlite:///{Path(tmp) / 'ledger.db'}")
        ledger.engine  # migrate first: not part of the figure
        ingest_doc(ledger, {**articles[0], "text": "Warm-up: Japan pledged $1 million.", "url": None})
        statuses, seconds = [], []
        started = time.perf_counter()
        for doc in articles:
            t0 = time.perf_counter()
            statuses.append(ingest_doc(ledger, doc)["status"])
            seconds.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - started
        ledger.dispose()
    rate = n / elapsed
    say(f"  ledger ingest: {n} articles in {elapsed:.2f} s, {rate:.1f} articles/s on SQLite")
    return {"articles": n, "seconds": elapsed, "articles_per_s": rate,
            "created": statuses.count("created"), "ms_per_article": summarize([s * 1000 for s in seconds])}


def fill(ledger, n: int, seed: int = 12) -> None:
    """*n* ledger pledges, each with one article and one mention, inserted directly."""
    from sqlalchemy import insert

    from service.ledger.models import Article, Mention, Pledge
    rnd = random.Random(seed)
    chunk = 10_000
    with ledger.session() as session, session.begin():
        for start in range(0, n, chunk):
            ids = range(start + 1, min(n, start + chunk) + 1)
            articles, pledges, mentions = [], [], []
            for i in ids:
                donor, recipient = rnd.choice(DONORS), rnd.choice(RECIPIENTS)
                currency, value = rnd.choice(CURRENCIES), str(rnd.randrange(1, 5000) * 100_000)
                day = date(2022, 1, 1) + timedelta(days=rnd.randrange(1100))
                category = rnd.choice(CATEGORIES)
                evidence = f"{donor} pledged {value} {currency} to {recipient}."
                articles.append({"id": i, "url": f"https://bench.test/{i}", "content_sha256": f"{i:064x}",
                                 "published_at": day, "revision": 1, "text_length": 200})
                pledges.append({"id": i, "dedup_key": f"{donor}|{recipient}|{currency}|{value}", "dedup_slot": i,
                                "donor_code": donor, "donor_name": f"Donor {donor}", "recipient_code": recipient,
                                "recipient_name": f"Recipient {recipient}", "currency": currency, "value": value,
                                "category": category, "instrument": "grant", "date": day, "status": "new",
                                "known_from_reference_only": False, "source_count": 1, "conflicts": {}})
                mentions.append({"id": i, "article_id": i, "pledge_id": i, "donor_code": donor,
                                 "donor_name": f"Donor {donor}", "recipient_code": recipient, "currency": currency,
                                 "value": value, "amount_text": f"{value} {currency}", "category": category,
                                 "instrument": "grant", "date": day, "status": "new", "evidence": evidence,
                                 "evidence_end": len(evidence), "confidence": 0.9})
            session.execute(insert(Article), articles)
            session.execute(insert(Pledge), pledges)
            session.execute(insert(Mention), mentions)


def query_latency(url: str, budget: LedgerBudget, say, label: str) -> dict:
    from service import create_app
    from service.ledger import db
    engine = db.make_engine(url)
    if engine.dialect.name == "postgresql":
        db.downgrade(engine, "base")
    engine.dispose()
    ledger = db.Ledger(url)
    ledger.engine
    t0 = time.perf_counter()
    fill(ledger, budget.pledges)
    fill_s = time.perf_counter() - t0
    if ledger.engine.dialect.name == "postgresql":
        # what autovacuum does soon after a bulk load (statistics, visibility map, hint bits), so
        # the figure is the ledger's steady state rather than the minute after a load
        with ledger.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    ledger.dispose()
    say(f"  ledger query ({label}): {budget.pledges} pledges inserted in {fill_s:.1f} s")
    client = create_app({"TESTING": True, "WARM_UP": False, "DATABASE_URL": url, "LOG_LEVEL": "warning"}).test_client()
    rnd = random.Random(7)
    samples, items = [], 0
    for _ in range(5):  # warm-up: connections, statement caches
        client.get(f"/v1/pledges?donor={DONORS[0]}&limit={budget.page_size}")
    for _ in range(budget.queries):
        path = (f"/v1/pledges?donor={rnd.choice(DONORS)}&category={rnd.choice(CATEGORIES)}"
                f"&limit={budget.page_size}")
        cursor = None
        for _ in range(budget.pages_per_query):
            start = time.perf_counter()
            response = client.get(path + (f"&cursor={cursor}" if cursor else ""))
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.get_data(as_text=True)[:300]
            body = response.get_json()
            items += len(body["items"])
            cursor = body["next_cursor"]
            if not cursor:
                break
    client.application.extensions["pledges.ledger"].dispose()
    ordered = sorted(samples)
    result = {"database": label, "pledges": budget.pledges, "fill_s": fill_s, "requests": len(samples),
              "items_per_page": items / len(samples), "p50_ms": percentile(ordered, 50),
              "p95_ms": percentile(ordered, 95), "p99_ms": percentile(ordered, 99), "max_ms": ordered[-1]}
    say(f"  ledger query ({label}): {len(samples)} requests, p50 {result['p50_ms']:.1f} ms, "
        f"p99 {result['p99_ms']:.1f} ms")
    return result


def run(budget: LedgerBudget, say) -> dict:
    say(f"ledger: ingest {budget.ingest_articles} articles (SQLite); GET /v1/pledges at {budget.pledges} pledges")
    out = {"ingest": ingest_throughput(budget.ingest_articles, say)}
    with tempfile.TemporaryDirectory(prefix="ledger-bench-") as tmp:
        out["query"] = {"sqlite": query_latency(f"sqlite:///{Path(tmp) / 'ledger.db'}", budget, say, "SQLite")}
    postgres = os.environ.get("BENCH_POSTGRES_URL")
    if postgres:
        out["query"]["postgresql"] = query_latency(postgres, budget, say, "PostgreSQL")
    else:
        out["query"]["postgresql_skipped"] = "BENCH_POSTGRES_URL not set"
    return out
