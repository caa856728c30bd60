"""Slack adapter tables: the durable ledger of Events API deliveries already handled.

Slack redelivers an event (with `X-Slack-Retry-Num`) when it did not see our 200 in time, and can
deliver the same event twice. Claiming the `event_id` in the database, rather than in memory,
means a process restart between two deliveries still answers the event only once.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.models import utc_now


class SlackProcessedEvent(SQLModel, table=True):
    """One Events API `event_id` that has been claimed for processing (primary key = dedup key)."""

    __tablename__ = "slack_processed_event"

    event_id: str = Field(primary_key=True, max_length=64)
    event_type: str = Field(default="", max_length=64)
    team_id: str = Field(default="", max_length=32)
    retry_num: int = 0
    received_at: datetime = Field(default_factory=utc_now, index=True)
