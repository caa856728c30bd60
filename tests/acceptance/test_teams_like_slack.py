"""Acceptance: the same questions and commands work in Teams as in Slack.

tests/teams/test_parity.py already compares every read-only /help example typed in Teams with the
core's answer, and tests/teams/test_digest_end_to_end.py covers a subscribed Teams channel. What
this adds is the side-by-side a user would make: one broker (Paul Curran, linked to both a Slack and
a Teams identity) has the same conversation in a Slack DM (signed Events API requests to our real
server, answers from the fake Slack Web API) and in a Teams personal chat (activities posted to
/api/messages, answers from the fake Bot Connector): commands with and without the slash, plain
English, follow-ups that lean on the previous turn, "our broker", writes, the audit trail and undo.
Each platform gets its own copy of the same seeded database, so both start from the same state.
"""

from __future__ import annotations

import html
import re
import shutil
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.bootstrap import build_router, open_database
from bot.router import Router
from bot.services import Services
from tests.acceptance.helpers import link
from tests.conftest import TODAY, make_settings
from tests.fakes.bot_connector import FakeBotConnector, bot_connector  # noqa: F401
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_harness import USER, SlackServer, assert_blocks_valid, slack_settings
from tests.teams.activities import USER_AAD, personal_message
from tests.teams.conftest import build_app, post, running

DM_CHANNEL = "D0PAULDM1"

REVIEW_START = TODAY + timedelta(days=49)  # in the future of the tests' fixed wall clock
# One conversation, in order. Writes use explicit dates so both platforms write the same thing.
CONVERSATION = (
    "council Harrow",
    "/council Harrow",
    "how is hull doing?",
    "and knowsley?",
    "who's their broker?",
    "who's our broker?",
    "which north west councils are inadequate?",
    "broker London",
    "/signup London dcs agreed 20/11/2026",
    "signup London",
    "escalate Harrow commissioner 20/11/2026",
    "when is Harrow's next deadline?",
    "/audit Harrow",
    "/undo",
    "/council timeline Harrow",
    f"peerreview book Harrow {REVIEW_START:%d %b %Y} to {REVIEW_START + timedelta(days=2):%d %b %Y}",
    "/deadlines London 120",
    "/funding £2.25m £100k",
    "contacts training",
    "help",
)


@pytest.fixture
def second_db(seeded_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "teams.db"
    shutil.copy(seeded_template, path)
    return path


@pytest.fixture
def slack_side(db_path: Path) -> Iterator[tuple[SlackServer, FakeSlackApi]]:
    with FakeSlackApi() as api:
        server = SlackServer(slack_settings(db_path, api)).start()
        link(server.services, "Paul Curran", f"slack:{USER}")
        yield server, api
        server.stop()
        assert_blocks_valid(api)


@pytest.fixture
def teams_side(second_db: Path, bot_connector: FakeBotConnector) -> Iterator[str]:  # noqa: F811
    settings = make_settings(f"sqlite:///{second_db}", teams_allow_anonymous=True)
    services = Services.create(settings, open_database(settings))
    router: Router = build_router(services)
    link(services, "Paul Curran", f"teams:{USER_AAD}")
    with running(build_app(settings, services, router)) as url:
        yield url
    services.db.dispose()


def slack_dm(server: SlackServer, api: FakeSlackApi, text: str, ts: str, thread_ts: str | None = None) -> str:
    """A DM to the bot (in the thread `thread_ts` if given); the text of the bot's answer."""
    before = len(api.calls_for("chat.postMessage", ok_only=True))
    event = {"type": "message", "channel_type": "im", "user": USER, "text": text, "ts": ts,
             "channel": DM_CHANNEL, "event_ts": ts, **({"thread_ts": thread_ts} if thread_ts else {})}
    assert server.event(event).status_code == 200
    return str(api.wait_for("chat.postMessage", count=before + 1)[before].payload["text"])


def teams_chat(url: str, connector: FakeBotConnector, text: str) -> str:
    before = len(connector.sent)
    assert post(url, personal_message(connector.service_url, text)).status_code == 202
    sent = connector.wait_for(before + 1)[before]
    return str(sent.activity.get("summary") or sent.activity.get("text") or "")


def same_words(text: str) -> str:
    """The answer with each platform's markup undone: Slack escapes &, <, >; the audit names the platform;
    the time of a change is the minute it was made; Teams cards trim very long text."""
    text = html.unescape(text).replace("via slack", "via PLATFORM").replace("via teams", "via PLATFORM")
    text = re.sub(r"\b\d{2}:\d{2}\b", "HH:MM", text)
    return " ".join(text.split())[:500]


def test_the_same_conversation_gives_the_same_answers_in_slack_and_teams(
    slack_side: tuple[SlackServer, FakeSlackApi], teams_side: str, bot_connector: FakeBotConnector  # noqa: F811
) -> None:
    server, api = slack_side
    differences = []
    answers = []
    base = int(time.time())
    thread = f"{base}.000001"  # Slack: the bot answers in a thread on the first message; the user carries on there
    for n, text in enumerate(CONVERSATION, start=1):
        in_slack = slack_dm(server, api, text, f"{base}.{n:06d}", thread_ts=thread if n > 1 else None)
        in_teams = teams_chat(teams_side, bot_connector, text)
        answers.append(in_teams)
        if same_words(in_slack) != same_words(in_teams):
            differences.append(f"{text!r}\n  Slack: {in_slack[:300]!r}\n  Teams: {in_teams[:300]!r}")
    assert not differences, "\n".join(differences)

    said = dict(zip(CONVERSATION, answers, strict=True))
    assert said["and knowsley?"].startswith("Knowsley was judged Inadequate")  # a follow-up in Teams
    assert said["who's their broker?"].startswith("Knowsley is in North West; its lead broker is Howard Cooper")
    assert "The lead broker for London is Paul Curran" in said["who's our broker?"]
    assert said["/signup London dcs agreed 20/11/2026"].startswith(
        "Logged: London, director of children's services agreed on 20 November 2026")
    assert "Paul Curran via teams" in said["/audit Harrow"]
    assert said["/undo"].startswith("Undone: Harrow: Commissioner appointed")
    assert "Booked peer review #1 for Harrow" in said[CONVERSATION[15]]


def test_a_follow_up_typed_in_the_slack_dm_itself_leans_on_the_previous_question(
    slack_side: tuple[SlackServer, FakeSlackApi]
) -> None:
    server, api = slack_side
    base = int(time.time())
    slack_dm(server, api, "how is knowsley doing?", f"{base}.000001")
    answer = slack_dm(server, api, "who's their broker?", f"{base}.000002")
    assert answer.startswith("Knowsley is in North West; its lead broker is Howard Cooper")
