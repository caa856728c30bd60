"""Cancelling pending notifications as part of a person's write, so `/undo` can bring them back.

Unsubscribing, acknowledging or snoozing cancels outbox rows still waiting to be sent. Each
cancelled row is recorded in the audit trail in the write's batch, under the write's own summary,
so undoing the write restores the rows to pending as well as the subscription or series (and the
undo reply still names the one change the person made).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from bot.services.actors import Actor
from bot.services.audit import AuditTrail, snapshot
from storage.tables import OutboxItem


def cancel_pending(
    session: Session,
    actor: Actor,
    *,
    batch: str,
    action: str,
    subject_type: str,
    subject_key: str,
    summary: str,
    reason: str,
    where: list[Any],
) -> int:
    """Cancel the pending outbox rows matching `where` (SQLAlchemy conditions), auditing each in
    `batch`; returns how many."""
    rows = session.exec(select(OutboxItem).where(col(OutboxItem.status) == "pending", *where)).all()
    for row in rows:
        before = snapshot(row)
        row.status = "cancelled"
        row.last_error = reason[:1000]
        session.add(row)
        AuditTrail.record(
            session, actor, batch=batch, action=action, subject_type=subject_type, subject_key=subject_key,
            summary=summary, row=row, before=before,
        )
    return len(rows)
