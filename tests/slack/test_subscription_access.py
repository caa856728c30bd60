"""Subscribing a Slack channel first makes sure the bot can post there: a member already, or it
joins a public channel (conversations.join), or it asks to be invited into a private one and
subscribes nothing. Checked through the real WebClient against the strict fake Slack Web API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.bootstrap import build_router, open_database
from bot.core.message import Message, UserRef
from bot.services import Services
from tests.conftest import TODAY, make_settings
from tests.fakes.slack_api import FakeSlackApi

ADMIN = "slack:U0ADMIN01"


@pytest.fixture
def slack_api() -> Iterator[FakeSlackApi]:
    with FakeSlackApi() as api:
        yield api


@pytest.fixture
def slack_services(db_path: Path, slack_api: FakeSlackApi) -> Iterator[Services]:
    settings = make_settings(f"sqlite:///{db_path}", slack_bot_token="xoxb-test", slack_api_url=slack_api.url,
                             admins=frozenset({ADMIN}))
    db = open_database(settings)
    yield Services.create(settings, db)
    db.dispose()


def subscribe(services: Services, channel: str) -> str:
    reply = build_router(services).handle(Message(text="/brokerbot digest subscribe North West",
                                                  user=UserRef.parse(ADMIN), conversation=channel, as_of=TODAY))
    return reply.text


def test_a_channel_the_bot_is_in_is_subscribed(slack_services: Services, slack_api: FakeSlackApi) -> None:
    assert subscribe(slack_services, "C0MEMBER1").startswith("Subscribed this channel to North West")
    assert [c.payload["channel"] for c in slack_api.calls_for("conversations.info")] == ["C0MEMBER1"]
    assert not slack_api.calls_for("conversations.join")


def test_a_public_channel_is_joined_then_subscribed(slack_services: Services, slack_api: FakeSlackApi) -> None:
    slack_api.outside.add("C0PUBLIC1")
    assert subscribe(slack_services, "C0PUBLIC1").startswith("Subscribed this channel to North West")
    assert [c.payload["channel"] for c in slack_api.calls_for("conversations.join", ok_only=True)] == ["C0PUBLIC1"]
    assert "C0PUBLIC1" not in slack_api.outside
    assert slack_services.scheduling.subscriptions.for_destination("slack", "C0PUBLIC1")


def test_a_private_channel_asks_for_an_invite_and_subscribes_nothing(
    slack_services: Services, slack_api: FakeSlackApi
) -> None:
    slack_api.outside.add("G0PRIVATE")
    text = subscribe(slack_services, "G0PRIVATE")
    assert text.startswith("Not subscribed: ") and "/invite @Broker bot" in text
    assert not slack_api.calls_for("conversations.join")
    assert not slack_services.scheduling.subscriptions.for_destination("slack", "G0PRIVATE")


def test_a_refused_join_is_explained_and_subscribes_nothing(slack_services: Services, slack_api: FakeSlackApi) -> None:
    slack_api.outside.add("C0NOJOIN1")
    slack_api.respond("conversations.join", lambda _payload: {"ok": False, "error": "missing_scope"})
    text = subscribe(slack_services, "C0NOJOIN1")
    assert "may not join channels by itself" in text and "/invite @Broker bot" in text
    assert not slack_services.scheduling.subscriptions.for_destination("slack", "C0NOJOIN1")


def test_posting_where_the_bot_is_not_a_member_fails_as_slack_does(slack_api: FakeSlackApi) -> None:
    """The fake is strict: this is the failure the check above prevents."""
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    slack_api.outside.add("C0OUTSIDE")
    client = WebClient(token="xoxb-test", base_url=slack_api.url)
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C0OUTSIDE", text="hello")
    assert caught.value.response["error"] == "not_in_channel"
