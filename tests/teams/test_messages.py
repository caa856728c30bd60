"""Teams messages through the real pipeline: uvicorn + our Starlette app + the Agents SDK adapter,
replies posted to a fake Bot Connector on loopback."""

from __future__ import annotations

import pytest

from bot.core.message import Message, UserRef
from bot.router import Router
from bot.services import Services
from bot.services.teams_conversations import TeamsConversations
from tests.fakes.bot_connector import FakeBotConnector, Sent
from tests.teams.activities import (
    BOT_ID,
    CHANNEL,
    GROUP_CHAT,
    PERSONAL,
    USER_AAD,
    channel_mention,
    execute_press,
    group_chat_mention,
    personal_message,
    submit_press,
)
from tests.teams.conftest import post


def core_answer(router: Router, text: str, conversation: str = PERSONAL, thread: str | None = None) -> str:
    """What the core says to the same person (the Slack adapter asks the same router)."""
    return router.handle(Message(text=text, user=UserRef("teams", USER_AAD), conversation=conversation,
                                 thread=thread)).text


def answer_of(sent: Sent) -> str:
    """The answer's text: the card's summary (notification text), or the plain text message."""
    return str(sent.activity.get("summary") or sent.activity.get("text") or "")


@pytest.mark.parametrize("typed", ["council Harrow", "/council Harrow"])
def test_personal_chat_command_is_answered_with_the_core_reply_as_a_card(
    anonymous_url: str, bot_connector: FakeBotConnector, router: Router, typed: str
) -> None:
    activity = personal_message(bot_connector.service_url, typed)
    response = post(anonymous_url, activity)
    assert response.status_code == 202
    [sent] = bot_connector.wait_for(1)
    assert sent.conversation_id == PERSONAL
    assert sent.reply_to == activity["id"]  # a reply to the user's message
    assert sent.activity["from"]["id"] == BOT_ID
    assert sent.card is not None and sent.card["version"] == "1.5"
    assert sent.activity["summary"] == core_answer(router, "/council Harrow")
    assert "Harrow" in sent.card["body"][0]["text"]
    commands = [a["data"]["command"] for a in sent.card["actions"]]
    assert commands == ["/council timeline Harrow", "/contacts", "/broker Harrow"]


def test_plain_english_gets_the_same_answer_as_the_core(
    anonymous_url: str, bot_connector: FakeBotConnector, router: Router
) -> None:
    question = "who is the lead broker for Leeds?"
    post(anonymous_url, personal_message(bot_connector.service_url, question))
    [sent] = bot_connector.wait_for(1)
    assert answer_of(sent) == core_answer(router, question)
    assert "Leeds" in answer_of(sent)


def test_channel_mention_is_stripped_and_answered_in_the_reply_chain(
    anonymous_url: str, bot_connector: FakeBotConnector, router: Router
) -> None:
    activity = channel_mention(bot_connector.service_url, "broker Harrow", reply_chain="1732440000999")
    assert post(anonymous_url, activity).status_code == 202
    [sent] = bot_connector.wait_for(1)
    assert sent.conversation_id == f"{CHANNEL};messageid=1732440000999"
    expected = core_answer(router, "broker Harrow", conversation=CHANNEL, thread="1732440000999")
    assert answer_of(sent) == expected
    assert "Paul Curran" in expected
    assert "<at>" not in expected


def test_group_chat_mention_is_answered(anonymous_url: str, bot_connector: FakeBotConnector) -> None:
    post(anonymous_url, group_chat_mention(bot_connector.service_url, "/council Hull"))
    [sent] = bot_connector.wait_for(1)
    assert sent.conversation_id == GROUP_CHAT
    assert "Hull" in answer_of(sent)


def test_unknown_council_gets_a_specific_error(anonymous_url: str, bot_connector: FakeBotConnector) -> None:
    post(anonymous_url, personal_message(bot_connector.service_url, "/council Nowhereshire"))
    [sent] = bot_connector.wait_for(1)
    assert "Nowhereshire" in sent.text


def test_first_message_stores_the_conversation_reference(
    anonymous_url: str, bot_connector: FakeBotConnector, services: Services
) -> None:
    post(anonymous_url, channel_mention(bot_connector.service_url, "help"))
    bot_connector.wait_for(1)
    stored = TeamsConversations(services.db).get(CHANNEL)
    assert stored is not None and stored.active
    assert stored.conversation_type == "channel"
    assert stored.service_url == bot_connector.service_url
    assert stored.reference["conversation"]["id"] == CHANNEL  # the channel, not the reply chain
    assert stored.reference["bot"]["id"] == BOT_ID
    assert "activityId" not in stored.reference


def test_action_submit_press_runs_the_command_as_the_presser(
    anonymous_url: str, bot_connector: FakeBotConnector, router: Router
) -> None:
    assert post(anonymous_url, submit_press(bot_connector.service_url, "/council timeline Harrow")).status_code == 202
    [sent] = bot_connector.wait_for(1)
    assert sent.activity["summary"] == core_answer(router, "/council timeline Harrow")
    assert sent.card["body"][0]["text"] == "Harrow: timeline"  # type: ignore[index]


def test_action_execute_invoke_replaces_the_card_with_the_answer(
    anonymous_url: str, bot_connector: FakeBotConnector, router: Router
) -> None:
    response = post(anonymous_url, execute_press(bot_connector.service_url, "/broker Harrow"))
    assert response.status_code == 200
    body = response.json()
    assert body["statusCode"] == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert body["value"]["fallbackText"] == core_answer(router, "/broker Harrow")
    assert bot_connector.sent == []  # the answer is the invoke response, not an extra message


def test_invoke_without_a_command_is_refused_politely(anonymous_url: str, bot_connector: FakeBotConnector) -> None:
    activity = execute_press(bot_connector.service_url, "x")
    activity["value"] = {"action": {"type": "Action.Execute", "verb": "other", "data": {}}}
    body = post(anonymous_url, activity).json()
    assert body["statusCode"] == 400


def test_bad_requests_are_refused_without_a_reply(anonymous_url: str, bot_connector: FakeBotConnector) -> None:
    import httpx

    huge = personal_message(bot_connector.service_url, "x" * 1_100_000)
    assert post(anonymous_url, huge).status_code == 413
    assert httpx.post(anonymous_url + "/api/messages", content=b"not json",
                      headers={"content-type": "application/json"}).status_code == 400
    assert post(anonymous_url, {"type": "message", "text": "no conversation"}).status_code == 400
    assert bot_connector.sent == []
