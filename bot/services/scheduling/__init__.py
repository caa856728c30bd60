"""The scheduler's services: subscriptions, the outbox, reminder series and what digests read.

One attribute on :class:`bot.services.Services` (`services.scheduling`); the storage rules live
in one module each.
"""

from __future__ import annotations

from bot.services.scheduling.outbox import OutboxService
from bot.services.scheduling.reads import ScheduleReads
from bot.services.scheduling.series import SNOOZE_PERIODS, PostedCopy, SeriesService
from bot.services.scheduling.subscriptions import SubscriptionService
from bot.services.scheduling.values import (
    PLATFORMS,
    JudgementChange,
    NewOutboxRow,
    OutboxView,
    SeriesState,
    SubscriptionRows,
    SubscriptionView,
)
from storage.db import Database


class Scheduling:
    """The scheduler's services, one attribute on :class:`bot.services.Services`."""

    def __init__(self, db: Database) -> None:
        self.subscriptions = SubscriptionService(db)
        self.outbox = OutboxService(db)
        self.series = SeriesService(db)
        self.reads = ScheduleReads(db)


__all__ = [
    "PLATFORMS",
    "SNOOZE_PERIODS",
    "JudgementChange",
    "NewOutboxRow",
    "OutboxService",
    "OutboxView",
    "PostedCopy",
    "ScheduleReads",
    "Scheduling",
    "SeriesService",
    "SeriesState",
    "SubscriptionRows",
    "SubscriptionService",
    "SubscriptionView",
]
