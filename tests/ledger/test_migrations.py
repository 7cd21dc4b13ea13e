"""The ledger's Alembic migrations run on an empty database and back, on SQLite and PostgreSQL."""
import os

import pytest
from sqlalchemy import inspect

from service.ledger import db

TABLES = {"articles", "pledges", "mentions", "donor_totals"}



@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'ledger.db'}"
    else:
        url = os.environ.get("TEST_POSTGRES_URL")
        if not url:
            pytest.skip("no PostgreSQL: set TEST_POSTGRES_URL (.ci/run starts a local server)")
    engine = db.make_engine(url)
    db.downgrade(engine, "base") if request.param != "sqlite" else None
    yield engine
    if request.param != "sqlite":
        db.downgrade(engine, "base")
    engine.dispose()


def test_upgrade_creates_tables_and_downgrade_removes_them(engine):
    db.upgrade(engine)
    assert TABLES <= set(inspect(engine).get_table_names())
    assert db.current_revision(engine) == "0001"
    db.upgrade(engine)  # idempotent
    db.downgrade(engine, "base")
    assert not TABLES & set(inspect(engine).get_table_names())


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'l.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_postgres_urls_use_psycopg3():
    assert db.normalise_url("postgresql://u@h/d").startswith("postgresql+psycopg://")
    assert db.normalise_url(None) == db.DEFAULT_URL
