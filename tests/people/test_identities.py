"""The identity service's rules, with a stand-in for the platform (the one thing outside): when it
asks, what it remembers, and that nothing waits on the platform inside a transaction."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from bot.core.message import UserRef
from bot.services import Services
from bot.services.identities import MISS_TTL, ChatProfile, Identities

PAUL = UserRef("slack", "U0PAUL001", "T0FAKE001")


class Platform:
    """Answers like a platform would: the email it has for a user, after an optional wait."""

    def __init__(self, emails: dict[str, str], wait: threading.Event | None = None) -> None:
        self.emails = emails
        self.wait = wait
        self.asked: list[str] = []

    def profile_of(self, user: UserRef, conversation: str) -> ChatProfile | None:
        self.asked.append(user.id)
        if self.wait is not None:
            self.wait.wait(5)
        return ChatProfile(self.emails.get(user.id))


def test_nothing_is_looked_up_inside_a_unit_of_work(services: Services) -> None:
    platform = Platform({PAUL.id: "curran56@yahoo.co.uk"})
    services.identities.lookups = {"slack": platform}
    with services.db.unit_of_work():
        assert services.identities.recognise(PAUL) is None
    assert platform.asked == []
    assert services.identities.recognise(PAUL) == "Paul Curran"
    assert services.identities.take_notice(PAUL) == "You are linked as Paul Curran, lead broker for London."
    assert services.identities.take_notice(PAUL) is None  # once


def test_a_slow_platform_leaves_a_reader_and_is_asked_again_later(services: Services) -> None:
    released = threading.Event()
    now = [datetime(2026, 11, 24, 10, 0, tzinfo=UTC)]
    identities = Identities(services.db, timeout=0.2, clock=lambda: now[0])
    platform = Platform({PAUL.id: "curran56@yahoo.co.uk"}, wait=released)
    identities.lookups = {"slack": platform}
    try:
        assert identities.recognise(PAUL) is None
        assert identities.recognise(PAUL) is None  # a failure is remembered for a while
        assert platform.asked == [PAUL.id]
        released.set()
        now[0] += timedelta(minutes=11)
        assert identities.recognise(PAUL) == "Paul Curran"
    finally:
        released.set()
        identities.shutdown()


def test_misses_are_remembered_for_hours_then_asked_again(services: Services) -> None:
    now = [datetime(2026, 11, 24, 10, 0, tzinfo=UTC)]
    identities = Identities(services.db, clock=lambda: now[0])
    platform = Platform({PAUL.id: "paul@elsewhere.example"})
    identities.lookups = {"slack": platform}
    assert identities.recognise(PAUL) is None
    now[0] += MISS_TTL - timedelta(minutes=1)
    assert identities.recognise(PAUL) is None
    assert len(platform.asked) == 1
    now[0] += timedelta(minutes=2)
    platform.emails[PAUL.id] = "curran56@yahoo.co.uk"  # their Slack email changed
    assert identities.recognise(PAUL) == "Paul Curran"
    assert len(platform.asked) == 2
    identities.shutdown()


def test_platforms_without_a_lookup_and_the_console_are_left_alone(services: Services) -> None:
    services.identities.lookups = {}
    assert services.identities.recognise(PAUL) is None
    assert services.identities.recognise(UserRef("console", "local")) is None


def test_linking_by_email_on_postgresql(pg_services: Services) -> None:
    platform = Platform({"aad-paul": "Curran56@yahoo.co.uk"})
    pg_services.identities.lookups = {"teams": platform}
    paul = UserRef("teams", "aad-paul", "tenant-1")
    assert pg_services.identities.recognise(paul, "a:personal") == "Paul Curran"
    row = next(r for r in pg_services.roster.people() if r.name == "Paul Curran")
    assert (row.teams_user_id, row.teams_tenant_id) == ("aad-paul", "tenant-1")
    assert pg_services.identities.recognise(paul) is None and len(platform.asked) == 1
