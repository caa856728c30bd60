"""Slash commands through the real HTTP stack: signed form posts in, answers at response_url."""

from __future__ import annotations

import json
import threading

import pytest

import bot.commands
from bot.commands import Command, CommandContext
from bot.core.reply import Reply
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.conftest import CHANNEL, USER, SlackServer


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


def test_empty_council_command_gets_ephemeral_usage_hint(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:
    assert slack_server.command(slack_api, "/council", "").status_code == 200
    answer = slack_api.wait_for("response_url")[0].payload
    assert answer["response_type"] == "ephemeral"
    assert "Which council?" in answer["text"]
    assert "Usage:" in json.dumps(answer["blocks"])


def test_unknown_council_is_a_specific_ephemeral_error(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:
    slack_server.command(slack_api, "/council", "Narnia")
    answer = slack_api.wait_for("response_url")[0].payload
    assert answer["response_type"] == "ephemeral"
    assert "Narnia" in answer["text"]


def test_brokerbot_is_help(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:
    slack_server.command(slack_api, "/brokerbot")
    answer = slack_api.wait_for("response_url")[0].payload
    assert answer["blocks"][0]["text"]["text"] == "Broker bot help"
    assert "/council" in json.dumps(answer["blocks"])


def test_broker_command(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:
    slack_server.command(slack_api, "/broker", "London")
    answer = slack_api.wait_for("response_url")[0].payload
    assert "Paul Curran" in answer["text"] + json.dumps(answer["blocks"])


def test_unregistered_command_lists_known_ones(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:
    slack_server.command(slack_api, "/nosuchthing", "x")
    answer = slack_api.wait_for("response_url")[0].payload
    assert answer["response_type"] == "ephemeral"
    assert "/nosuchthing" in answer["text"] and "/council" in answer["text"]


def test_user_text_cannot_ping_the_channel(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:
    # Slack sends what the person typed escaped; a typed broadcast arrives as &lt;!channel&gt;.
    slack_server.command(slack_api, "/council", "&lt;!channel&gt; &lt;@U0BOSS&gt; &amp; co")
    answer = slack_api.wait_for("response_url")[0].payload
    sent = json.dumps(answer)
    for live in ("<!channel>", "<!here>", "<!everyone>", "<@U0BOSS>"):
        assert live not in sent
    assert "&lt;!channel&gt;" in answer["text"]


def test_commands_added_to_the_registry_work_without_adapter_changes(
    slack_server: SlackServer, slack_api: FakeSlackApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    def handle(ctx: CommandContext, args: str) -> Reply:
        return Reply(text=f"echo {args} for {ctx.message.user.platform}:{ctx.message.user.id} in "
                          f"{ctx.message.conversation}")

    extra = Command("echoes", "test", ("/echoes",), (), handle)
    monkeypatch.setattr(bot.commands, "COMMANDS", [*bot.commands.COMMANDS, extra])
    slack_server.command(slack_api, "/echoes", "hello")
    answer = slack_api.wait_for("response_url")[0].payload
    assert answer["text"] == f"echo hello for slack:{USER} in {CHANNEL}"


def test_slow_work_is_acknowledged_first_and_answered_later(
    slack_server: SlackServer, slack_api: FakeSlackApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    started = threading.Event()

    def slow(ctx: CommandContext, args: str) -> Reply:
        started.set()
        release.wait(timeout=20)
        return Reply(text="finally done")

    monkeypatch.setattr(bot.commands, "COMMANDS", [*bot.commands.COMMANDS, Command("slowpoke", "", (), (), slow)])
    response = slack_server.command(slack_api, "/slowpoke")
    # The ack came back while the work is still blocked: empty 200, nothing delivered yet.
    assert response.status_code == 200 and response.content == b""
    assert started.wait(timeout=10)
    assert slack_api.calls_for("response_url") == []
    release.set()
    assert slack_api.wait_for("response_url")[0].payload["text"] == "finally done"
