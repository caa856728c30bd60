"""/signup through signed Slack requests on the real server (the harness in tests/slack/conftest.py)."""

from __future__ import annotations

import json

from tests.fakes.slack_api import FakeSlackApi
from tests.linking import link
from tests.slack.conftest import USER, SlackServer, slack_api, slack_server  # noqa: F401


def test_signup_board_and_write_through_slack(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:  # noqa: F811
    refused = slack_server.command(slack_api, "/signup", "London dcs agreed 20/11/2026")
    assert refused.status_code == 200
    answer = slack_api.wait_for("response_url")[0].payload
    assert answer["response_type"] == "ephemeral"
    assert "Only lead brokers and admins" in answer["text"] and "Paul Curran" in answer["text"]

    link(slack_server.services, "Paul Curran", USER)
    slack_api.calls.clear()
    slack_server.command(slack_api, "/signup", "London dcs agreed 20/11/2026")
    logged = slack_api.wait_for("response_url")[0].payload
    assert "Logged: London, director of children's services agreed on 20 November 2026" in logged["text"]

    slack_api.calls.clear()
    slack_server.command(slack_api, "/signup", "")
    board = slack_api.wait_for("response_url")[0].payload
    assert "0 of 9 regions are signed up" in board["text"]
    assert "London: CE … DCS ✓ Member …" in json.dumps(board["blocks"], ensure_ascii=False)
    history = slack_server.services.audit.history("region", "E12000007")
    assert history[0].actor == "Paul Curran" and history[0].platform == "slack"
