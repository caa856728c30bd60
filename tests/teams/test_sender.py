"""Proactive sends through TeamsSender: the SDK's continue_conversation to the fake Bot Connector,
with Teams' throttling answers mapped onto the outbox's retry contract."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from bot.adapters.teams.sender import (
    MAX_INLINE_WAIT,
    ConversationRateLimiter,
    TeamsSender,
)
from bot.bootstrap import SENDER_FACTORIES, build_senders
from bot.config import Settings
from bot.core.reply import Action, Reply
from bot.scheduler.senders import PermanentSendError, RetryableSendError
from bot.services import Services
from bot.services.teams_conversations import TeamsConversations
from tests.fakes.bot_connector import FakeBotConnector, null_paths
from tests.teams.activities import BOT_ID, BOT_NAME, CHANNEL, TENANT

REMINDER = Reply(
    text="Harrow's six-month deadline to improve is 4 March 2027 (in 5 working days).",
    title="Deadline reminder: Harrow",
    actions=(Action("Acknowledge", "/reminder ack 42", style="primary"),
             Action("Snooze a week", "/reminder snooze 42 1w")),
    intent="reminder",
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def conversations(services: Services, bot_connector: FakeBotConnector) -> TeamsConversations:
    store = TeamsConversations(services.db)
    reference = {
        "bot": {"id": BOT_ID, "name": BOT_NAME},
        "channelId": "msteams",
        "conversation": {"id": CHANNEL, "conversationType": "channel", "isGroup": True, "tenantId": TENANT},
        "serviceUrl": bot_connector.service_url,
        "locale": "en-GB",
    }
    store.remember(CHANNEL, reference, service_url=bot_connector.service_url, conversation_type="channel",
                   tenant_id=TENANT, source="install")
    return store


@pytest.fixture
def sender(teams_settings: Settings, conversations: TeamsConversations, clock: Clock) -> Iterator[TeamsSender]:
    waits: list[float] = []
    yield TeamsSender(teams_settings, conversations, ConversationRateLimiter(clock=clock), sleep=waits.append)


def test_proactive_send_posts_a_new_card_to_the_stored_conversation(
    sender: TeamsSender, bot_connector: FakeBotConnector
) -> None:
    message_id = sender.send(CHANNEL, REMINDER)
    [sent] = bot_connector.sent
    assert message_id == "1:1"
    assert sent.conversation_id == CHANNEL
    assert sent.reply_to is None  # a new post in the channel, not a reply
    assert sent.token and sent.token.startswith("fake-app-token-")
    assert sent.card is not None
    assert [a["data"]["command"] for a in sent.card["actions"]] == ["/reminder ack 42", "/reminder snooze 42 1w"]


def test_429_with_retry_after_is_retryable_then_succeeds(
    sender: TeamsSender, bot_connector: FakeBotConnector, clock: Clock
) -> None:
    bot_connector.fail_next(429, {"Retry-After": "3"})
    with pytest.raises(RetryableSendError) as raised:
        sender.send(CHANNEL, REMINDER)
    assert raised.value.retry_after == 3.0
    # Until Retry-After has passed, the sender does not even try (Teams' per-conversation back-off).
    with pytest.raises(RetryableSendError):
        sender.send(CHANNEL, REMINDER)
    assert len(bot_connector.attempts) == 1
    clock.now += 3.0
    assert sender.send(CHANNEL, REMINDER) is not None
    assert [a.status for a in bot_connector.attempts] == [429, 201]
    assert len(bot_connector.sent) == 1


@pytest.mark.parametrize("status", [412, 502, 504, 500, 503])
def test_transient_statuses_are_retryable(sender: TeamsSender, bot_connector: FakeBotConnector, status: int) -> None:
    bot_connector.fail_next(status)
    with pytest.raises(RetryableSendError) as raised:
        sender.send(CHANNEL, REMINDER)
    assert raised.value.retry_after is None  # no Retry-After given: the outbox backs off
    assert bot_connector.sent == []


def test_bot_removed_from_the_conversation_is_permanent_and_stops_sends(
    sender: TeamsSender, bot_connector: FakeBotConnector, conversations: TeamsConversations
) -> None:
    bot_connector.fail_next(403)
    with pytest.raises(PermanentSendError):
        sender.send(CHANNEL, REMINDER)
    assert conversations.get(CHANNEL).active  # type: ignore[union-attr]  # a bare 403 may be a token problem
    bot_connector.fail_next(404)
    with pytest.raises(PermanentSendError):
        sender.send(CHANNEL, REMINDER)
    assert not conversations.get(CHANNEL).active  # type: ignore[union-attr]
    with pytest.raises(PermanentSendError, match="removed"):
        sender.send(CHANNEL, REMINDER)


def test_unknown_conversation_is_permanent(sender: TeamsSender) -> None:
    with pytest.raises(PermanentSendError, match="add the app"):
        sender.send("19:never-installed@thread.tacv2", REMINDER)


def test_per_conversation_rate_limit_is_honoured(clock: Clock) -> None:
    limiter = ConversationRateLimiter(clock=clock)
    for _ in range(7):
        assert limiter.delay("c1") == 0
        limiter.record("c1")
    assert limiter.delay("c1") == pytest.approx(1.0)  # 7 a second
    assert limiter.delay("c2") == 0  # per conversation
    clock.now += 1.0
    limiter.record("c1")
    assert limiter.delay("c1") == pytest.approx(1.0)  # 8 in 2 seconds
    steady = ConversationRateLimiter(clock=clock)
    for _ in range(60):  # 2.5 a second: inside the 1 s and 2 s limits...
        assert steady.delay("c3") == 0
        steady.record("c3")
        clock.now += 0.4
    # ...but 60 in 24 s: the 61st waits until the first is 30 s old, too long to wait inline.
    assert steady.delay("c3") == pytest.approx(6.0)
    assert steady.delay("c3") > MAX_INLINE_WAIT


def test_over_the_limit_the_sender_hands_the_row_back(sender: TeamsSender, clock: Clock) -> None:
    for _ in range(60):
        sender.limiter.record(CHANNEL)
    with pytest.raises(RetryableSendError) as raised:
        sender.send(CHANNEL, REMINDER)
    assert raised.value.retry_after is not None and raised.value.retry_after > MAX_INLINE_WAIT


def test_wired_for_the_scheduler(teams_settings: Settings, settings: Settings, services: Services) -> None:
    assert "teams" in SENDER_FACTORIES
    assert isinstance(build_senders(replace(services, settings=teams_settings))["teams"], TeamsSender)
    assert "teams" not in build_senders(replace(services, settings=settings))  # no credentials: Teams rows stay pending


def test_proactive_posts_carry_no_null_fields(sender: TeamsSender, bot_connector: FakeBotConnector) -> None:
    """The SDK sets `id = None` on outgoing activities; the Bot Connector refuses `"id": null`."""
    sender.send(CHANNEL, REMINDER)
    sender.send(CHANNEL, Reply(text="A short answer in plain text."))
    assert bot_connector.refused == []
    assert len(bot_connector.sent) == 2
    for sent in bot_connector.sent:
        assert null_paths(sent.activity) == []
        assert "id" not in sent.activity
