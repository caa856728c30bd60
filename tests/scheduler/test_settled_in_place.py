"""Acknowledge and Snooze replace the reminder where it was posted, in every channel of the series,
through the real Slack sender (chat.update with the ts the outbox recorded) against the fake Slack
Web API, which only lets the app update messages it posted."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.bootstrap import build_router
from bot.core.message import Message, UserRef
from bot.services import Services
from tests.acceptance.helpers import link
from tests.fakes.slack_api import FakeSlackApi
from tests.scheduler.conftest import at
from tests.scheduler.test_slack_delivery import slack_api, slack_harness, slack_services  # noqa: F401

UPDATE = "chat.update"


def live_buttons(blocks: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    return [b for b in blocks if b.get("type") == "actions"]


def knowsley_reminders(services: Services) -> list[tuple[str, str]]:
    """(channel, ts) of each Knowsley reminder delivered, as the outbox recorded them."""
    return [(r.destination, r.message_id or "") for r in services.scheduling.outbox.list("sent", limit=500)
            if r.kind == "escalation" and "Knowsley" in r.payload]


def test_acknowledge_replaces_every_posted_copy_with_who_and_when(
    slack_services: Services, slack_api: FakeSlackApi  # noqa: F811
) -> None:
    h, _clock = slack_harness(slack_services)
    h.subscribe("North West", channel="C_NW", created=at(date(2025, 7, 13), 10))
    h.subscribe(None, channel="C_ENGLAND", created=at(date(2025, 7, 13), 10))
    h.tick(date(2025, 7, 14))
    posted = knowsley_reminders(slack_services)
    assert {channel for channel, _ in posted} == {"C_NW", "C_ENGLAND"}
    assert all(live_buttons(slack_api.messages[key]["blocks"]) for key in posted)
    series = h.posts_about("Knowsley")
    link(slack_services, "Howard Cooper", "slack:U0HOWARDC")
    [row] = {r.series_key for r in slack_services.scheduling.outbox.list("sent", limit=500)
             if r.kind == "escalation" and "Knowsley" in r.payload}
    router = build_router(slack_services)
    reply = router.handle(Message(text=f"/reminder ack {row}", user=UserRef("slack", "U0HOWARDC"),
                                  conversation="C_NW", as_of=date(2025, 7, 14)))
    assert reply.intent == "reminder_ack", reply.text
    assert reply.text.startswith("Acknowledged by Howard Cooper on 14 July 2025")
    updates = slack_api.calls_for(UPDATE, ok_only=True)
    assert sorted((u.payload["channel"], u.payload["ts"]) for u in updates) == sorted(posted)
    for key in posted:
        message = slack_api.messages[key]
        assert message["text"].startswith("Acknowledged by Howard Cooper on 14 July 2025")
        assert not live_buttons(message["blocks"])
    assert not series  # the recording sender saw nothing: every post went through Slack


def test_snooze_names_an_unlinked_presser_by_their_slack_name(
    slack_services: Services, slack_api: FakeSlackApi  # noqa: F811
) -> None:
    h, _clock = slack_harness(slack_services)
    h.subscribe("North West", channel="C_NW", created=at(date(2025, 7, 13), 10))
    h.tick(date(2025, 7, 14))
    [series] = {r.series_key for r in slack_services.scheduling.outbox.list("sent", limit=100)
                if r.kind == "escalation" and "Knowsley" in r.payload}
    settings = slack_services.settings  # an admin by platform id, on no roster: no name of ours
    as_admin = Services.create(replace(settings, admins=settings.admins | {"slack:U0GUEST01"}), slack_services.db)
    reply = build_router(as_admin).handle(Message(
        text=f"/reminder snooze {series} 1w", user=UserRef("slack", "U0GUEST01"), conversation="C_NW",
        as_of=date(2025, 7, 14), display_name="sam.guest"))
    assert reply.text.startswith("Snoozed until 21 July 2025 by sam.guest"), reply.text
    [update] = slack_api.calls_for(UPDATE, ok_only=True)
    assert "Snoozed until 21 July 2025 by sam.guest" in update.payload["text"]
    assert "U0GUEST01" not in update.payload["text"]
