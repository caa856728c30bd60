"""Engine and session factory.

SQLite (the default) gets WAL mode and a busy timeout so the scheduler and the HTTP server can
share one file; PostgreSQL uses the same code through psycopg 3.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

SQLITE_BUSY_TIMEOUT_MS = 5000

# The session of the enclosing `Database.transaction()` in this thread, if any, per engine.
NESTED_FAILURE = "nested_failure"  # session.info key: a session() block inside the transaction raised
_ambient: ContextVar[dict[int, Session] | None] = ContextVar("ambient_session", default=None)


class DatabaseUnavailable(Exception):
    """The configured database cannot be reached or opened; the message names where it is (host and
    port, or the SQLite file) but never the password, so it is safe to print and log."""


def describe_url(database_url: str) -> str:
    """Where a database URL points, for people: `PostgreSQL at db.example.org:5432 (database x)`."""
    url = make_url(normalise_url(database_url))
    if url.get_backend_name() == "sqlite":
        return f"the SQLite file {url.database or ':memory:'}"
    where = f"{url.host or 'localhost'}:{url.port or 5432}"
    return f"PostgreSQL at {where}" + (f" (database {url.database})" if url.database else "")


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain `postgresql://` URLs (SQLAlchemy would pick psycopg2)."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(database_url: str) -> Engine:
    """Create an engine for `database_url`, creating the SQLite file's folder if needed."""
    url = make_url(normalise_url(database_url))
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        )
        event.listen(engine, "connect", _enable_sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


class Database:
    """Owns the engine; hands out transactional sessions (one unit of work each)."""

    def __init__(self, database_url: str) -> None:
        self.url = normalise_url(database_url)
        self.engine = make_engine(database_url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error: nothing half-written.

        Inside :meth:`transaction` it is that transaction's session instead, and commits nothing
        itself: the enclosing transaction decides. It cannot roll back just its own part then, so
        an error inside it marks the transaction (`NESTED_FAILURE` in `session.info`)."""
        outer = (_ambient.get() or {}).get(id(self))
        if outer is not None:
            try:
                yield outer
            except BaseException:
                outer.info[NESTED_FAILURE] = True
                raise
            return
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction around everything `session()` is asked for inside it (in this thread),
        so several services' writes and a record of having done them commit together or not at
        all. The caller may roll it back (`session.rollback()`) to keep nothing."""
        if (_ambient.get() or {}).get(id(self)) is not None:
            raise RuntimeError("Database.transaction() does not nest")
        with Session(self.engine, expire_on_commit=False) as session:
            token = _ambient.set({**(_ambient.get() or {}), id(self): session})
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                _ambient.reset(token)

    def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            return True
        except Exception:
            return False

    def dispose(self) -> None:
        self.engine.dispose()
