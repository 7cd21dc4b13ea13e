"""Faults and races for real: two gunicorn workers ingesting articles with the same pledge at
once make one ledger pledge; a process killed in the middle of an ingest leaves no half article."""
import json
import os
import subprocess
import sys
import threading
import urllib.request

from sqlalchemy import func, select

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
