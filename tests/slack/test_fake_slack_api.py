"""The fake Slack Web API behaves like Slack for the real slack_sdk client (so other tests can trust it)."""

from __future__ import annotations

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier

from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_signing import signed_headers


def test_records_json_calls_and_answers_plausibly() -> None:
    with FakeSlackApi() as api:
        client = WebClient(token="xoxb-test", base_url=api.url)
        sent = client.chat_postMessage(channel="C1", text="hi", thread_ts="1.2", blocks=[{"type": "divider"}])
        assert sent["ok"] and sent["channel"] == "C1" and sent["ts"]
        call = api.calls[0]
        assert call.method == "chat.postMessage"
        assert call["payload"]["blocks"] == [{"type": "divider"}]
        assert call.token == "xoxb-test"
        assert client.auth_test()["user_id"]


def test_scripted_429_is_retried_after_retry_after() -> None:
    with FakeSlackApi() as api:
        api.fail_next("chat.postMessage", status=429, headers={"Retry-After": "0"})
        client = WebClient(token="xoxb-test", base_url=api.url, retry_handlers=[RateLimitErrorRetryHandler(1)])
        assert client.chat_postMessage(channel="C1", text="hi")["ok"]
        assert [c.status for c in api.calls_for("chat.postMessage")] == [429, 200]


def test_scripted_api_error_raises() -> None:
    with FakeSlackApi() as api:
        api.fail_next("views.publish", status=200, body={"ok": False, "error": "invalid_blocks"})
        with pytest.raises(SlackApiError):
            WebClient(token="x", base_url=api.url).views_publish(user_id="U1", view={"type": "home", "blocks": []})


def test_response_url_deliveries_are_recorded() -> None:
    with FakeSlackApi() as api:
        httpx.post(api.response_url("abc"), json={"text": "hello", "response_type": "ephemeral"})
        assert api.wait_for("response_url")[0].payload["text"] == "hello"


def test_signed_headers_verify() -> None:
    headers = signed_headers("s3cret", "a=b")
    verifier = SignatureVerifier("s3cret")
    assert verifier.is_valid("a=b", headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"])
