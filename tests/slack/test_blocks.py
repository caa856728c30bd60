"""The Block Kit renderer: every reply the core produces renders to schema-valid blocks with a
plain-text fallback, within Slack's limits, with user text escaped."""

from __future__ import annotations

import json

import pytest

from bot.adapters.slack.blocks import chunks, clip, escape, message_payload
from bot.core.reply import Action, Fact, Reply, Section
from tests.slack.schema_check import block_errors

QUESTIONS = [
    "/council Harrow", "/council list", "/council list North West", "/council list inadequate",
    "/council timeline Birmingham", "/council Narnia", "/council", "/broker", "/broker London",
    "/contacts", "/help", "/help council", "/deadlines", "/signup", "/audit Harrow", "/undo",
    "who is the broker for Hull?", "/nosuch",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_core_replies_render_to_valid_block_kit(ask, question: str) -> None:  # type: ignore[no-untyped-def]
    payload = message_payload(ask(question, user="slack:U0ASKER01", conversation="C0GENERAL"))
    assert payload["text"].strip()
    assert 1 <= len(payload["blocks"]) <= 50
    assert block_errors(payload["blocks"]) == []


def test_huge_reply_is_cut_to_slack_limits_and_stays_valid() -> None:
    reply = Reply(
        text="x" * 5000,
        title="T" * 300,
        facts=tuple(Fact(f"label {i}", "v" * 2500) for i in range(25)),
        sections=tuple(Section(heading=f"h{i}", lines=tuple("line " * 50 for _ in range(80))) for i in range(30)),
        actions=tuple(Action("b" * 100, "/council " + "y" * 3000) for _ in range(30)),
        footer="f" * 4000,
    )
    payload = message_payload(reply)
    assert len(payload["blocks"]) <= 50
    assert block_errors(payload["blocks"]) == []
    assert payload["blocks"][-1]["type"] == "actions"  # buttons survive the cut


def test_every_text_is_escaped() -> None:
    reply = Reply(text="<!channel> & <@U1>", title="<!here>", facts=(Fact("<!everyone>", "<#C1>"),),
                  sections=(Section(heading="<b>", lines=("<https://evil|click>",)),), footer="<!subteam^S1>",
                  actions=(Action("<!here>", "/council x"),))
    sent = json.dumps(message_payload(reply))
    assert "<" not in sent and ">" not in sent
    assert "&lt;!channel&gt; &amp; &lt;@U1&gt;" in sent


def test_escape_clip_and_chunks() -> None:
    assert escape("a & <b>") == "a &amp; &lt;b&gt;"
    assert clip("abc &amp; def", 8) == "abc …"  # never leaves half an entity
    assert all(len(c) <= 10 for c in chunks(["12345", "67890", "abcdefghijklmnop"], 10))
