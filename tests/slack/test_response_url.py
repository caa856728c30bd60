"""Answers through a slash command's response_url share kept-alive connections, and are retried
like the Web API's: a rate limit after its Retry-After, a transient failure or a dropped
connection at once; the answer arrives once."""

from __future__ import annotations

import pytest

from tests.fakes.slack_api import FakeSlackApi
from tests.slack.conftest import SlackServer


def test_rate_limited_answer_waits_for_retry_after_then_arrives(slack_server: SlackServer,
                                                                slack_api: FakeSlackApi) -> None:
    slack_api.fail_next("response_url", status=429, headers={"Retry-After": "1"})
    slack_server.command(slack_api, "/council", "Harrow")
    slack_api.wait_for("response_url")
    attempts = slack_api.calls_for("response_url")
    assert [a.status for a in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 1.0
    assert attempts[1].payload == attempts[0].payload and "Harrow" in attempts[1].payload["text"]


@pytest.mark.parametrize("failure", [{"status": 500}, {"status": 503}, {"disconnect": True}])
def test_transient_response_url_failures_are_retried(slack_server: SlackServer, slack_api: FakeSlackApi,
                                                     failure: dict[str, object]) -> None:
    slack_api.fail_next("response_url", **failure)  # type: ignore[arg-type]
    slack_server.command(slack_api, "/council", "Harrow")
    slack_api.wait_for("response_url")
    assert [a.failed for a in slack_api.calls_for("response_url")] == [True, False]
    assert not slack_api.calls_for("chat.postEphemeral")  # no apology: the answer got through


def test_answers_in_a_row_all_arrive_over_the_shared_connections(slack_server: SlackServer,
                                                                 slack_api: FakeSlackApi) -> None:
    for _ in range(5):
        slack_server.command(slack_api, "/council", "Harrow")
    answers = slack_api.wait_for("response_url", 5)
    assert len({a.path for a in answers}) == 5
    assert all(a.headers["content-type"].startswith("application/json") for a in answers)
