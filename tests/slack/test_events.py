"""Mentions and direct messages, answered in a thread; Events API deliveries deduplicated durably."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.fakes.slack_api import BOT_USER_ID, FakeSlackApi
from tests.slack.conftest import CHANNEL, USER, SlackServer, slack_settings


def mention(text: str, ts: str = "1700000001.000200", **extra: Any) -> dict[str, Any]:
    return {"type": "app_mention", "user": USER, "text": text, "ts": ts, "channel": CHANNEL,
            "event_ts": ts, "team": "T0FAKE001", **extra}


def dm(text: str, ts: str = "1700000002.000300", **extra: Any) -> dict[str, Any]:
    return {"type": "message", "channel_type": "im", "user": USER, "text": text, "ts": ts,
            "channel": "D0ASKER01", "event_ts": ts, **extra}


def test_mention_is_answered_in_a_thread(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:
    response = slack_server.event(mention(f"<@{BOT_USER_ID}> council Harrow"))
    assert response.status_code == 200
    post = slack_api.wait_for("chat.postMessage")[0].payload
    assert post["channel"] == CHANNEL
    assert post["thread_ts"] == "1700000001.000200"
    assert "Harrow" in post["text"] and post["blocks"]


def test_mention_inside_a_thread_answers_in_that_thread(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:
    slack_server.event(mention(f"<@{BOT_USER_ID}> council Leeds", ts="1700000005.1", thread_ts="1700000000.5"))
    assert slack_api.wait_for("chat.postMessage")[0].payload["thread_ts"] == "1700000000.5"


def test_direct_message_is_answered_in_a_thread(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:
    slack_server.event(dm("broker London"))
    post = slack_api.wait_for("chat.postMessage")[0].payload
    assert post["channel"] == "D0ASKER01" and post["thread_ts"] == "1700000002.000300"
    assert "Paul Curran" in post["text"] + json.dumps(post["blocks"])


def test_error_in_a_channel_mention_is_ephemeral(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:
    slack_server.event(mention(f"<@{BOT_USER_ID}> /council"))
    post = slack_api.wait_for("chat.postEphemeral")[0].payload
    assert post["user"] == USER and post["channel"] == CHANNEL and post["thread_ts"] == "1700000001.000200"
    assert slack_api.calls_for("chat.postMessage") == []


def test_bot_and_edited_messages_are_ignored(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:
    slack_server.event(dm("council Harrow", bot_id="B0OTHER"))
    slack_server.event(dm("council Harrow", subtype="message_changed"))
    slack_server.event(dm("council Leeds", ts="1700000009.1"))  # a real one, as a marker
    posts = slack_api.wait_for("chat.postMessage")
    assert len(posts) == 1 and "Leeds" in posts[0].payload["text"]


def test_mention_text_cannot_ping_anyone(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:
    slack_server.event(mention(f"<@{BOT_USER_ID}> council <!channel> <!here> <@U0BOSS> &lt;!everyone&gt;"))
    sent = json.dumps(slack_api.wait_for("chat.postEphemeral")[0].payload)
    for live in ("<!channel>", "<!here>", "<!everyone>", "<@U0BOSS>"):
        assert live not in sent


def test_duplicate_and_retried_deliveries_are_answered_once(slack_server: SlackServer,
                                                            slack_api: FakeSlackApi) -> None:
    event = mention(f"<@{BOT_USER_ID}> council Harrow")
    assert slack_server.event(event, event_id="Ev0DUP0001").status_code == 200
    assert slack_server.event(event, event_id="Ev0DUP0001").status_code == 200
    assert slack_server.event(event, event_id="Ev0DUP0001", retry_num=1).status_code == 200
    slack_server.event(mention(f"<@{BOT_USER_ID}> council Leeds", ts="1700000003.1"), event_id="Ev0MARKER1")
    posts = slack_api.wait_for("chat.postMessage", count=2)
    texts = [p.payload["text"] for p in slack_api.calls_for("chat.postMessage")]
    assert len(posts) == 2 and sum("Harrow" in t for t in texts) == 1


def test_first_delivery_carrying_a_retry_header_is_still_answered(slack_server: SlackServer,
                                                                   slack_api: FakeSlackApi) -> None:
    slack_server.event(mention(f"<@{BOT_USER_ID}> council Harrow"), event_id="Ev0RETRY01", retry_num=2)
    assert "Harrow" in slack_api.wait_for("chat.postMessage")[0].payload["text"]


def test_restart_between_deliveries_does_not_answer_again(db_path: Path, slack_api: FakeSlackApi) -> None:
    event = mention(f"<@{BOT_USER_ID}> council Harrow")
    first = SlackServer(slack_settings(db_path, slack_api)).start()
    try:
        first.event(event, event_id="Ev0RESTART1")
        slack_api.wait_for("chat.postMessage")
    finally:
        first.stop()
    second = SlackServer(slack_settings(db_path, slack_api)).start()
    try:
        assert second.event(event, event_id="Ev0RESTART1", retry_num=1).status_code == 200
        second.event(mention(f"<@{BOT_USER_ID}> council Leeds", ts="1700000004.1"), event_id="Ev0RESTART2")
        slack_api.wait_for("chat.postMessage", count=2)
    finally:
        second.stop()
    texts = [c.payload["text"] for c in slack_api.calls_for("chat.postMessage")]
    assert sum("Harrow" in t for t in texts) == 1 and sum("Leeds" in t for t in texts) == 1


def test_plain_english_mention_goes_to_the_language_engine(slack_server: SlackServer,
                                                           slack_api: FakeSlackApi) -> None:
    slack_server.event(mention(f"<@{BOT_USER_ID}> who is the broker for Hull?"))
    post = slack_api.wait_for("chat.postMessage")[0].payload
    assert "Dave Smith" in post["text"] and post["thread_ts"] == "1700000001.000200"
