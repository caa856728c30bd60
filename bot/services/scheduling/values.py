"""Plain values the scheduler's services hand out, and helpers for their storage rows."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from bot.services.scheduling.driver import for_driver
from bot.services.values import RegionInfo

PLATFORMS = ("slack", "teams")
INSERT_CHUNK = 5000


@dataclass(frozen=True)
class SubscriptionView:
    id: int
    platform: str
    destination: str
    scope: str  # region ONS code or "national"
    region: RegionInfo | None
    created_by: str
    created_at: datetime
    checked_until: datetime | None
    workspace: str = ""  # Slack team id / Teams tenant id it was subscribed in; "" when not known

    @property
    def label(self) -> str:
        return self.region.name if self.region else "national (all of England)"


class NewOutboxRow(NamedTuple):
    """A notification a pass has decided on, ready to insert if absent. A tuple: a pass at 100x
    makes twenty thousand of them, and a frozen dataclass costs several times more to build."""

    key: str
    platform: str
    destination: str
    scope: str
    kind: str
    subject: str
    series_key: str
    due_date: date
    due_at: datetime
    payload: str
    status: str = "pending"  # pending, or skipped (older than the catch-up horizon)
    late: bool = False


@dataclass(frozen=True)
class SubscriptionRows:
    """What one pass decided for one subscription: the rows to insert if absent, and for a digest
    sent, its note (due date, covers-from)."""

    subscription_id: int
    rows: list[NewOutboxRow]
    digest: tuple[date, date] | None = None


@dataclass(frozen=True)
class OutboxView:
    id: int
    key: str
    platform: str
    destination: str
    kind: str
    subject: str
    series_key: str
    due_date: date
    due_at: datetime
    payload: str
    status: str
    attempts: int
    late: bool
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str | None
    message_id: str | None


@dataclass(frozen=True)
class SeriesState:
    series_key: str
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    snoozed_at: date | None
    snoozed_until: date | None
    snoozed_by: str | None


@dataclass(frozen=True)
class JudgementChange:
    council: str
    region_id: int
    overall: str
    published: date


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without an offset: they are stored in UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def insert_if_absent(session: Session, model: Any, rows: list[dict[str, Any]], key: Sequence[str]) -> int:
    """INSERT ... ON CONFLICT DO NOTHING for SQLite and PostgreSQL; the number of rows inserted.

    The statement is compiled once (`driver.for_driver`) and run through the driver's own
    executemany on the session's connection (sqlite3's loop in C; psycopg's pipeline), in chunks:
    a pass inserts tens of thousands of rows. Each chunk's rowcount is the number of rows really
    inserted (a conflicting row counts 0). Every row must have the same columns."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect
    columns = tuple(rows[0])
    statement = for_driver(_insert_if_absent(model, tuple(key), dialect.name), dialect, columns)
    cursor = session.connection().connection.cursor()
    inserted = 0
    try:
        for start in range(0, len(rows), INSERT_CHUNK):
            arguments: Any = statement.arguments_many(rows[start : start + INSERT_CHUNK])
            cursor.executemany(statement.sql, arguments)
            inserted += max(cursor.rowcount, 0)
    finally:
        cursor.close()
    return inserted


@functools.cache
def _insert_if_absent(model: Any, key: tuple[str, ...], dialect: str) -> Any:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # inline(): no implicit RETURNING of the new ids, which PostgreSQL would send back for nothing
    return insert(model).inline().on_conflict_do_nothing(index_elements=list(key))
