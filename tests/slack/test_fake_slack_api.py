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


def test_many_workspaces_the_code_exchange_and_each_token_are_as_strict_as_slack() -> None:
    with FakeSlackApi() as api:
        workspaces = api.serve_workspaces("1111.2222", "right-secret")
        london = workspaces.add("T0LONDON1", "London")
        client = WebClient(base_url=api.url)
        code = workspaces.authorize(london, ["chat:write"])
        for client_id, secret, error in [("9999.9999", "right-secret", "invalid_client_id"),
                                         ("1111.2222", "wrong-secret", "bad_client_secret"),
                                         ("1111.2222", "right-secret", "invalid_code")]:
            with pytest.raises(SlackApiError) as refused:
                client.oauth_v2_access(client_id=client_id, client_secret=secret,
                                       code=code if error != "invalid_code" else "T0LONDON1.never-issued")
            assert refused.value.response.status_code == 200 and refused.value.response["error"] == error
        granted = client.oauth_v2_access(client_id="1111.2222", client_secret="right-secret", code=code)
        assert granted["team"]["id"] == "T0LONDON1" and granted["access_token"] == london.bot_token
        assert granted["scope"] == "chat:write"
        with pytest.raises(SlackApiError) as reused:  # a code is good once
            client.oauth_v2_access(client_id="1111.2222", client_secret="right-secret", code=code)
        assert reused.value.response["error"] == "invalid_code"

        assert WebClient(token=london.bot_token, base_url=api.url).auth_test()["team_id"] == "T0LONDON1"
        for token, error in [(None, "not_authed"), ("xoxb-someone-else", "invalid_auth")]:
            with pytest.raises(SlackApiError) as refused:
                WebClient(token=token, base_url=api.url).chat_postMessage(channel="C1", text="hi")
            assert refused.value.response["error"] == error
        workspaces.uninstall(london)
        with pytest.raises(SlackApiError) as revoked:
            WebClient(token=london.bot_token, base_url=api.url).auth_test()
        assert revoked.value.response["error"] == "token_revoked"
