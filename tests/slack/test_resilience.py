"""Web API trouble: rate limits honour Retry-After, transient failures are retried, and when a send
really fails it is logged with context and the person gets a short apology instead of silence."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.adapters.slack.deliver import APOLOGY
from tests.fakes.slack_api import BOT_USER_ID, FakeSlackApi
from tests.slack.conftest import CHANNEL, USER, SlackServer, slack_settings
from tests.slack.test_events import mention


def test_rate_limit_waits_for_retry_after_then_succeeds(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:
    slack_api.fail_next("chat.postMessage", status=429, headers={"Retry-After": "1"})
    slack_server.event(mention(f"<@{BOT_USER_ID}> council Harrow"))
    attempts = slack_api.wait_for("chat.postMessage")  # the successful one
    attempts = slack_api.calls_for("chat.postMessage")
    assert [a.status for a in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 1.0
    assert attempts[1].payload == attempts[0].payload


@pytest.mark.parametrize("failure", [{"status": 500}, {"status": 503}, {"status": 502}, {"disconnect": True}])
def test_transient_failures_are_retried(slack_server: SlackServer, slack_api: FakeSlackApi,
                                        failure: dict[str, object]) -> None:
    slack_api.fail_next("chat.postMessage", **failure)  # type: ignore[arg-type]
    slack_server.event(mention(f"<@{BOT_USER_ID}> council Harrow"))
    slack_api.wait_for("chat.postMessage")
    assert [a.failed for a in slack_api.calls_for("chat.postMessage")] == [True, False]


def test_failed_send_is_logged_and_the_person_gets_an_apology(
    slack_server: SlackServer, slack_api: FakeSlackApi, caplog: pytest.LogCaptureFixture
) -> None:
    slack_api.fail_next("chat.postMessage", status=200, body={"ok": False, "error": "not_in_channel"})
    with caplog.at_level(logging.ERROR):
        slack_server.event(mention(f"<@{BOT_USER_ID}> council Harrow"))
        apology = slack_api.wait_for("chat.postEphemeral")[0].payload
    assert apology == {"channel": CHANNEL, "user": USER, "thread_ts": "1700000001.000200", "text": APOLOGY}
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "chat.postMessage" in logged and "not_in_channel" in logged and CHANNEL in logged


def test_dead_response_url_falls_back_to_an_ephemeral_apology(slack_server: SlackServer,
                                                              slack_api: FakeSlackApi) -> None:
    slack_api.fail_next("response_url", status=404, body="expired_url")
    slack_server.command(slack_api, "/council", "Harrow")
    apology = slack_api.wait_for("chat.postEphemeral")[0].payload
    assert apology["text"] == APOLOGY and apology["user"] == USER


def test_rejected_blocks_are_resent_as_plain_text(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:
    slack_api.fail_next("chat.postMessage", status=200, body={"ok": False, "error": "invalid_blocks"})
    slack_server.event(mention(f"<@{BOT_USER_ID}> council Harrow"))
    sent = slack_api.wait_for("chat.postMessage")[0].payload
    assert "blocks" not in sent and "Harrow" in sent["text"]


def test_healthz_reports_the_database(slack_server: SlackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    assert slack_server.http.get("/healthz").json() == {"ok": True}
    monkeypatch.setattr(slack_server.services.db, "ping", lambda: False)
    response = slack_server.http.get("/healthz")
    assert response.status_code == 503 and response.json() == {"ok": False}


def test_without_slack_settings_the_server_still_runs(db_path: Path, slack_api: FakeSlackApi) -> None:
    server = SlackServer(slack_settings(db_path, slack_api, slack_bot_token="", slack_signing_secret="")).start()
    try:
        assert server.http.get("/healthz").status_code == 200
        refused = server.http.post("/slack/events", content=b"{}")
        assert refused.status_code == 503 and "SLACK_BOT_TOKEN" in refused.json()["error"]
    finally:
        server.stop()
