"""Done-when: a Teams channel subscribed to a region gets its digest and reminders once each.

Everything real: the app is added to a team (conversationUpdate -> reference stored), a broker
types `@Broker bot digest subscribe West Midlands` in the channel, the scheduler's pass decides what is
due and delivers it through TeamsSender to the fake Bot Connector (with one 429 on the way).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.adapters.teams.sender import ConversationRateLimiter, TeamsSender
from bot.config import Settings
from bot.router import Router
from bot.scheduler.delivery import Deliverer
from bot.scheduler.runtime import SchedulerRuntime
from bot.services import Services
from bot.services.teams_conversations import TeamsConversations
from tests.conftest import make_settings
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.activities import (
    APP_ID,
    CHANNEL,
    USER_AAD,
    channel_mention,
    execute_press,
    installed_in_channel,
    submit_press,
)
from tests.teams.conftest import build_app, post, running


@pytest.fixture
def settings(db_path: Path) -> Settings:
    """The Teams user is an admin (subscribing a channel is a write)."""
    return make_settings(f"sqlite:///{db_path}", admins=frozenset({f"teams:{USER_AAD}"}))


@pytest.fixture
def broker_settings(teams_settings: Settings) -> Settings:
    return teams_settings


@pytest.fixture
def server(broker_settings: Settings, services: Services, router: Router) -> Iterator[str]:
    services.settings = broker_settings
    with running(build_app(broker_settings, services, router)) as url:
        yield url


def next_monday_morning(settings: Settings) -> datetime:
    """09:30 on the Monday at least a week from now: a digest (Mondays 08:00) and reminders are due."""
    now = datetime.now(settings.tz)
    day = (now + timedelta(days=7)).date()
    day += timedelta(days=(7 - day.weekday()) % 7)
    return datetime(day.year, day.month, day.day, 9, 30, tzinfo=settings.tz)


def test_subscribed_channel_gets_digest_and_reminders_once_each(
    server: str, bot_connector: FakeBotConnector, services: Services, broker_settings: Settings
) -> None:
    token = bot_connector.sign(audience=APP_ID)
    assert post(server, installed_in_channel(bot_connector.service_url), token).status_code == 202
    subscribe = channel_mention(bot_connector.service_url, "digest subscribe West Midlands")
    assert post(server, subscribe, token).status_code == 202
    _welcome, confirmation = bot_connector.wait_for(2)
    assert "subscribed" in (confirmation.activity.get("summary") or confirmation.text).lower()
    [subscription] = services.scheduling.subscriptions.for_destination("teams", CHANNEL)
    assert subscription.label == "West Midlands"

    waits: list[float] = []
    sender = TeamsSender(
        broker_settings, TeamsConversations(services.db), limiter=ConversationRateLimiter(), sleep=waits.append
    )
    deliverer = Deliverer(services.scheduling.outbox, {"teams": sender}, sleep=waits.append)
    runtime = SchedulerRuntime(services, {"teams": sender}, deliverer=deliverer)
    before = len(bot_connector.sent)
    bot_connector.fail_next(429, {"Retry-After": "1"})  # Teams throttles the first post once

    moment = next_monday_morning(broker_settings)
    first = runtime.run_pass(moment)
    again = runtime.run_pass(moment + timedelta(minutes=5))

    proactive = bot_connector.sent[before:]
    rows = [r for r in services.scheduling.outbox.list("sent", limit=1000) if r.destination == CHANNEL]
    kinds = Counter(r.kind for r in rows)
    assert kinds["digest"] == 1
    assert sum(n for kind, n in kinds.items() if kind != "digest") >= 1, kinds  # at least one reminder
    assert first.delivered.sent == len(rows) == len(proactive)
    assert first.delivered.rate_limited == 1 and first.delivered.retried == 0 and 1.0 in waits  # Retry-After waited out
    assert again.decided.inserted == 0 and again.delivered.sent == 0  # nothing twice
    assert all(s.conversation_id == CHANNEL and s.reply_to is None for s in proactive)
    assert len({r.message_id for r in rows}) == len(rows)  # each post is its own message
    assert all(s.card is not None and s.card["version"] == "1.5" for s in proactive)


def test_reminder_buttons_acknowledge_and_snooze_from_teams(
    server: str, bot_connector: FakeBotConnector, services: Services, broker_settings: Settings
) -> None:
    token = bot_connector.sign(audience=APP_ID)
    post(server, installed_in_channel(bot_connector.service_url), token)
    post(server, channel_mention(bot_connector.service_url, "digest subscribe national"), token)
    bot_connector.wait_for(2)
    sender = TeamsSender(
        broker_settings, TeamsConversations(services.db), limiter=ConversationRateLimiter(), sleep=lambda _s: None
    )
    deliverer = Deliverer(services.scheduling.outbox, {"teams": sender}, sleep=lambda _s: None)
    SchedulerRuntime(services, {"teams": sender}, deliverer=deliverer).run_pass(next_monday_morning(broker_settings))
    reminders = [s for s in bot_connector.sent if s.card and any(
        a["data"]["command"].startswith("/reminder ack") for a in s.card.get("actions", []))]
    assert len(reminders) >= 2
    first = reminders[0].card
    assert first is not None
    ack, snooze_day = (a["data"]["command"] for a in first["actions"][:2])

    before = len(bot_connector.sent)
    press = submit_press(bot_connector.service_url, ack, conversation=CHANNEL)
    assert post(server, press, token).status_code == 202
    [answer] = bot_connector.wait_for(before + 1)[before:]
    assert "acknowledged by dana director on " in (answer.activity.get("summary") or answer.text).lower()
    # The reminder itself is replaced in place (PUT .../activities/{id}): no live buttons left.
    [updated] = [u for u in bot_connector.updates if u.reply_to == reminders[0].activity_id]
    assert updated.card is not None and not updated.card.get("actions")
    assert "Acknowledged by Dana Director on " in json.dumps(updated.card)

    # Snooze another series with Action.Execute: the pressed card is replaced in place.
    second = reminders[1].card
    assert second is not None
    assert {a["type"] for a in second["actions"]} == {"Action.Execute"}  # reminders go out as Execute cards
    snooze = next(a["data"]["command"] for a in second["actions"] if a["title"] == "Snooze 1 week")
    response = post(server, execute_press(bot_connector.service_url, snooze), token)
    assert response.status_code == 200
    card = response.json()["value"]
    assert "snoozed until" in card["fallbackText"].lower() and "by dana director" in card["fallbackText"].lower()
    assert not card.get("actions")
    assert any(u.reply_to == reminders[1].activity_id and not (u.card or {}).get("actions")
               for u in bot_connector.updates)
    assert snooze_day.endswith(" 1d")
    assert not bot_connector.refused
