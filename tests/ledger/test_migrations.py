"""The ledger's Alembic migrations run on an empty database and back, on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import inspect

from service.ledger import db

TABLES = {"articles", "pledges", "mentions", "donor_totals"}



@pytest.fixture
def engine(database_url):
    engine = db.make_engine(database_url)
    postgres = not database_url.startswith("sqlite")
    if postgres:
        db.downgrade(engine, "base")
    yield engine
    if postgres:
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
