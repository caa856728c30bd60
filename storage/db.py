"""Engine and session factory.

SQLite (the default) gets WAL mode and a busy timeout so the scheduler and the HTTP server can
share one file; PostgreSQL uses the same code through psycopg 3. SQLite lets one connection
write at a time: inside one process its write transactions queue at a :class:`WriteGate`
instead of in SQLite's busy handler (see there).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import closing, contextmanager, nullcontext
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlmodel import Session, create_engine

from storage import reference_version

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 5000
SQLITE_AUTOCHECKPOINT_PAGES = 1000  # SQLite's default: a commit checkpoints once the log is this long
CHECKPOINT_DEFERRED = "broker_checkpoint_deferred"  # connection info: autocheckpoint is off until checkin

# The unit of work open in this thread or task, if any: (its Database, its Session).
_open_unit: ContextVar[tuple[Database, Session] | None] = ContextVar("open_unit_of_work", default=None)


class WriteGate:
    """The queue for SQLite's one writer among this process's threads.

    Without it, a thread that finds the write lock taken sleeps in SQLite's busy handler and tries
    again (after 1, 2, 5, ... up to 100 ms a time), so the database sits idle while writers sleep
    and a short write can wait far longer than the transaction ahead of it took. Here writers wait
    in line and the one finishing hands the gate straight to the next (waking only that one). A
    `short` writer (a few statements someone is waiting on: recording a Slack request before its
    acknowledgement, claiming or finishing an inbox row) goes before the long ones waiting (a whole
    answer's unit of work), so an acknowledgement waits for at most one answer. Re-entrant in one
    thread. A writer that has waited out the busy timeout goes on ungated and meets SQLite's own
    lock and busy timeout, as it would have without the gate; writers in other processes (the CLI,
    a second server) meet SQLite's lock as before. PostgreSQL does not use it.
    """

    def __init__(self, timeout: float = SQLITE_BUSY_TIMEOUT_MS / 1000) -> None:
        self.timeout = timeout
        self._lock = threading.Lock()
        self._owner: int | None = None  # the thread holding it; None when free (then nobody waits)
        self._depth = 0
        self._short: deque[tuple[int, threading.Event]] = deque()
        self._long: deque[tuple[int, threading.Event]] = deque()

    @contextmanager
    def held(self, *, short: bool = False) -> Iterator[None]:
        entered = self._enter(threading.get_ident(), short)
        try:
            yield
        finally:
            if entered:
                self._leave()

    def _enter(self, me: int, short: bool) -> bool:
        with self._lock:
            if self._owner in (me, None):
                self._owner = me
                self._depth += 1
                return True
            turn = (me, threading.Event())
            line = self._short if short else self._long
            line.append(turn)
        if turn[1].wait(self.timeout):
            return True  # the one before handed the gate over
        with self._lock:
            if turn[1].is_set():  # handed over just as the wait ran out
                return True
            line.remove(turn)
            return False

    def _leave(self) -> None:
        with self._lock:
            self._depth -= 1
            if self._depth:
                return
            line = self._short or self._long
            if not line:
                self._owner = None
                return
            self._owner, woken = line.popleft()
            self._depth = 1
            woken.set()


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


def _restore_autocheckpoint(dbapi_connection: Any, record: Any) -> None:
    """A connection back in the pool after `Database.bulk_write_transaction` checkpoints on its
    commits again, like every other."""
    deferred = record is not None and record.info.pop(CHECKPOINT_DEFERRED, False)
    if deferred and dbapi_connection is not None:  # None: invalidated (Ctrl-C mid-statement), so closed
        dbapi_connection.execute(f"PRAGMA wal_autocheckpoint={SQLITE_AUTOCHECKPOINT_PAGES}")


def _checkpoint(database: str) -> None:
    """Copy SQLite's write-ahead log into the database file without waiting for anyone (PASSIVE)."""
    try:
        with closing(sqlite3.connect(database, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)) as connection:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except sqlite3.Error as exc:  # housekeeping only: the next commits checkpoint automatically
        log.warning("Background checkpoint of the SQLite file %s failed: %s", database, exc)


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
        event.listen(engine, "checkin", _restore_autocheckpoint)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


class Database:
    """Owns the engine; hands out transactional sessions (one unit of work each)."""

    def __init__(self, database_url: str) -> None:
        self.url = normalise_url(database_url)
        self.engine = make_engine(database_url)
        reference_version.install(self.engine)  # every write to reference data raises its version
        self.writers = WriteGate()
        self._checkpointing: threading.Thread | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error: nothing half-written.

        Inside a unit of work (see `unit_of_work`) it is the unit's session under a SAVEPOINT:
        an error rolls back this part only, success commits nothing yet (the unit commits)."""
        unit = _open_unit.get()
        if unit is not None and unit[0] is self:
            shared = unit[1]
            with shared.begin_nested():
                yield shared
            return
        with self._committed(immediate=False) as session:
            yield session

    @contextmanager
    def joined(self) -> Iterator[Session]:
        """The open unit of work's own session, without a savepoint (or else a new session committed
        at the end, like `session()`): for reads, which have nothing to roll back, and for a single
        statement whose failure fails the whole unit anyway. A savepoint costs two round trips."""
        unit = _open_unit.get()
        if unit is not None and unit[0] is self:
            yield unit[1]
            return
        with self._committed(immediate=False) as session:
            yield session

    @contextmanager
    def _committed(self, *, immediate: bool, short: bool = False) -> Iterator[Session]:
        """A new session committed when the block ends without an error, rolled back otherwise;
        `immediate` takes SQLite's write lock from the first statement (BEGIN IMMEDIATE), after
        this process's writers ahead of it (`short`: before the long ones; see WriteGate)."""
        if not (immediate and self.is_sqlite):
            with self._session(immediate=False) as session:
                yield session
            return
        with self.writers.held(short=short), self._session(immediate=True) as session:
            yield session

    @contextmanager
    def _session(self, *, immediate: bool) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            if immediate:
                session.connection().exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield session
                session.commit()
            except BaseException:
                _roll_back(session)
                raise

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction for everything done inside it (every `session()` joins it), committed
        when the block ends without an error, rolled back otherwise. The router opens one per
        message around the whole answer, so a write is committed only together with its reply:
        a reply that fails to build leaves nothing written.

        On SQLite the transaction starts with BEGIN IMMEDIATE (the write lock, waiting up to the
        busy timeout): a deferred transaction that read first could not upgrade to a write when
        another process (the scheduler) wrote meanwhile. A unit opened inside another joins it."""
        unit = _open_unit.get()
        if unit is not None and unit[0] is self:
            with self.session() as joined:
                yield joined
            return
        with self._committed(immediate=True) as session:
            token = _open_unit.set((self, session))
            try:
                yield session
            finally:
                _open_unit.reset(token)

    @property
    def in_unit_of_work(self) -> bool:
        """True inside this database's unit of work (a caller about to wait on the network while
        holding its write lock can tell, and not)."""
        unit = _open_unit.get()
        return unit is not None and unit[0] is self

    @contextmanager
    def write_transaction(self) -> Iterator[Session]:
        """A short session that holds the write lock from its first statement (BEGIN IMMEDIATE on
        SQLite; PostgreSQL's row locks do that job there): read-then-update without a race. On
        SQLite it goes before long units of work waiting for the lock in this process."""
        with self._committed(immediate=True, short=True) as session:
            yield session

    @contextmanager
    def bulk_write_transaction(self) -> Iterator[Session]:
        """`write_transaction` for one that writes megabytes at once: a scheduler pass at 100x
        inserts about 20 MB. On SQLite its commit does not copy the write-ahead log into the
        database file there and then (the automatic checkpoint, about a tenth of that pass's
        time); a background thread does it, SQLite's own alternative ("Application-initiated
        checkpoints", https://sqlite.org/wal.html). The commit is as durable either way, and any
        other connection's commit still checkpoints if the thread has not got there yet. It
        queues with the long writers: an acknowledgement waiting meanwhile goes first."""
        with self._committed(immediate=True) as session:
            if self.is_sqlite:
                connection = session.connection()
                connection.info[CHECKPOINT_DEFERRED] = True
                connection.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
            yield session
        if self.is_sqlite:
            self._checkpoint_in_background()

    def _checkpoint_in_background(self) -> None:
        database = self.engine.url.database
        if not database or database == ":memory:":
            return  # no log to copy
        if self._checkpointing is not None and self._checkpointing.is_alive():
            return  # the one under way copies what it finds; later commits checkpoint the rest
        # Not a daemon: a process ending (`tick`) waits the tenth of a second for it, rather than
        # cutting it off mid-copy. Its own connection, outside the pool: it never waits for one.
        self._checkpointing = threading.Thread(
            target=_checkpoint, args=(str(Path(database).expanduser()),), name="sqlite-checkpoint"
        )
        self._checkpointing.start()

    def checkpoint_finished(self, timeout: float | None = None) -> bool:
        """Wait for a background checkpoint under way, if any; False if it outlasted `timeout`."""
        running = self._checkpointing
        if running is not None:
            running.join(timeout)
            return not running.is_alive()
        return True

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """`write_transaction` for a few Core statements: the same write lock and place in this
        process's queue of writers, without an ORM session (the Slack inbox runs three of these
        for every request, and a session costs more than their statements)."""
        gate = self.writers.held(short=True) if self.is_sqlite else nullcontext()
        with gate, self.engine.connect() as connection:
            if self.is_sqlite:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield connection
                connection.commit()
            except BaseException:
                _roll_back(connection)
                raise

    def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            return True
        except Exception:
            return False

    def dispose(self) -> None:
        self.checkpoint_finished(timeout=10)
        self.engine.dispose()


def _roll_back(transactional: Session | Connection) -> None:
    """Roll back after a failure without hiding it: a connection broken by the failure (Ctrl-C in
    the middle of a statement invalidates it) cannot roll back, and the pool discards it anyway."""
    try:
        transactional.rollback()
    except Exception:
        log.debug("Rollback after a failure failed too; the connection is discarded", exc_info=True)
