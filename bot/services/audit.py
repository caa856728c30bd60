"""Recording writes in the audit trail, listing them, and undoing a batch.

Services call :meth:`AuditTrail.record` inside the same session (one transaction) as the write,
so the change and its audit entry land together or not at all.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, SQLModel, col, select

from bot.core.errors import NothingToUndo
from bot.services.actors import Actor
from storage.db import Database
from storage.tables import AuditEntry, Council, Region

UNDO_WINDOW = timedelta(minutes=10)


def snapshot(row: SQLModel) -> dict[str, Any]:
    """A JSON-able copy of a row's columns (dates as ISO strings)."""
    return json.loads(json.dumps(row.model_dump(), default=_json_default))


def _json_default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class AuditView:
    at: datetime
    actor: str
    platform: str
    action: str
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    undone: bool


@dataclass(frozen=True)
class UndoResult:
    summaries: tuple[str, ...]
    at: datetime


class AuditTrail:
    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    def new_batch() -> str:
        return str(uuid.uuid4())

    @staticmethod
    def record(
        session: Session,
        actor: Actor,
        *,
        batch: str,
        action: str,
        subject_type: str,
        subject_key: str,
        summary: str,
        row: SQLModel,
        before: dict[str, Any] | None,
        deleted: bool = False,
    ) -> None:
        """Record one changed row. Call after `session.flush()` so the row has its id."""
        session.flush()
        row_id = getattr(row, "id", None)
        if row_id is None:
            raise ValueError("audit needs a flushed row with an id")
        session.add(
            AuditEntry(
                batch=batch,
                actor_platform=actor.platform,
                actor_id=actor.user_id,
                actor_name=actor.name,
                action=action,
                subject_type=subject_type,
                subject_key=subject_key,
                summary=summary,
                table_name=str(row.__tablename__),
                row_id=row_id,
                before_json=json.dumps(before) if before is not None else None,
                after_json=None if deleted else json.dumps(snapshot(row)),
            )
        )

    def history(self, subject_type: str, subject_key: str, limit: int = 20) -> list[AuditView]:
        with self.db.session() as session:
            rows = session.exec(
                select(AuditEntry)
                .where(AuditEntry.subject_type == subject_type)
                .where(AuditEntry.subject_key == subject_key)
                .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
                .limit(limit)
            ).all()
            return [_view(r) for r in rows]

    def region_history(self, region_code: str, limit: int = 30) -> list[AuditView]:
        """A region's own changes (sign-up) and those of the councils in it (escalations, peer
        reviews...), newest first."""
        with self.db.session() as session:
            codes = list(
                session.exec(
                    select(Council.ons_code)
                    .join(Region, col(Region.id) == Council.region_id)
                    .where(Region.code == region_code)
                ).all()
            )
            rows = session.exec(
                select(AuditEntry)
                .where(
                    or_(
                        and_(col(AuditEntry.subject_type) == "region", col(AuditEntry.subject_key) == region_code),
                        and_(col(AuditEntry.subject_type) == "council", col(AuditEntry.subject_key).in_(codes)),
                    )
                )
                .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
                .limit(limit)
            ).all()
            return [_view(r) for r in rows]

    def undo_last(self, actor: Actor, now: datetime | None = None) -> UndoResult:
        """Revert the actor's own most recent batch if it is under ten minutes old."""
        now = now or datetime.now(UTC)
        with self.db.session() as session:
            last = session.exec(
                select(AuditEntry)
                .where(AuditEntry.actor_platform == actor.platform)
                .where(AuditEntry.actor_id == actor.user_id)
                .where(col(AuditEntry.undone_at).is_(None))
                .where(col(AuditEntry.action) != "undo")
                .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
            ).first()
            if last is None:
                raise NothingToUndo("You have no change to undo.")
            at = last.at if last.at.tzinfo else last.at.replace(tzinfo=UTC)
            if now - at > UNDO_WINDOW:
                raise NothingToUndo(
                    f"Your last change ({last.summary}) was made more than ten minutes ago, so it "
                    "can no longer be undone with /undo; change it back with the command instead."
                )
            entries = session.exec(
                select(AuditEntry).where(AuditEntry.batch == last.batch).order_by(col(AuditEntry.id).desc())
            ).all()
            for entry in entries:
                if _changed_since(session, entry):
                    raise NothingToUndo(
                        f"Your last change ({entry.summary}) has been changed again since, so /undo "
                        "would overwrite someone else's work; change it back with the command instead."
                    )
            for entry in entries:
                _revert(session, entry)
                entry.undone_at = now
                entry.undone_by = actor.label
                session.add(entry)
            # A change audited on several subjects (peer challenge: giver and receiver) has one
            # entry per subject with the same summary; the person undid one change, so say it once.
            summaries = tuple(dict.fromkeys(e.summary for e in reversed(entries)))
            return UndoResult(summaries=summaries, at=at)


def _view(r: AuditEntry) -> AuditView:
    return AuditView(
        at=r.at,
        actor=r.actor_name or r.actor_id,
        platform=r.actor_platform,
        action=r.action,
        summary=r.summary,
        before=json.loads(r.before_json) if r.before_json else None,
        after=json.loads(r.after_json) if r.after_json else None,
        undone=r.undone_at is not None,
    )


def _model_for(table_name: str) -> type[SQLModel]:
    for mapper in SQLModel._sa_registry.mappers:
        cls = mapper.class_
        if getattr(cls, "__tablename__", None) == table_name:
            return cls
    raise LookupError(f"no table {table_name}")


def _normalise(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """Column values comparable across a database round trip (SQLite drops time zones)."""
    if values is None:
        return None
    result: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, str) and len(value) >= 19 and value[10:11] in {"T", " "}:
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                if parsed.tzinfo is not None:
                    parsed = parsed.astimezone(UTC).replace(tzinfo=None)
                value = parsed.isoformat()
        result[key] = value
    return result


def _changed_since(session: Session, entry: AuditEntry) -> bool:
    """True when the row no longer holds what this entry wrote (a later write touched it)."""
    current = session.get(_model_for(entry.table_name), entry.row_id)
    if entry.after_json is None:
        return current is not None
    if current is None:
        return True
    return _normalise(snapshot(current)) != _normalise(json.loads(entry.after_json))


def _revert(session: Session, entry: AuditEntry) -> None:
    model = _model_for(entry.table_name)
    current = session.get(model, entry.row_id)
    if entry.before_json is None:
        if current is not None:
            session.delete(current)
        session.flush()
        return
    before = json.loads(entry.before_json)
    restored = model.model_validate(before)
    if current is None:
        session.add(restored)
    else:
        for key in before:
            setattr(current, key, getattr(restored, key))
        session.add(current)
    session.flush()
