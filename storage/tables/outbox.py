"""The scheduler's tables: channel subscriptions, the notification outbox, reminder series state
(Acknowledge / Snooze) and digest bookkeeping.

The outbox is what makes notifications "never lost, never doubled": every notification that falls
due becomes one row whose unique `key` (kind|subject|due date|platform:destination) is inserted
if absent in the same transaction that decides it is due, and a sender delivers pending rows.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.tables.timestamps import utc_now

NATIONAL_SCOPE = "national"


class Subscription(SQLModel, table=True):
    """A channel (Slack) or conversation (Teams) that receives digests and reminders for one
    region, or for all of England (`scope` "national", `region_id` None).

    `scope` is the region's ONS code or "national"; it carries the uniqueness because NULL
    region ids are never equal to each other in a unique constraint."""

    __table_args__ = (UniqueConstraint("platform", "destination", "scope"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)  # slack | teams
    destination: str = Field(index=True, max_length=200)  # Slack channel id / Teams conversation id
    # Where it was subscribed: the Slack workspace (team id) whose token posts here, or the Teams
    # tenant; "" when not known (the console, subscriptions made before workspaces were recorded).
    workspace: str = Field(default="", max_length=32, index=True)
    scope: str = Field(max_length=16)  # region ONS code or "national"
    region_id: int | None = Field(default=None, foreign_key="region.id", index=True)
    created_by: str = Field(default="", max_length=128)
    created_at: datetime = Field(default_factory=utc_now)
    # The moment up to which due notifications have been decided for this subscription: the
    # next pass marks anything between here and the catch-up horizon "skipped", once.
    checked_until: datetime | None = None


class OutboxItem(SQLModel, table=True):
    """One notification to deliver once: a reminder or a digest for one destination."""

    # Few indexes: a pass marks every row it sends, one durable UPDATE each, and on PostgreSQL an
    # update that changes `status` writes a new entry into every index of the table.
    __table_args__ = (
        # What a claim walks: pending rows in the order they are due. Partial, so rows once sent,
        # skipped or cancelled (almost all of them, in time) cost the claim nothing.
        Index("ix_outboxitem_pending_due", "due_at", "id", sqlite_where=text("status = 'pending'"),
              postgresql_where=text("status = 'pending'")),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=400)  # kind|subject|due date|platform:destination
    platform: str = Field(max_length=16)
    destination: str = Field(max_length=200)
    scope: str = Field(default=NATIONAL_SCOPE, max_length=16)
    kind: str = Field(max_length=32)  # escalation | peer_review | review_follow_up | signup | digest
    subject: str = Field(max_length=200)
    series_key: str = Field(index=True, max_length=200)
    due_date: date = Field(index=True)  # the nominal day (deadline minus offset, digest week day)
    due_at: datetime  # the working-day moment it should go out
    payload: str  # JSON of the neutral Reply (bot.core.reply_codec)
    status: str = Field(default="pending", max_length=16)  # pending | sent | failed | skipped | cancelled
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utc_now)
    late: bool = False
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_until: datetime | None = None
    sent_at: datetime | None = None
    message_id: str | None = Field(default=None, max_length=128)
    last_error: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(default_factory=utc_now)


class ReminderSeries(SQLModel, table=True):
    """Acknowledge / Snooze state of one reminder series (one deadline of one council, one
    review, one region's sign-up target). Acknowledged: no more reminders of the series.
    Snoozed: reminders between `snoozed_at` and `snoozed_until` are held and one goes out on
    `snoozed_until` (the next working day if that is a holiday)."""

    id: int | None = Field(default=None, primary_key=True)
    series_key: str = Field(unique=True, max_length=200)
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = Field(default=None, max_length=128)
    snoozed_at: date | None = None
    snoozed_until: date | None = None
    snoozed_by: str | None = Field(default=None, max_length=128)
    updated_at: datetime = Field(default_factory=utc_now)


class DigestRecord(SQLModel, table=True):
    """One digest decided for a subscription: the last one tells the next digest what "changed
    since the last digest" means (judgements published and ladder events logged after it)."""

    __table_args__ = (UniqueConstraint("subscription_id", "due_date"),)

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(index=True)  # no FK: records outlive an unsubscribe
    due_date: date
    covers_from: date
    created_at: datetime = Field(default_factory=utc_now)


class ChannelPacing(SQLModel, table=True):
    """When a destination may next be posted to: the one-message-per-second-per-channel pace,
    shared by every process that delivers (a `tick` beside `serve`, several servers on PostgreSQL).
    A sender reserves the next slot in a write transaction and waits until it comes."""

    channel: str = Field(primary_key=True, max_length=240)  # platform:destination
    next_free_at: datetime
