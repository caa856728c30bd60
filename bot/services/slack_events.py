"""The ledger of Slack Events API deliveries already handled, so each event is answered once.

Slack retries a delivery it thinks failed (header `X-Slack-Retry-Num`) and may deliver an event
twice. The first claim of an `event_id` wins, whatever retry number it carries; later claims
lose. The claim is a row in the database (primary key `event_id`), so it survives restarts and
is shared by every server process on the same database.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete

from storage.db import Database
from storage.tables import SlackProcessedEvent, utc_now

KEEP_FOR = timedelta(days=3)  # Slack stops retrying within hours; three days is generous.


class ProcessedEvents:
    """Claims event ids durably; see the module docstring."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def claim(self, event_id: str, *, event_type: str = "", team_id: str = "", retry_num: int = 0) -> bool:
        """True the first time `event_id` is claimed (process it); False for any later delivery."""
        try:
            with self.db.session() as session:
                session.add(
                    SlackProcessedEvent(
                        event_id=event_id[:64],
                        event_type=event_type[:64],
                        team_id=team_id[:32],
                        retry_num=retry_num,
                    )
                )
        except IntegrityError:
            return False
        return True

    def seen(self, event_id: str) -> bool:
        with self.db.session() as session:
            return session.get(SlackProcessedEvent, event_id[:64]) is not None

    def prune(self, now: datetime | None = None) -> int:
        """Forget claims older than :data:`KEEP_FOR`; returns how many were removed."""
        cutoff = (now or utc_now()) - KEEP_FOR
        with self.db.session() as session:
            result = session.exec(
                delete(SlackProcessedEvent).where(col(SlackProcessedEvent.received_at) < cutoff)
            )
            return int(result.rowcount or 0)
