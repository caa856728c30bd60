"""Request signature verification stays on: unsigned, stale or wrongly signed requests get 401."""

from __future__ import annotations

import json
import time

import pytest

from tests.fakes.slack_api import FakeSlackApi
from tests.slack.conftest import SlackServer

CHALLENGE = {"token": "legacy", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
             "type": "url_verification"}


def test_url_verification_answers_the_challenge(slack_server: SlackServer) -> None:
    response = slack_server.post_signed(json.dumps(CHALLENGE), "application/json")
    assert response.status_code == 200
    assert response.json() == {"challenge": CHALLENGE["challenge"]}


@pytest.mark.parametrize("case", ["missing", "stale", "wrong_secret", "tampered"])
def test_bad_signatures_are_refused_and_do_nothing(slack_server: SlackServer, slack_api: FakeSlackApi,
                                                   case: str) -> None:
    body = json.dumps(CHALLENGE)
    if case == "missing":
        response = slack_server.http.post("/slack/events", content=body,
                                          headers={"Content-Type": "application/json"})
    elif case == "stale":
        response = slack_server.post_signed(body, "application/json", timestamp=int(time.time()) - 10 * 60)
    elif case == "wrong_secret":
        response = slack_server.post_signed(body, "application/json", secret="not-the-secret")
    else:
        from tests.fakes.slack_signing import signed_headers
        from tests.slack.conftest import SIGNING_SECRET

        headers = {"Content-Type": "application/json", **signed_headers(SIGNING_SECRET, body)}
        response = slack_server.http.post("/slack/events", content=body.replace("3eZ", "XXX"), headers=headers)
    assert response.status_code == 401
    assert "challenge" not in response.text


def test_unsigned_slash_command_is_not_run(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:
    body = f"command=%2Fcouncil&text=Harrow&user_id=U1&channel_id=C1&response_url={slack_api.response_url('x')}"
    response = slack_server.http.post("/slack/events", content=body,
                                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 401
    assert slack_api.calls_for("response_url") == []
