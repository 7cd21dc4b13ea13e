"""The ledger on each database: SQLite in a temporary file, and PostgreSQL when TEST_POSTGRES_URL
names one (.ci/run starts a local server and sets it)."""
import os

import pytest

from service.ledger import db


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A fresh SQLite file, or the test PostgreSQL (skipped, saying so, when there is none)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        pytest.skip("no PostgreSQL: set TEST_POSTGRES_URL (.ci/run starts a local server)")
    return url


@pytest.fixture
def ledger(database_url):
    if not database_url.startswith("sqlite"):
        engine = db.make_engine(database_url)
        db.downgrade(engine, "base")
        engine.dispose()
    ledger = db.Ledger(database_url)
    yield ledger
    ledger.dispose()
