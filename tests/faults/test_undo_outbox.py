"""/undo restores everything its write changed, the outbox rows it cancelled included."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.scheduler.jobs import decide
from bot.services import Services
from tests.scheduler.conftest import at

ADMIN = "slack:UADMIN1"


def pending_for(services: Services, channel: str) -> list[int]:
    return sorted(r.id for r in services.scheduling.outbox.list("pending", limit=1000) if r.destination == channel)


def test_undo_of_unsubscribe_brings_back_the_pending_notifications(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    services.actors.settings = replace(services.settings, admins=frozenset({"UADMIN1"}))
    assert ask("/digest subscribe North West", user=ADMIN, conversation="C_NW").intent == "digest_subscribe"
    decide(services, at(date(2026, 11, 30), 12))  # the Monday digest and reminders fall due
    pending = pending_for(services, "C_NW")
    assert pending, "the pass should have queued notifications for C_NW"

    gone = ask("/digest unsubscribe North West", user=ADMIN, conversation="C_NW")
    assert gone.intent == "digest_unsubscribe", gone.text
    assert pending_for(services, "C_NW") == []

    undone = ask("/undo", user=ADMIN, conversation="C_NW")
    assert undone.kind != "error", undone.text
    assert undone.text.count("Unsubscribed slack:C_NW") == 1  # one change, named once
    assert [s.scope for s in services.scheduling.subscriptions.for_destination("slack", "C_NW")] == ["E12000002"]
    assert pending_for(services, "C_NW") == pending
    rows = [r for r in services.scheduling.outbox.list("pending", limit=1000) if r.id in pending]
    assert all(r.last_error is None for r in rows)


def test_undo_of_acknowledge_brings_back_the_series_reminders(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    services.actors.settings = replace(services.settings, admins=frozenset({"UADMIN1"}))
    ask("/digest subscribe North West", user=ADMIN, conversation="C_NW")
    decide(services, at(date(2026, 11, 30), 12))
    reminders = [r for r in services.scheduling.outbox.list("pending", limit=1000)
                 if r.destination == "C_NW" and r.kind != "digest"]
    assert reminders, "the pass should have queued reminders for C_NW"
    series = reminders[0].series_key
    before = sorted(r.id for r in reminders if r.series_key == series)
    acknowledged = ask(f"/reminder acknowledge {series}", user=ADMIN, conversation="C_NW")
    assert acknowledged.kind != "error", acknowledged.text
    assert not any(r.series_key == series for r in services.scheduling.outbox.list("pending", limit=1000))
    assert ask("/undo", user=ADMIN, conversation="C_NW").kind != "error"
    after = sorted(r.id for r in services.scheduling.outbox.list("pending", limit=1000) if r.series_key == series)
    assert after == before
