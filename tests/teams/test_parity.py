"""Done-when: the same questions and commands work in Teams as in Slack.

Every read-only command example from /help, a few read-only forms of the write commands, and plain
English questions are typed in a Teams personal chat; each answer must be exactly what the core
gives the same person (which is what the Slack adapter shows), and every card must be valid 1.5.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from bot.commands import COMMANDS
from bot.router import Router
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.activities import PERSONAL, personal_message
from tests.teams.conftest import post
from tests.teams.test_messages import answer_of, core_answer

SCHEMA = json.loads((Path(__file__).parents[1] / "schemas" / "adaptive-card-1.5.schema.json").read_text())
READ_ONLY = [example for command in COMMANDS if not command.writes for example in command.examples]
EXTRA = [
    "/signup", "/signup London", "/peerreview list London", "/peerchallenge gaps London", "/digest",
    "council Harrow", "which councils in the North West are inadequate?", "who is the broker for Hull?",
    "when is Harrow's deadline?", "hello",
]


@pytest.mark.parametrize("question", READ_ONLY + EXTRA)
def test_teams_answers_like_the_core(
    anonymous_url: str, bot_connector: FakeBotConnector, router: Router, question: str
) -> None:
    assert post(anonymous_url, personal_message(bot_connector.service_url, question)).status_code == 202
    [sent] = bot_connector.wait_for(1)
    assert answer_of(sent) == core_answer(router, question, conversation=PERSONAL)[:500]
    if sent.card is not None:
        jsonschema.Draft6Validator(SCHEMA).validate(sent.card)
