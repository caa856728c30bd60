"""Scheduler storage rules (issue 5): subscriptions, the outbox, reminder series, digest records.

The outbox is the "never lost, never doubled" mechanism:
- deciding a notification is due and inserting its outbox row happen in one transaction, and the
  insert is insert-if-absent on the row's unique key (ON CONFLICT DO NOTHING), so any number of
  passes, restarts or processes produce one row per notification;
- senders claim pending rows before sending: `SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL plus
  a claim lease (`claimed_by`, `claimed_until`), so two processes never take the same row; a
  process that dies mid-send leaves a lease that expires and the row is tried again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, func, select

from bot.core.errors import AlreadyDone
from bot.services.actors import Actor
from bot.services.audit import AuditTrail, snapshot
from bot.services.directory import brokers_by_region
from bot.services.values import RegionInfo
from storage.db import Database
from storage.models import Council, OfstedJudgement, Region
from storage.scheduler_tables import (
    NATIONAL_SCOPE,
    DigestRecord,
    OutboxItem,
    ReminderSeries,
    Subscription,
)

PLATFORMS = ("slack", "teams")
INSERT_CHUNK = 400


# --- plain values -------------------------------------------------------------------------


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

    @property
    def label(self) -> str:
        return self.region.name if self.region else "national (all of England)"


@dataclass(frozen=True)
class NewOutboxRow:
    """A notification a pass has decided on, ready to insert if absent."""

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
    """INSERT ... ON CONFLICT DO NOTHING for SQLite and PostgreSQL; the number of rows inserted."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # One statement compiled once and run as "insertmanyvalues" batches; RETURNING counts the rows
    # really inserted (rowcount is -1 for these on psycopg).
    statement = insert(model).on_conflict_do_nothing(index_elements=list(key)).returning(model.__table__.c.id)
    inserted = 0
    for start in range(0, len(rows), INSERT_CHUNK):
        inserted += len(session.connection().execute(statement, rows[start : start + INSERT_CHUNK]).all())
    return inserted


# --- subscriptions ----------------------------------------------------------------------------


