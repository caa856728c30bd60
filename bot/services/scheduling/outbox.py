"""The outbox: every notification decided, claimed, sent, retried or cancelled, exactly once.

The outbox is the "never lost, never doubled" mechanism:
- deciding a notification is due and inserting its outbox row happen in one transaction, and the
  insert is insert-if-absent on the row's unique key (ON CONFLICT DO NOTHING), so any number of
  passes, restarts or processes produce one row per notification;
- senders claim pending rows before sending, in one write transaction (BEGIN IMMEDIATE on SQLite,
  `SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL) whose UPDATE re-checks status and lease, and
  take a claim lease (`claimed_by`, `claimed_until`), so two processes never take the same row; a
  process that dies mid-send leaves a lease that expires and the row is tried again (at most the
  one message in flight at the crash can go out twice);
- per-channel pacing is a reserved slot in the `channelpacing` table, so it holds across processes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlmodel import col, func, select

from bot.services.scheduling.values import PLATFORMS, NewOutboxRow, OutboxView, aware, insert_if_absent
from storage.db import Database
from storage.tables import (
    ChannelPacing,
    DigestRecord,
    OutboxItem,
    Subscription,
)

STALE_RESERVATION = timedelta(minutes=1)
DATABASE_RETRY_SECONDS = 60.0
T = TypeVar("T")
log = logging.getLogger(__name__)


class OutboxService:
    def __init__(
        self, db: Database, *, retry_seconds: float = DATABASE_RETRY_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.db = db
        self.retry_seconds = retry_seconds
        self.sleep = sleep

    def enqueue(
        self,
        subscription_id: int,
        rows: Iterable[NewOutboxRow],
        checked_until: datetime,
        digest: tuple[date, date] | None = None,
    ) -> int:
        """Insert the rows a pass decided on (if absent), advance the subscription's watermark and
        note the digest (due date, covers-from) — all in one transaction. Returns rows inserted."""
        values = [_row_values(r) for r in rows]
        with self.db.session() as session:
            inserted = insert_if_absent(session, OutboxItem, values, ("key",))
            subscription = session.get(Subscription, subscription_id)
            if subscription is None:  # unsubscribed meanwhile: nothing of it may go out
                session.rollback()
                return 0
            current = aware(subscription.checked_until)
            if current is None or current < checked_until:
                subscription.checked_until = checked_until
                session.add(subscription)
            if digest is not None:
                insert_if_absent(
                    session,
                    DigestRecord,
                    [{"subscription_id": subscription_id, "due_date": digest[0], "covers_from": digest[1],
                      "created_at": datetime.now(UTC)}],
                    ("subscription_id", "due_date"),
                )
            return inserted

    def _retrying(self, what: str, operation: Callable[[], T]) -> T:
        """Run one short transaction of delivery, trying again while the database is away (a
        PostgreSQL restart, a SQLite write lock held past the busy timeout) for up to
        `retry_seconds`: giving up after a message is posted but before it is recorded as sent
        would post it again once the claim expires. Each call is safe to repeat: a claim or a
        mark that did commit before the connection dropped matches nothing the second time."""
        delay, waited = 0.5, 0.0
        while True:
            try:
                return operation()
            except OperationalError as exc:
                if waited >= self.retry_seconds:
                    raise
                if waited == 0.0:
                    log.warning("Outbox %s: the database is unavailable (%s); trying again for up to %.0fs",
                                what, str(exc).splitlines()[0][:200], self.retry_seconds)
                self.sleep(delay)
                waited += delay
                delay = min(delay * 2, 5.0)

    def existing_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of `keys` are already in the outbox (lets a pass skip building their payloads)."""
        found: set[str] = set()
        with self.db.session() as session:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start : start + 500])
                found.update(session.exec(select(OutboxItem.key).where(col(OutboxItem.key).in_(chunk))).all())
        return found

    def last_digest(self, subscription_id: int, before: date) -> date | None:
        """The due date of the subscription's latest digest before `before`."""
        with self.db.session() as session:
            return session.exec(
                select(func.max(DigestRecord.due_date))
                .where(DigestRecord.subscription_id == subscription_id)
                .where(DigestRecord.due_date < before)
            ).one()

    def claim(
        self, worker: str, now: datetime, lease: timedelta, limit: int = 50, platforms: Sequence[str] = PLATFORMS,
        due_by: datetime | None = None,
    ) -> list[OutboxView]:
        """Take up to `limit` due rows for `worker` (see `_claim`), riding out a database blip."""
        return self._retrying("claim", lambda: self._claim(worker, now, lease, limit, platforms, due_by))

    def _claim(
        self, worker: str, now: datetime, lease: timedelta, limit: int, platforms: Sequence[str],
        due_by: datetime | None,
    ) -> list[OutboxView]:
        """Take up to `limit` pending rows due by `due_by` (default `now`) for `worker` until
        `now + lease`; one claimer per row.

        The choice and the claim are one write transaction: BEGIN IMMEDIATE on SQLite (other
        writers wait for it), `FOR UPDATE SKIP LOCKED` on PostgreSQL (concurrent claimers take
        disjoint rows). The UPDATE re-checks status and lease as well, so a row another process
        claimed meanwhile is never taken over, on any database."""
        claimable = (
            col(OutboxItem.status) == "pending",
            or_(col(OutboxItem.claimed_until).is_(None), col(OutboxItem.claimed_until) < now),
        )
        with self.db.write_transaction() as session:
            statement = (
                select(OutboxItem.id)
                .where(*claimable)
                .where(OutboxItem.next_attempt_at <= (due_by or now))
                .where(col(OutboxItem.platform).in_(list(platforms)))
                .order_by(col(OutboxItem.due_at), col(OutboxItem.id))
                .limit(limit)
            )
            if session.get_bind().dialect.name == "postgresql":
                statement = statement.with_for_update(skip_locked=True)
            ids = list(session.exec(statement).all())
            if not ids:
                return []
            session.execute(
                update(OutboxItem)
                .where(col(OutboxItem.id).in_(ids), *claimable)
                .values(claimed_by=worker, claimed_until=now + lease)
            )
            rows = session.exec(
                select(OutboxItem)
                .where(col(OutboxItem.id).in_(ids))
                .where(OutboxItem.claimed_by == worker)
                .where(OutboxItem.status == "pending")
                .order_by(col(OutboxItem.due_at), col(OutboxItem.id))
            ).all()
            return [_outbox_view(r) for r in rows]

    def reserve_slot(self, channel: str, at: datetime, interval: timedelta) -> datetime:
        """The moment this sender may post to `channel` (see `_reserve_slot`)."""
        return self._retrying("pace", lambda: self._reserve_slot(channel, at, interval))

    def _reserve_slot(self, channel: str, at: datetime, interval: timedelta) -> datetime:
        """The moment this sender may post to `channel` (`at` or later), reserving it so any other
        process posting there waits one `interval` more: per-channel pacing across processes.

        A reservation further ahead than STALE_RESERVATION is from a clock that moved (or a
        test's), not from real traffic, and is ignored."""
        with self.db.write_transaction() as session:
            dialect = session.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            session.execute(
                insert(ChannelPacing).values(channel=channel, next_free_at=at).on_conflict_do_nothing(
                    index_elements=["channel"]
                )
            )
            statement = select(ChannelPacing).where(ChannelPacing.channel == channel)
            if dialect == "postgresql":
                statement = statement.with_for_update()
            row = session.exec(statement).one()
            reserved = aware(row.next_free_at) or at
            slot = reserved if at < reserved <= at + STALE_RESERVATION else at
            row.next_free_at = slot + interval
            session.add(row)
            return slot

    def _finish(self, row_id: int, worker: str, **values: Any) -> bool:
        return self._retrying("record", lambda: self._finish_once(row_id, worker, **values))

    def _finish_once(self, row_id: int, worker: str, **values: Any) -> bool:
        with self.db.session() as session:
            result = session.execute(
                update(OutboxItem)
                .where(col(OutboxItem.id) == row_id)
                .where(col(OutboxItem.claimed_by) == worker)
                .where(col(OutboxItem.status) == "pending")
                .values(**values)
            )
            return bool(getattr(result, "rowcount", 0))

    def mark_sent(self, row_id: int, worker: str, at: datetime, message_id: str | None, attempts: int) -> bool:
        return self._finish(
            row_id, worker, status="sent", sent_at=at, message_id=message_id, attempts=attempts,
            claimed_until=None, last_error=None,
        )

    def mark_retry(self, row_id: int, worker: str, attempts: int, next_attempt_at: datetime, error: str) -> bool:
        return self._finish(
            row_id, worker, attempts=attempts, next_attempt_at=next_attempt_at, last_error=error[:1000],
            claimed_by=None, claimed_until=None,
        )

    def mark_failed(self, row_id: int, worker: str, attempts: int, error: str) -> bool:
        return self._finish(
            row_id, worker, status="failed", attempts=attempts, last_error=error[:1000], claimed_until=None
        )

    def reschedule(self, row_id: int, worker: str, next_attempt_at: datetime, reason: str) -> bool:
        """Hand the row back to be tried at `next_attempt_at` without counting an attempt (a rate
        limit's Retry-After: the platform said when, nothing failed)."""
        return self._finish(
            row_id, worker, next_attempt_at=next_attempt_at, last_error=reason[:1000], claimed_by=None,
            claimed_until=None,
        )

    def release(self, row_id: int, worker: str) -> bool:
        return self._finish(row_id, worker, claimed_by=None, claimed_until=None)

    def retry_failed(self, now: datetime) -> int:
        """Put failed rows back in the queue (after fixing the cause, e.g. inviting the bot)."""
        with self.db.session() as session:
            result = session.execute(
                update(OutboxItem)
                .where(col(OutboxItem.status) == "failed")
                .values(status="pending", attempts=0, next_attempt_at=now, claimed_by=None, claimed_until=None)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def list(self, status: str | None = None, limit: int = 200) -> list[OutboxView]:
        with self.db.session() as session:
            statement = select(OutboxItem)
            if status:
                statement = statement.where(OutboxItem.status == status)
            rows = session.exec(
                statement.order_by(col(OutboxItem.due_at).desc(), col(OutboxItem.id).desc()).limit(limit)
            ).all()
            return [_outbox_view(r) for r in rows]

    def counts(self) -> dict[str, int]:
        with self.db.session() as session:
            rows = session.exec(select(OutboxItem.status, func.count()).group_by(OutboxItem.status)).all()
            return {status: int(n) for status, n in rows}


def _row_values(row: NewOutboxRow) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "key": row.key,
        "platform": row.platform,
        "destination": row.destination,
        "scope": row.scope,
        "kind": row.kind,
        "subject": row.subject,
        "series_key": row.series_key,
        "due_date": row.due_date,
        "due_at": row.due_at,
        "payload": row.payload,
        "status": row.status,
        "attempts": 0,
        "next_attempt_at": row.due_at,
        "late": row.late,
        "created_at": now,
        "last_error": "older than the catch-up horizon" if row.status == "skipped" else None,
    }


def _outbox_view(row: OutboxItem) -> OutboxView:
    assert row.id is not None
    return OutboxView(
        id=row.id,
        key=row.key,
        platform=row.platform,
        destination=row.destination,
        kind=row.kind,
        subject=row.subject,
        series_key=row.series_key,
        due_date=row.due_date,
        due_at=aware(row.due_at) or row.due_at,
        payload=row.payload,
        status=row.status,
        attempts=row.attempts,
        late=row.late,
        next_attempt_at=aware(row.next_attempt_at) or row.next_attempt_at,
        sent_at=aware(row.sent_at),
        last_error=row.last_error,
        message_id=row.message_id,
    )
