"""Slash commands through the real HTTP stack: signed form posts in, answers at response_url."""

from __future__ import annotations

from tests.fakes.slack_api import FakeSlackApi
from tests.slack.conftest import SlackServer


def test_council_command_acks_empty_then_answers_in_channel(slack_server: SlackServer,
                                                            slack_api: FakeSlackApi) -> None:
    response = slack_server.command(slack_api, "/council", "Harrow")
    assert response.status_code == 200
    assert response.content == b""
    answer = slack_api.wait_for("response_url")[0].payload
    assert answer["response_type"] == "in_channel"
    assert "Harrow" in answer["text"]
    assert answer["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "text": "Harrow", "emoji": True}}
    values = [e["value"] for b in answer["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert "/council timeline Harrow" in values
