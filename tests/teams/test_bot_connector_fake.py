"""The fake Bot Connector refuses what the real service refuses (400 BadArgument), so a test that
passes against it would not meet a 400 from Teams: nulls anywhere, no type, a message with neither
text nor attachments, no conversation id in the URL."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.fakes.bot_connector import SERVICE_PATH, FakeBotConnector

VALID = {"type": "message", "text": "hello", "conversation": {"id": "19:abc@thread.tacv2"}}


def post(fake: FakeBotConnector, body: Any, conversation: str = "19:abc@thread.tacv2") -> httpx.Response:
    return httpx.post(f"{fake.root}{SERVICE_PATH}v3/conversations/{conversation}/activities", json=body)


def test_a_valid_activity_is_accepted(bot_connector: FakeBotConnector) -> None:
    response = post(bot_connector, VALID)
    assert response.status_code == 201
    assert response.json()["id"]
    assert [s.activity for s in bot_connector.sent] == [VALID]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({**VALID, "id": None}, "id"),  # what microsoft-agents-hosting-core 1.9 sends by default
        ({**VALID, "conversation": {"id": "19:abc@thread.tacv2", "name": None}}, "conversation.name"),
        ({**VALID, "attachments": [{"contentType": "x", "content": None}]}, "attachments[0].content"),
        ({"text": "no type"}, "type"),
        ({"type": "message"}, "text or attachments"),
        ({"type": "message", "text": "", "attachments": []}, "text or attachments"),
        (["not", "an", "object"], "JSON activity object"),
    ],
)
def test_malformed_activities_are_refused_like_the_real_service(
    bot_connector: FakeBotConnector, body: Any, reason: str
) -> None:
    response = post(bot_connector, body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "BadArgument"
    assert reason in error["message"]
    assert bot_connector.sent == [] and bot_connector.attempts == []
    [refused] = bot_connector.refused
    assert refused.reason == error["message"]


def test_a_missing_conversation_id_is_refused(bot_connector: FakeBotConnector) -> None:
    response = post(bot_connector, VALID, conversation="%20")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "BadArgument"
    assert bot_connector.sent == []
