"""Where the ledger lives: an SQLAlchemy engine from DATABASE_URL, migrated with Alembic.

    DATABASE_URL unset      sqlite:///ledger.db (a file in the working directory; WAL, foreign keys on)
    postgresql://...        PostgreSQL through psycopg 3 (postgresql+psycopg:// is implied)

Nothing connects until the ledger is first used, so the stateless endpoints never need the
database and the app starts even when it is unreachable (ledger endpoints then answer 503).
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Optional

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///ledger.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_ADVISORY_LOCK = 740_312_12  # any fixed number: serialises concurrent `upgrade` runs on PostgreSQL

log = logging.getLogger("service.ledger")


def normalise_url(url: Optional[str]) -> str:
    """postgres:// and postgresql:// mean psycopg 3 (SQLAlchemy would pick psycopg2)."""
    url = (url or "").strip() or DEFAULT_URL
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: Optional[str]) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below)
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):
            # IMMEDIATE: a writer takes the write lock when it starts, so two workers never both
            # read and then both try to upgrade to writing (which SQLite would refuse at once).
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5,
                         connect_args={"connect_timeout": 5})


def _alembic_config(connection=None):
    from alembic.config import Config
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """alembic upgrade head on *engine*; safe when several processes start at once."""
    from alembic import command
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_LOCK})
        command.upgrade(_alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command
    with engine.begin() as connection:
        command.downgrade(_alembic_config(connection), revision)


def current_revision(engine: Engine) -> Optional[str]:
    from alembic.runtime.migration import MigrationContext
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


class Ledger:
    """One database: its engine and session factory, migrated on first use when asked to."""

    def __init__(self, url: Optional[str] = None, *, auto_migrate: bool = True, store_text: bool = False):
        self.url = normalise_url(url)
        self.auto_migrate = auto_migrate
        self.store_text = store_text
        self._engine: Optional[Engine] = None
        self._sessions: Optional[sessionmaker] = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    engine = make_engine(self.url)
                    try:
                        if self.auto_migrate:
                            upgrade(engine)
                    except Exception:
                        engine.dispose()  # unreachable now: try again on the next request
                        raise
                    self._sessions = sessionmaker(engine, expire_on_commit=False)
                    self._engine = engine
        return self._engine

    def session(self) -> Session:
        self.engine  # noqa: B018 - connects (and migrates) on first use
        return self._sessions()

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
