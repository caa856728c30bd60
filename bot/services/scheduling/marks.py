"""Recording what became of a claimed outbox row (sent, to retry, failed, handed back): one
durable UPDATE per row, the statement a pass runs most often.

A row must be recorded as sent before the next message goes out (a crash may then double at most
the one message in flight), so a pass of 20,000 notifications runs 20,000 of these. Inside
`OutcomeWriter.holding()` they share one connection in autocommit mode (each UPDATE is still its
own transaction) and go through its DBAPI cursor with the statement compiled once per dialect
and set of columns (`driver.for_driver`).
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Update, bindparam, literal_column, update
from sqlalchemy.engine import Connection

from bot.services.scheduling.driver import for_driver
from storage.db import Database
from storage.tables import OutboxItem


@functools.cache
def finishing(columns: tuple[str, ...]) -> Update:
    """UPDATE of one claimed, pending row (`row_id`, held by `worker`) setting `columns` from
    parameters named `new_<column>`."""
    table = OutboxItem.__table__  # type: ignore[attr-defined]
    return (
        update(table)
        .where(table.c.id == bindparam("row_id"), table.c.claimed_by == bindparam("worker"),
               table.c.status == literal_column("'pending'"))
        .values({name: bindparam(f"new_{name}", type_=table.c[name].type) for name in columns})
    )


class OutcomeWriter:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._held = threading.local()  # the connection `holding` lends this thread's updates
        dbapi = db.engine.dialect.loaded_dbapi
        # What a dropped connection or a held lock raises from the driver itself (the retry loop
        # in the outbox service waits these out as it does SQLAlchemy's OperationalError).
        self.driver_errors: tuple[type[Exception], ...] = (dbapi.OperationalError, dbapi.InterfaceError)

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        """This thread's updates share one autocommit connection until the block ends."""
        self._held.active = True
        try:
            yield
        finally:
            self._held.active = False
            self._drop(invalidate=False)

    def update(self, row_id: int, worker: str, values: dict[str, Any]) -> bool:
        """Set `values` on the row if `worker` holds it and it is pending; True if it did."""
        columns = tuple(sorted(values))
        params = {"row_id": row_id, "worker": worker, **{f"new_{name}": value for name, value in values.items()}}
        if not getattr(self._held, "active", False):
            with self.db.engine.begin() as own:
                return bool(own.execute(finishing(columns), params).rowcount)
        connection: Connection | None = getattr(self._held, "connection", None)
        if connection is None:
            connection = self.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            self._held.connection, self._held.cursor = connection, connection.connection.cursor()
        statement = for_driver(finishing(columns), self.db.engine.dialect)
        try:
            cursor = self._held.cursor
            cursor.execute(statement.sql, statement.arguments(params))
            return bool(cursor.rowcount)
        except BaseException:
            # A dropped connection (a database restart) is not reused: the retry opens a new one.
            self._drop(invalidate=True)
            raise

    def _drop(self, *, invalidate: bool) -> None:
        connection: Connection | None = getattr(self._held, "connection", None)
        self._held.connection = self._held.cursor = None
        if connection is None:
            return
        if invalidate:
            connection.invalidate()
        connection.close()
