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

import contextlib
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, literal_column, or_, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlmodel import col, func, select

from bot.services.scheduling.marks import OutcomeWriter
from bot.services.scheduling.values import (
    PLATFORMS,
    NewOutboxRow,
    OutboxView,
    SubscriptionRows,
    aware,
    insert_if_absent,
)
from storage.db import Database
from storage.tables import (
    ChannelPacing,
    DigestRecord,
    OutboxItem,
    Subscription,
)

STALE_RESERVATION = timedelta(minutes=1)
ANALYZE_AFTER_ROWS = 1000
# A literal, not a parameter, so both databases' planners match the partial index of pending rows.
PENDING: ColumnElement[str] = literal_column("'pending'")
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
        self.outcomes = OutcomeWriter(db)

    def enqueue(
        self,
        subscription_id: int,
        rows: Iterable[NewOutboxRow],
        checked_until: datetime,
        digest: tuple[date, date] | None = None,
    ) -> int:
        """Insert one subscription's rows (if absent), advance its watermark and note its digest,
        in one transaction (see `enqueue_pass`). Returns rows inserted."""
        return self.enqueue_pass([SubscriptionRows(subscription_id, list(rows), digest)], checked_until)

    def enqueue_pass(self, decisions: Sequence[SubscriptionRows], checked_until: datetime) -> int:
        """Everything one pass decided, in one write transaction: the subscriptions are locked
        first (so an unsubscribe waits, then cancels what this inserted; and two passes at once
        queue up instead of deadlocking), the rows of those still subscribed are inserted if
        absent in key order with batched INSERT ... ON CONFLICT DO NOTHING, their watermarks move
        to `checked_until` and the digests sent are noted. Rows of a subscription removed
        meanwhile are dropped: nothing of it may go out. Returns rows inserted."""
        if not decisions:
            return 0
        inserted = self._insert_pass(decisions, checked_until)
        if inserted >= ANALYZE_AFTER_ROWS and not self.db.is_sqlite:
            # A bulk load leaves PostgreSQL's statistics behind: told the outbox is nearly empty,
            # it would read every pending row for each claim instead of walking the index.
            with self.db.engine.connect() as connection:
                connection.execute(text("ANALYZE outboxitem"))
                connection.commit()
        return inserted

    def _insert_pass(self, decisions: Sequence[SubscriptionRows], checked_until: datetime) -> int:
        with self.db.bulk_write_transaction() as session:
            locking = (
                select(Subscription.id)
                .where(col(Subscription.id).in_([d.subscription_id for d in decisions]))
                .order_by(col(Subscription.id))
            )
            if session.get_bind().dialect.name == "postgresql":
                locking = locking.with_for_update()
            present = set(session.exec(locking).all())
            kept = [d for d in decisions if d.subscription_id in present]
            created = datetime.now(UTC)
            values = sorted((_row_values(r, created) for d in kept for r in d.rows), key=lambda v: str(v["key"]))
            inserted = insert_if_absent(session, OutboxItem, values, ("key",))
            watermark = aware(checked_until)
            for decision in kept:
                session.execute(
                    update(Subscription)
                    .where(col(Subscription.id) == decision.subscription_id)
                    .where(or_(col(Subscription.checked_until).is_(None), col(Subscription.checked_until) < watermark))
                    .values(checked_until=watermark)
                )
            notes = [
                {"subscription_id": d.subscription_id, "due_date": d.digest[0], "covers_from": d.digest[1],
                 "created_at": created}
                for d in kept if d.digest is not None
            ]
            insert_if_absent(session, DigestRecord, notes, ("subscription_id", "due_date"))
            return inserted

    def _retrying(self, what: str, operation: Callable[[], T]) -> T:
        """Run one short transaction of delivery, trying again while the database is away (a
        PostgreSQL restart, a SQLite write lock held past the busy timeout) for up to
        `retry_seconds`: giving up after a message is posted but before it is recorded as sent
        would post it again once the claim expires. Each call is safe to repeat: a claim or a
        mark that did commit before the connection dropped matches nothing the second time."""
        delay, waited = 0.5, 0.0
        transient: tuple[type[Exception], ...] = (OperationalError, *self.outcomes.driver_errors)
        while True:
            try:
                return operation()
            except transient as exc:
                if waited >= self.retry_seconds:
                    raise
                if waited == 0.0:
                    log.warning("Outbox %s: the database is unavailable (%s); trying again for up to %.0fs",
                                what, str(exc).splitlines()[0][:200], self.retry_seconds)
                self.sleep(delay)
                waited += delay
                delay = min(delay * 2, 5.0)

    def keys_due_between(self, first: date, last: date) -> set[str]:
        """The keys of every outbox row whose nominal day is in [first, last]: one range query
        on `due_date` that lets a pass skip the rows it already recorded (a key names its day,
        so a candidate key is in the outbox only if it is in this set)."""
        with self.db.session() as session:
            return set(
                session.connection()  # plain rows, no ORM loading
                .execute(select(col(OutboxItem.key)).where(col(OutboxItem.due_date).between(first, last)))
                .scalars()
            )

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

        One statement in one write transaction: `UPDATE ... WHERE id IN (the first `limit`
        claimable rows) RETURNING` the rows. BEGIN IMMEDIATE on SQLite (other writers wait for
        it), `FOR UPDATE SKIP LOCKED` in the subquery on PostgreSQL (concurrent claimers take
        disjoint rows). The UPDATE re-checks status and lease as well, so a row another process
        claimed meanwhile is never taken over, on any database. The pending rows are found
        through the partial index on (due_at, id) of pending rows, in the order they are due."""
        claimable = (
            col(OutboxItem.status) == PENDING,
            or_(col(OutboxItem.claimed_until).is_(None), col(OutboxItem.claimed_until) < now),
        )
        with self.db.write_transaction() as session:
            chosen = (
                select(OutboxItem.id)
                .where(*claimable)
                .where(OutboxItem.next_attempt_at <= (due_by or now))
                .where(col(OutboxItem.platform).in_(list(platforms)))
                .order_by(col(OutboxItem.due_at), col(OutboxItem.id))
                .limit(limit)
            )
            if session.get_bind().dialect.name == "postgresql":
                chosen = chosen.with_for_update(skip_locked=True)
            # A MATERIALIZED CTE is chosen once: as a plain `IN (subquery)` PostgreSQL may run
            # the LIMIT ... SKIP LOCKED subquery more than once and claim more than `limit`.
            picked = chosen.cte("picked").prefix_with("MATERIALIZED")
            rows = session.connection().execute(  # plain rows: no ORM bookkeeping for a bulk claim
                update(OutboxItem)
                .where(col(OutboxItem.id).in_(select(picked.c.id)), *claimable)
                .values(claimed_by=worker, claimed_until=now + lease)
                .returning(*VIEW_COLUMNS)
            ).all()
        views = [_outbox_view(*row) for row in rows]
        views.sort(key=lambda view: (view.due_at, view.id))
        return views

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
        return self._retrying("record", lambda: self.outcomes.update(row_id, worker, values))

    def recording(self) -> contextlib.AbstractContextManager[None]:
        """While open, this thread's marks (sent, retry, failed, release) share one connection in
        autocommit mode: each is still its own durable transaction, without a pool checkout and
        a BEGIN/COMMIT round trip per row (see `marks`)."""
        return self.outcomes.holding()

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
            statement = select(*VIEW_COLUMNS)
            if status:
                statement = statement.where(OutboxItem.status == status)
            rows = session.execute(
                statement.order_by(col(OutboxItem.due_at).desc(), col(OutboxItem.id).desc()).limit(limit)
            ).all()
            return [_outbox_view(*r) for r in rows]

    def counts(self) -> dict[str, int]:
        with self.db.session() as session:
            rows = session.exec(select(OutboxItem.status, func.count()).group_by(OutboxItem.status)).all()
            return {status: int(n) for status, n in rows}


def _row_values(row: NewOutboxRow, created: datetime) -> dict[str, Any]:
    """The outbox columns of `row`, in the same order for every row (`insert_if_absent`)."""
    values = row._asdict()
    values["attempts"] = 0
    values["next_attempt_at"] = row.due_at
    values["created_at"] = created
    values["last_error"] = "older than the catch-up horizon" if row.status == "skipped" else None
    return values


VIEW_COLUMNS: tuple[Any, ...] = (
    OutboxItem.id, OutboxItem.key, OutboxItem.platform, OutboxItem.destination, OutboxItem.kind, OutboxItem.subject,
    OutboxItem.series_key, OutboxItem.due_date, OutboxItem.due_at, OutboxItem.payload, OutboxItem.status,
    OutboxItem.attempts, OutboxItem.late, OutboxItem.next_attempt_at, OutboxItem.sent_at, OutboxItem.last_error,
    OutboxItem.message_id,
)


def _outbox_view(
    row_id: int | None, key: str, platform: str, destination: str, kind: str, subject: str, series_key: str,
    due_date: date, due_at: datetime, payload: str, status: str, attempts: int, late: bool,
    next_attempt_at: datetime, sent_at: datetime | None, last_error: str | None, message_id: str | None,
) -> OutboxView:
    """The plain view of one outbox row, from its VIEW_COLUMNS in order."""
    assert row_id is not None
    return OutboxView(
        id=row_id,
        key=key,
        platform=platform,
        destination=destination,
        kind=kind,
        subject=subject,
        series_key=series_key,
        due_date=due_date,
        due_at=aware(due_at) or due_at,
        payload=payload,
        status=status,
        attempts=attempts,
        late=late,
        next_attempt_at=aware(next_attempt_at) or next_attempt_at,
        sent_at=aware(sent_at),
        last_error=last_error,
        message_id=message_id,
    )
