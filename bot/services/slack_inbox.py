"""The Slack inbox: every acknowledged slash command, button press and event, durably.

Acknowledged means durable: a request is written here before Slack gets its 200, and a worker
works it from here. A worker first *claims* a row (one conditional UPDATE, so exactly one
claimer wins on SQLite and on PostgreSQL) for a lease; the command's own writes and the row's
completion then commit in ONE transaction (`Database.transaction`), so a crash at any point
either leaves both undone (the row is claimed again once its lease has passed, and run again:
once) or both done. The reply is kept with the completion and sent afterwards; a crash between
the two sends the kept reply after the restart instead of running the command again.

A redelivery of the same request (Slack's retry of an event, a replayed signed request) finds
the existing row by `request_key` and is not run again, whatever state the first one is in.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, cast

from sqlalchemy import Table, and_, case, insert, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete, select

from bot.core import reply_codec
from bot.core.reply import Reply, error
from storage.db import Database
from storage.tables import SlackInboxItem, utc_now

Kind = Literal["command", "action", "event"]
KEEP_FOR = timedelta(days=3)  # Slack stops retrying within hours and refuses replays after 5 minutes
MAX_ATTEMPTS = 3  # a request that took the process down this many times is answered with an apology
DEFAULT_LEASE = timedelta(seconds=30)
INBOX: Table = SlackInboxItem.__table__  # type: ignore[attr-defined]  # for Core statements

GAVE_UP = error(
    "Sorry, I couldn't finish that: I was restarted while working on it, more than once. Nothing "
    "was changed. Please try again in a few minutes.",
    intent="error",
)


class _LeaseLost(Exception):
    """Another worker took the row meanwhile: roll back everything this one did."""


@dataclass(frozen=True)
class Intake:
    """What `accept` did: `new` is False when the request was already in the inbox (a redelivery)."""

    item_id: int
    new: bool
    status: str


@dataclass(frozen=True)
class Claim:
    """A row this worker holds until its lease passes. `reply` is set when the work was already
    done and committed and only the answer is left to send."""

    item_id: int
    kind: Kind
    payload: dict[str, Any]
    attempts: int
    token: str
    reply: Reply | None

    @property
    def exhausted(self) -> bool:
        return self.reply is None and self.attempts > MAX_ATTEMPTS


class SlackInbox:
    """Owns the `slack_inbox` table; see the module docstring."""

    def __init__(self, db: Database, lease: timedelta = DEFAULT_LEASE) -> None:
        self.db = db
        self.lease = lease

    # --- intake (before the acknowledgement) --------------------------------------------------

    def accept(self, request_key: str, kind: Kind, payload: dict[str, Any]) -> Intake:
        """Record a request, or find the row of an earlier delivery of the same one."""
        key = request_key[:200]
        try:
            with self.db.write_connection() as connection:  # an acknowledgement waits on it
                row = SlackInboxItem(request_key=key, kind=kind, payload=json.dumps(payload))  # its defaults
                values = row.model_dump(exclude={"id"})
                item_id = connection.execute(insert(INBOX).values(**values).returning(INBOX.c.id)).scalar_one()
                return Intake(item_id=item_id, new=True, status=row.status)
        except IntegrityError:
            pass
        with self.db.session() as session:
            session.exec(update(SlackInboxItem).where(col(SlackInboxItem.request_key) == key)
                         .values(deliveries=SlackInboxItem.deliveries + 1))
            found = session.exec(select(SlackInboxItem).where(SlackInboxItem.request_key == key)).one()
            return Intake(item_id=found.id or 0, new=False, status=found.status)

    # --- the worker's side ---------------------------------------------------------------------

    def due(self, limit: int, *, pending_for: timedelta, now: datetime | None = None) -> list[int]:
        """Rows nobody is working on: pending for longer than `pending_for` (never queued, or
        queued by a process that died), or claimed under a lease that has passed. Oldest first."""
        now = now or utc_now()
        with self.db.session() as session:
            rows = session.exec(
                select(SlackInboxItem.id).where(_claimable(now, pending_before=now - pending_for))
                .order_by(col(SlackInboxItem.id)).limit(limit)
            ).all()
        return [int(r) for r in rows if r is not None]

    def claim(self, item_id: int, now: datetime | None = None) -> Claim | None:
        """Take the row for one lease, or None if another worker has it or it is finished."""
        now = now or utc_now()
        token = uuid.uuid4().hex
        with self.db.write_connection() as connection:
            # One Core statement (no ORM bookkeeping) that also returns the claimed row: every
            # answer starts with it.
            row = connection.execute(
                update(INBOX)
                .where(INBOX.c.id == item_id, _claimable(now, pending_before=None))
                .values(claimed_by=token, lease_until=now + self.lease,
                        status=_case_status(), attempts=_case_attempts())
                .returning(INBOX.c.kind, INBOX.c.payload, INBOX.c.attempts, INBOX.c.status, INBOX.c.reply)
            ).one_or_none()
            if row is None:
                return None
            kind, payload, attempts, status, kept = row
            reply = reply_codec.loads(kept) if status == "answering" and kept else None
            return Claim(item_id=item_id, kind=cast(Kind, kind), payload=json.loads(payload),
                         attempts=attempts, token=token, reply=reply)

    def run(self, claim: Claim, work: Callable[[], Reply | None]) -> tuple[bool, Reply | None]:
        """Do `work()` (-> Reply or None) and complete the row in one transaction.

        The work joins this unit of work (the router's own unit becomes a savepoint inside it), so
        its writes and the row's completion commit together or not at all: a crash in between
        leaves the row to be worked again with nothing of it written. An error reply keeps none of
        the work's writes. Returns (True, reply) once committed; (False, None) when the lease was
        lost to another worker meanwhile (nothing is kept: that worker runs it)."""
        try:
            with self.db.unit_of_work() as session:
                attempt = session.begin_nested()
                try:
                    reply: Reply | None = work()
                except BaseException:
                    attempt.rollback()
                    raise
                if reply is not None and not reply.ok:
                    attempt.rollback()
                else:
                    attempt.commit()
                if not self._complete(session, claim, reply):
                    raise _LeaseLost
        except _LeaseLost:
            return False, None
        return True, reply

    def give_up(self, claim: Claim) -> bool:
        """Keep the apology as the reply of a request that keeps taking the process down (sent like
        any reply); True if this worker still held the row."""
        with self.db.session() as session:
            return self._complete(session, claim, GAVE_UP)

    def answered(self, claim: Claim, now: datetime | None = None) -> None:
        """The reply has been sent: the row is finished."""
        with self.db.write_connection() as connection:
            connection.execute(
                update(INBOX)
                .where(INBOX.c.id == claim.item_id, INBOX.c.claimed_by == claim.token)
                .values(status="done", reply="", lease_until=None, finished_at=now or utc_now())
            )

    def _complete(self, session: Any, claim: Claim, reply: Reply | None) -> bool:
        values: dict[str, Any]
        if reply is None:  # nothing to send (a Home tab already published)
            values = {"status": "done", "reply": "", "lease_until": None, "finished_at": utc_now()}
        else:
            values = {"status": "answering", "reply": reply_codec.dumps(reply),
                      "lease_until": utc_now() + self.lease}
        result = session.connection().execute(
            update(INBOX)
            .where(INBOX.c.id == claim.item_id, INBOX.c.claimed_by == claim.token, INBOX.c.status == "running")
            .values(**values)
        )
        return bool(result.rowcount == 1)

    # --- upkeep ----------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per status (for tests, benchmarks and the operator)."""
        with self.db.session() as session:
            rows = session.exec(select(SlackInboxItem.status)).all()
        tally: dict[str, int] = {}
        for status in rows:
            tally[status] = tally.get(status, 0) + 1
        return tally

    def prune(self, now: datetime | None = None) -> int:
        """Forget finished rows older than :data:`KEEP_FOR`; returns how many were removed."""
        cutoff = (now or utc_now()) - KEEP_FOR
        with self.db.session() as session:
            result = session.exec(
                delete(SlackInboxItem).where(col(SlackInboxItem.received_at) < cutoff,
                                             col(SlackInboxItem.status) == "done")
            )
            return int(result.rowcount or 0)


def _claimable(now: datetime, *, pending_before: datetime | None) -> Any:
    pending = col(SlackInboxItem.status) == "pending"
    if pending_before is not None:
        pending = and_(pending, col(SlackInboxItem.received_at) < pending_before)
    lapsed = and_(col(SlackInboxItem.status).in_(("running", "answering")), col(SlackInboxItem.lease_until) < now)
    return or_(pending, lapsed)


def _case_status() -> Any:
    return case((col(SlackInboxItem.status) == "answering", "answering"), else_="running")


def _case_attempts() -> Any:
    return case((col(SlackInboxItem.status) == "answering", SlackInboxItem.attempts),
                else_=SlackInboxItem.attempts + 1)
