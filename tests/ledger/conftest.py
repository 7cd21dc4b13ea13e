"""The ledger on each database: SQLite in a temporary file, and PostgreSQL when TEST_POSTGRES_URL
names one (.ci/run starts a local server and sets it)."""
import os

import pytest

from service.ledger import db


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'ledger.db'}"
    else:
        url = os.environ.get("TEST_POSTGRES_URL")
        if not url:
            pytest.skip("no PostgreSQL: set TEST_POSTGRES_URL (.ci/run starts a local server)")
        engine = db.make_engine(url)
        db.downgrade(engine, "base")
        engine.dispose()
    ledger = db.Ledger(url)
    yield ledger
    ledger.dispose()
