"""Scheduler test helpers: a controllable clock, a recording sender, and passes at chosen moments."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.bootstrap import open_database
from bot.core.message import CONSOLE_USER
from bot.core.reply import Reply
from bot.scheduler.delivery import Deliverer
from bot.scheduler.runtime import PassReport, SchedulerRuntime
from bot.services import Services
from bot.services.scheduling import SubscriptionView
from tests.conftest import make_settings

LONDON = ZoneInfo("Europe/London")


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


class FakeClock:
    """monotonic() and sleep() that only move when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@dataclass
class RecordingSender:
    posts: list[tuple[str, Reply]] = field(default_factory=list)

    def send(self, destination: str, reply: Reply) -> str | None:
        self.posts.append((destination, reply))
        return f"{len(self.posts)}.000"

    def titles(self, contains: str = "") -> list[str]:
        return [r.title or "" for _, r in self.posts if contains in (r.title or "")]


@dataclass
class Harness:
    services: Services
    sender: RecordingSender
    clock: FakeClock
    runtime: SchedulerRuntime

    def tick(self, day: date, hour: int = 12) -> PassReport:
        return self.runtime.run_pass(at(day, hour))

    def subscribe(self, region: str | None, channel: str = "C_NW", created: datetime | None = None,
                  platform: str = "slack") -> SubscriptionView:
        directory = self.services.directory
        info = directory.region(directory.resolve_region(region).match or 0) if region else None
        actor = self.services.actors.actor_for(CONSOLE_USER)
        return self.services.scheduling.subscriptions.subscribe(actor, platform, channel, info, created)

    def posts_about(self, name: str) -> list[Reply]:
        return [r for _, r in self.sender.posts if r.entities.get("name") == name]


def make_harness(services: Services) -> Harness:
    sender = RecordingSender()
    clock = FakeClock()
    deliverer = Deliverer(services.scheduling.outbox, {"slack": sender}, sleep=clock.sleep,
                          monotonic=clock.monotonic, worker="test-worker")
    runtime = SchedulerRuntime(services, {"slack": sender}, deliverer=deliverer)
    return Harness(services, sender, clock, runtime)


@pytest.fixture
def sched_services(db_path: Path) -> Iterator[Services]:
    settings = make_settings(f"sqlite:///{db_path}", signup_target_date=date(2026, 12, 31))
    db = open_database(settings)
    yield Services.create(settings, db)
    db.dispose()


@pytest.fixture
def harness(sched_services: Services) -> Harness:
    return make_harness(sched_services)
