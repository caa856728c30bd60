"""Reminder series: Acknowledge stops one, Snooze holds it until a day."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from bot.core import reply_codec
from bot.core.errors import AlreadyDone
from bot.core.reply import Reply
from bot.services.actors import Actor
from bot.services.audit import AuditTrail, snapshot
from bot.services.scheduling.cancellation import cancel_pending
from bot.services.scheduling.values import SeriesState, aware
from storage.db import Database
from storage.tables import (
    OutboxItem,
    ReminderSeries,
)

# How long "Snooze" holds a series' reminders: the button's argument -> the period.
SNOOZE_PERIODS = {"1d": timedelta(days=1), "1w": timedelta(days=7)}


@dataclass(frozen=True)
class PostedCopy:
    """One reminder of a series as posted: where, and the platform's id of the message (Slack ts,
    Teams activity id), so Acknowledge and Snooze can replace it in place."""

    platform: str
    destination: str
    message_id: str


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
            batch, summary = AuditTrail.new_batch(), f"Acknowledged reminders for {series_key}"
            AuditTrail.record(
                session, actor, batch=batch, action="reminder.acknowledge",
                subject_type="reminder", subject_key=series_key[:128], summary=summary, row=row, before=before,
            )
            return cancel_pending(
                session, actor, batch=batch, action="reminder.acknowledge", subject_type="reminder",
                subject_key=series_key[:128], summary=summary, reason=f"acknowledged by {actor.label}",
                where=[col(OutboxItem.series_key) == series_key],
            )

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
            batch = AuditTrail.new_batch()
            summary = f"Snoozed reminders for {series_key} until {until.isoformat()}"
            AuditTrail.record(
                session, actor, batch=batch, action="reminder.snooze",
                subject_type="reminder", subject_key=series_key[:128], summary=summary, row=row, before=before,
            )
            return cancel_pending(
                session, actor, batch=batch, action="reminder.snooze", subject_type="reminder",
                subject_key=series_key[:128], summary=summary,
                reason=f"snoozed by {actor.label} until {until.isoformat()}",
                where=[col(OutboxItem.series_key) == series_key, col(OutboxItem.due_date) < until],
            )

    def posted_copies(self, series_key: str) -> list[PostedCopy]:
        """Every reminder of the series that was delivered, in every channel, oldest first."""
        with self.db.session() as session:
            rows = session.exec(
                select(OutboxItem.platform, OutboxItem.destination, OutboxItem.message_id)
                .where(OutboxItem.series_key == series_key)
                .where(OutboxItem.status == "sent")
                .where(col(OutboxItem.message_id).is_not(None))
                .order_by(col(OutboxItem.id))
            ).all()
        return list(dict.fromkeys(PostedCopy(p, d, m) for p, d, m in rows if m))

    def latest_reminder(self, series_key: str) -> Reply | None:
        """The newest reminder of the series as it was worded (sent or waiting), or None."""
        with self.db.session() as session:
            payload = session.exec(
                select(OutboxItem.payload)
                .where(OutboxItem.series_key == series_key)
                .where(col(OutboxItem.status).in_(("sent", "pending", "cancelled")))
                .order_by(col(OutboxItem.id).desc())
                .limit(1)
            ).first()
        if payload is None:
            return None
        try:
            return reply_codec.loads(payload)
        except (ValueError, KeyError, TypeError):
            return None

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


def _series_state(row: ReminderSeries) -> SeriesState:
    return SeriesState(
        series_key=row.series_key,
        acknowledged_at=aware(row.acknowledged_at),
        acknowledged_by=row.acknowledged_by,
        snoozed_at=row.snoozed_at,
        snoozed_until=row.snoozed_until,
        snoozed_by=row.snoozed_by,
    )
