"""Faults and races for real: two gunicorn workers ingesting articles with the same pledge at
once make one ledger pledge; a process killed in the middle of an ingest leaves no half article."""
import json
import os
import subprocess
import sys
import threading
import urllib.request

from sqlalchemy import delete, func, select

from service.ledger.models import Article, Mention, Pledge
from tests.conftest import REPO, start_gunicorn, stop_gunicorn

TEXTS = [f"Australia pledged US$50 million in humanitarian aid to Ukraine on Tuesday, outlet {i} reported."
         for i in range(8)]


def _post(url, body):
    request = urllib.request.Request(url + "/v1/articles", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status


def test_concurrent_ingest_through_two_gunicorn_workers_makes_one_pledge(ledger, tmp_path):
    ledger.engine  # migrate before the workers start
    server = start_gunicorn(tmp_path, DATABASE_URL=ledger.url, WEB_CONCURRENCY="2")
    try:
        statuses, barrier = [], threading.Barrier(len(TEXTS))

        def go(i):
            barrier.wait()
            statuses.append(_post(server.url, {"text": TEXTS[i], "published_at": "2022-03-01",
                                               "url": f"https://outlet{i}.test/a"}))
        threads = [threading.Thread(target=go, args=(i,)) for i in range(len(TEXTS))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        stop_gunicorn(server)
    assert sorted(statuses) == [201] * len(TEXTS)
    with ledger.session() as s:
        assert s.scalar(select(func.count()).select_from(Article)) == len(TEXTS)
        assert s.scalar(select(func.count()).select_from(Pledge)) == 1
        assert s.scalar(select(func.count()).select_from(Mention)) == len(TEXTS)


KILLER = """
import os, signal, sys
from datetime import date
from service.ledger import db, store
ledger = db.Ledger(sys.argv[1])
real_refresh = store.refresh
def refresh_then_die(session, pledge):
    session.flush()  # the article and its mentions are written (not committed) ...
    os.kill(os.getpid(), signal.SIGKILL)  # ... and the worker dies
store.refresh = refresh_then_die
store.ingest_article(ledger, sys.argv[2], date(2022, 3, 1), url="https://killed.test/a")
"""


def test_a_worker_killed_mid_ingest_leaves_no_half_article(ledger):
    ledger.engine
    proc = subprocess.run([sys.executable, "-c", KILLER, ledger.url, TEXTS[0]], cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, timeout=120)
    assert proc.returncode == -9, proc.stderr.decode()
    with ledger.session() as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 0
        assert s.scalar(select(func.count()).select_from(Mention)) == 0
        assert s.scalar(select(func.count()).select_from(Pledge)) == 0


# The same pledge told two ways: as the AUD figure with its US$ conversion, and as the US$ figure
# alone. Their dedup keys differ (AUD|70000000 and USD|50000000), so the unique key alone cannot
# make them collide: ingest serialises the linking of one donor's mentions instead.
CONVERSION_PAIR = (
    "Australia pledged A$70 million (US$50 million) in humanitarian aid to Ukraine on Tuesday.",
    "Australia will send US$50 million in humanitarian aid to Ukraine, the government said on Tuesday.",
)


def _backends_waiting_on_a_lock(engine) -> int:
    # its own short connection: within one transaction pg_stat_activity is a frozen snapshot
    with engine.connect() as connection:
        return connection.exec_driver_sql(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'").scalar()


def test_conversion_pair_ingested_at_once_makes_one_pledge(ledger, tmp_path):
    """Both orders of the AUD/US$ race through two gunicorn workers end as one ledger pledge.
    On PostgreSQL the race is forced: the test holds an EXCLUSIVE lock on pledges (reads still
    pass, writes wait) until both requests are inside their transactions and waiting, so without
    the per-donor lock both would have read an empty ledger and inserted a pledge each. SQLite's
    writers queue on BEGIN IMMEDIATE, so there the requests simply go at once."""
    ledger.engine  # migrate before the workers start
    server = start_gunicorn(tmp_path, DATABASE_URL=ledger.url, WEB_CONCURRENCY="2")
    postgres = not ledger.url.startswith("sqlite")
    try:
        for round_, texts in enumerate((CONVERSION_PAIR, CONVERSION_PAIR[::-1])):
            gate = ledger.engine.connect() if postgres else None
            if gate is not None:
                gate.exec_driver_sql("BEGIN")
                gate.exec_driver_sql("LOCK TABLE pledges IN EXCLUSIVE MODE")
            statuses, errors, barrier = [], [], threading.Barrier(len(texts))

            def go(i):
                barrier.wait()
                try:
                    statuses.append(_post(server.url, {"text": texts[i], "published_at": "2022-03-02",
                                                       "url": f"https://race{round_}-{i}.test/a"}))
                except Exception as err:  # noqa: BLE001 - reported below
                    errors.append(err)
            threads = [threading.Thread(target=go, args=(i,)) for i in range(len(texts))]
            for t in threads:
                t.start()
            if gate is not None:
                try:
                    while _backends_waiting_on_a_lock(ledger.engine) < len(texts):
                        assert all(t.is_alive() for t in threads), (errors, statuses, server.log())
                        threading.Event().wait(0.05)
                finally:
                    gate.exec_driver_sql("ROLLBACK")
                    gate.close()
            for t in threads:
                t.join()
            assert not errors and sorted(statuses) == [201, 201], (errors, statuses)
            with ledger.session() as s:
                pledges = s.scalars(select(Pledge).where(Pledge.donor_code == "AUS")).all()
                assert len(pledges) == 1, [(p.currency, p.value, p.equivalent_currency) for p in pledges]
                assert (pledges[0].currency, pledges[0].value) == ("AUD", "70000000")
                assert (pledges[0].equivalent_currency, pledges[0].equivalent_value) == ("USD", "50000000")
                assert pledges[0].source_count == 2
                s.execute(delete(Article))  # the next round starts from an empty ledger
                s.execute(delete(Pledge))
                s.commit()
    finally:
        stop_gunicorn(server)