class SubscriptionService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def subscribe(
        self, actor: Actor, platform: str, destination: str, region: RegionInfo | None, now: datetime | None = None
    ) -> SubscriptionView:
        """Subscribe `destination` to `region` (None: national). Raises AlreadyDone if it is."""
        if platform not in PLATFORMS:
            raise ValueError(f"platform must be one of {', '.join(PLATFORMS)}, not {platform!r}")
        scope = region.code if region else NATIONAL_SCOPE
        with self.db.session() as session:
            existing = _find_subscription(session, platform, destination, scope)
            if existing is not None:
                raise AlreadyDone(f"This channel is already subscribed to {_label(region)} digests and reminders.")
            row = Subscription(
                platform=platform,
                destination=destination,
                scope=scope,
                region_id=region.id if region else None,
                created_by=actor.label,
                created_at=now or datetime.now(UTC),
            )
            session.add(row)
            session.flush()
            AuditTrail.record(
                session, actor, batch=AuditTrail.new_batch(), action="digest.subscribe",
                subject_type="subscription", subject_key=f"{platform}:{destination}",
                summary=f"Subscribed {platform}:{destination} to {_label(region)} digests and reminders",
                row=row, before=None,
            )
            return _subscription_view(session, row)

    def unsubscribe(self, actor: Actor, platform: str, destination: str, region: RegionInfo | None) -> int:
        """Remove the subscription and cancel its pending notifications; returns how many were cancelled."""
        scope = region.code if region else NATIONAL_SCOPE
        with self.db.session() as session:
            row = _find_subscription(session, platform, destination, scope)
            if row is None:
                raise AlreadyDone(f"This channel is not subscribed to {_label(region)} digests and reminders.")
            before = snapshot(row)
            AuditTrail.record(
                session, actor, batch=AuditTrail.new_batch(), action="digest.unsubscribe",
                subject_type="subscription", subject_key=f"{platform}:{destination}",
                summary=f"Unsubscribed {platform}:{destination} from {_label(region)} digests and reminders",
                row=row, before=before, deleted=True,
            )
            session.delete(row)
            result = session.execute(
                update(OutboxItem)
                .where(col(OutboxItem.platform) == platform)
                .where(col(OutboxItem.destination) == destination)
                .where(col(OutboxItem.scope) == scope)
                .where(col(OutboxItem.status) == "pending")
                .values(status="cancelled", last_error="unsubscribed")
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def for_destination(self, platform: str, destination: str) -> list[SubscriptionView]:
        with self.db.session() as session:
            rows = session.exec(
                select(Subscription)
                .where(Subscription.platform == platform)
                .where(Subscription.destination == destination)
                .order_by(Subscription.scope)
            ).all()
            return [_subscription_view(session, r) for r in rows]

    def all(self) -> list[SubscriptionView]:
        with self.db.session() as session:
            rows = session.exec(select(Subscription).order_by(Subscription.id)).all()  # type: ignore[arg-type]
            regions = {r.id: r for r in session.exec(select(Region)).all()}
            return [_subscription_view(session, r, regions) for r in rows]


def _label(region: RegionInfo | None) -> str:
    return region.name if region else "national"


def _subscription_view(
    session: Session, row: Subscription, regions: dict[Any, Region] | None = None
) -> SubscriptionView:
    assert row.id is not None
    region = None
    if row.region_id is not None:
        found = regions.get(row.region_id) if regions is not None else session.get(Region, row.region_id)
        if found is not None and found.id is not None:
            region = RegionInfo(id=found.id, code=found.code, name=found.name)
    return SubscriptionView(
        id=row.id,
        platform=row.platform,
        destination=row.destination,
        scope=row.scope,
        region=region,
        created_by=row.created_by,
        created_at=aware(row.created_at) or datetime.now(UTC),
        checked_until=aware(row.checked_until),
    )


# --- the outbox -------------------------------------------------------------------------------


class OutboxService:
    def __init__(self, db: Database) -> None:
        self.db = db

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
        self, worker: str, now: datetime, lease: timedelta, limit: int = 50, platforms: Sequence[str] = PLATFORMS
    ) -> list[OutboxView]:
        """Take up to `limit` due pending rows for `worker` until `now + lease`.

        PostgreSQL: `FOR UPDATE SKIP LOCKED`, so concurrent claimers take disjoint rows; a row
        claimed and committed by another process no longer matches (its lease is in the future).
        SQLite serialises writers, and runs one scheduler anyway."""
        with self.db.session() as session:
            statement = (
                select(OutboxItem)
                .where(OutboxItem.status == "pending")
                .where(OutboxItem.next_attempt_at <= now)
                .where(col(OutboxItem.platform).in_(list(platforms)))
                .where(or_(col(OutboxItem.claimed_until).is_(None), col(OutboxItem.claimed_until) < now))
                .order_by(col(OutboxItem.due_at), col(OutboxItem.id))
                .limit(limit)
            )
            if session.get_bind().dialect.name == "postgresql":
                statement = statement.with_for_update(skip_locked=True)
            rows = session.exec(statement).all()
            for row in rows:
                row.claimed_by = worker
                row.claimed_until = now + lease
                session.add(row)
            session.flush()
            return [_outbox_view(r) for r in rows]

    def _finish(self, row_id: int, worker: str, **values: Any) -> bool:
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


# --- reminder series: acknowledge and snooze ----------------------------------------------------


# How long "Snooze" holds a series' reminders: the button's argument -> the period.
SNOOZE_PERIODS = {"1d": timedelta(days=1), "1w": timedelta(days=7)}


class SeriesService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def states(self, keys: Iterable[str] | None = None) -> dict[str, SeriesState]:
        with self.db.session() as session:
            statement = select(ReminderSeries)
            wanted = list(keys) if keys is not None else None
            if wanted is not None and len(wanted) <= 500:
                statement = statement.where(col(ReminderSeries.series_key).in_(wanted))
            rows = session.exec(statement).all()
            states = {r.series_key: _series_state(r) for r in rows}
        if wanted is not None:
            states = {k: v for k, v in states.items() if k in set(wanted)}
        return states

    def acknowledge(self, actor: Actor, series_key: str, now: datetime | None = None) -> int:
        """Stop the series: no more reminders of it. Returns how many pending ones were cancelled."""
        now = now or datetime.now(UTC)
        with self.db.session() as session:
            row, before = _series_row(session, series_key)
            if row.acknowledged_at is not None:
                raise AlreadyDone(f"Already acknowledged by {row.acknowledged_by or 'someone'}.")
            row.acknowledged_at = now
            row.acknowledged_by = actor.label
            row.updated_at = now
            session.add(row)
            AuditTrail.record(
                session, actor, batch=AuditTrail.new_batch(), action="reminder.acknowledge",
                subject_type="reminder", subject_key=series_key[:128],
                summary=f"Acknowledged reminders for {series_key}", row=row, before=before,
            )
            return _cancel_pending(session, series_key, f"acknowledged by {actor.label}")

    def snooze(self, actor: Actor, series_key: str, today: date, until: date, now: datetime | None = None) -> int:
        """Hold the series' reminders until `until`; one goes out then. Returns pending ones held back."""
        now = now or datetime.now(UTC)
        with self.db.session() as session:
            row, before = _series_row(session, series_key)
            if row.acknowledged_at is not None:
                raise AlreadyDone(
                    f"These reminders were acknowledged by {row.acknowledged_by or 'someone'}; "
                    "there is nothing to snooze."
                )
            row.snoozed_at = today
            row.snoozed_until = until
            row.snoozed_by = actor.label
            row.updated_at = now
            session.add(row)
            AuditTrail.record(
                session, actor, batch=AuditTrail.new_batch(), action="reminder.snooze",
                subject_type="reminder", subject_key=series_key[:128],
                summary=f"Snoozed reminders for {series_key} until {until.isoformat()}", row=row, before=before,
            )
            return _cancel_pending(
                session, series_key, f"snoozed by {actor.label} until {until.isoformat()}", due_before=until
            )

    def describe(self, series_key: str) -> str | None:
        """What the series is about ("Knowsley"), or None when no notification of it was ever
        decided (guards typos in /reminder)."""
        with self.db.session() as session:
            payload = session.exec(
                select(OutboxItem.payload)
                .where(OutboxItem.series_key == series_key)
                .where(OutboxItem.status != "skipped")
                .order_by(col(OutboxItem.id).desc())
                .limit(1)
            ).first()
        if payload is None:
            return None
        try:
            entities = json.loads(payload).get("entities") or {}
        except ValueError:
            entities = {}
        return str(entities.get("name") or series_key)


def _series_row(session: Session, series_key: str) -> tuple[ReminderSeries, dict[str, Any] | None]:
    row = session.exec(select(ReminderSeries).where(ReminderSeries.series_key == series_key)).first()
    if row is None:
        row = ReminderSeries(series_key=series_key)
        session.add(row)
        session.flush()
        return row, None
    return row, snapshot(row)


def _cancel_pending(session: Session, series_key: str, reason: str, *, due_before: date | None = None) -> int:
    """Cancel the series' notifications still waiting to be sent (only those due before
    `due_before` when given); returns how many."""
    statement = (
        update(OutboxItem)
        .where(col(OutboxItem.series_key) == series_key)
        .where(col(OutboxItem.status) == "pending")
    )
    if due_before is not None:
        statement = statement.where(col(OutboxItem.due_date) < due_before)
    result = session.execute(statement.values(status="cancelled", last_error=reason))
    return int(getattr(result, "rowcount", 0) or 0)


def _series_state(row: ReminderSeries) -> SeriesState:
    return SeriesState(
        series_key=row.series_key,
        acknowledged_at=aware(row.acknowledged_at),
        acknowledged_by=row.acknowledged_by,
        snoozed_at=row.snoozed_at,
        snoozed_until=row.snoozed_until,
        snoozed_by=row.snoozed_by,
    )


# --- read models the jobs need (fallbacks until the workflow services exist) ------------------


class ScheduleReads:
    def __init__(self, db: Database) -> None:
        self.db = db

    def judgements_published(self, start: date, end: date, region_id: int | None = None) -> list[JudgementChange]:
        """Ofsted judgements published in [start, end): "judgements that changed since the last digest"."""
        with self.db.session() as session:
            published = func.coalesce(OfstedJudgement.publication_date, OfstedJudgement.inspection_date)
            statement = (
                select(OfstedJudgement, Council)
                .join(Council, col(Council.id) == col(OfstedJudgement.council_id))
                .where(published >= start)
                .where(published < end)
            )
            if region_id is not None:
                statement = statement.where(col(Council.region_id) == region_id)
            rows = session.exec(statement).all()
        return sorted(
            (
                JudgementChange(
                    council=c.name, region_id=c.region_id, overall=j.overall,
                    published=j.publication_date or j.inspection_date,
                )
                for j, c in rows
            ),
            key=lambda change: (change.published, change.council),
        )

    def lead_brokers(self) -> dict[int, str]:
        """Region id -> its lead broker's name."""
        with self.db.session() as session:
            return {rid: people[0].name for rid, people in brokers_by_region(session).items() if people}


class Scheduling:
    """The scheduler's services, one attribute on :class:`bot.services.Services`."""

    def __init__(self, db: Database) -> None:
        self.subscriptions = SubscriptionService(db)
        self.outbox = OutboxService(db)
        self.series = SeriesService(db)
        self.reads = ScheduleReads(db)


def _find_subscription(session: Session, platform: str, destination: str, scope: str) -> Subscription | None:
    return session.exec(
        select(Subscription)
        .where(Subscription.platform == platform)
        .where(Subscription.destination == destination)
        .where(Subscription.scope == scope)
    ).first()
