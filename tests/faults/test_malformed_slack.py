"""Malformed and unexpected requests to POST /slack/events: always a 4xx (or 200 for a well-formed
payload we do not handle), never a 5xx and never a traceback in the body. Requests go through the
real server and Bolt's real dispatch; the signed ones are signed exactly as Slack signs them."""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import urlencode

import httpx
import pytest

from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_harness import SIGNING_SECRET, SlackServer
from tests.fakes.slack_signing import signed_headers
from tests.faults.slack_payloads import EVENTS, INTERACTIVITY

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def post_raw(server: SlackServer, body: bytes, headers: dict[str, str | bytes]) -> httpx.Response:
    return server.http.post("/slack/events", content=body, headers=headers)


def signed(body: bytes, content_type: str, **extra: str | bytes) -> dict[str, str | bytes]:
    text = body.decode("latin-1")
    return {"Content-Type": content_type, **signed_headers(SIGNING_SECRET, text), **extra}


def envelope(event: object) -> bytes:
    return json.dumps({"type": "event_callback", "team_id": "T111", "api_app_id": "A111", "event": event,
                       "event_id": f"Ev{time.monotonic_ns()}", "event_time": 1599529508}).encode()


# 100 kB of brackets: well under the size limit, deeper than Python's parser can go (RecursionError).
DEEP = b"[" * 50_000 + b"]" * 50_000


def malformed_requests() -> dict[str, tuple[bytes, dict[str, str | bytes]]]:
    """Built when a test runs, so the signed ones are inside the signature window."""
    string_event = envelope("oops")
    untyped_event = envelope({"user": "U1"})
    return {
        "bad json, unsigned": (b"{bad json", {"Content-Type": JSON}),
        "bad json, signed": (b"{bad json", signed(b"{bad json", JSON)),
        "payload=notjson, unsigned": (b"payload=notjson", {"Content-Type": FORM}),
        "payload=notjson, signed": (b"payload=notjson", signed(b"payload=notjson", FORM)),
        "timestamp abc": (b"command=%2Fcouncil&text=Harrow",
                          {"Content-Type": FORM, "X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"}),
        "timestamp abc, signed with it": (b"command=%2Fcouncil", {
            "Content-Type": FORM, **signed_headers(SIGNING_SECRET, "command=%2Fcouncil", "abc")}),
        "timestamp empty": (b"command=%2Fcouncil", {"Content-Type": FORM, "X-Slack-Request-Timestamp": "",
                                                   "X-Slack-Signature": "v0=00"}),
        "non-ascii signature": (b"command=%2Fcouncil", {"Content-Type": FORM, "X-Slack-Request-Timestamp": "0",
                                                       "X-Slack-Signature": "v0=\xe9\xe9".encode("latin-1")}),
        "no headers at all": (b"command=%2Fcouncil", {}),
        "no signature": (b"command=%2Fcouncil", {"Content-Type": FORM}),
        "wrong content type, unsigned": (b"<xml/>", {"Content-Type": "text/xml"}),
        "wrong content type, signed": (b"<xml/>", signed(b"<xml/>", "text/xml")),
        "not UTF-8, unsigned": (b"\xff\xfe\xfa payload", {"Content-Type": FORM}),
        "not UTF-8, signed": (b"\xff\xfe\xfa", signed(b"\xff\xfe\xfa", JSON)),
        "empty body": (b"", {"Content-Type": JSON}),
        "nested too deep to parse, unsigned": (DEEP, {"Content-Type": JSON}),
        "payload= nested too deep, unsigned": (b"payload=" + DEEP, {"Content-Type": FORM}),
        "empty body, signed": (b"", signed(b"", JSON)),
        "json array, signed": (b"[1, 2]", signed(b"[1, 2]", JSON)),
        "json string, signed": (b'"hello"', signed(b'"hello"', JSON)),
        "json null, signed": (b"null", signed(b"null", JSON)),
        "payload is a list, signed": (b"payload=%5B1%5D", signed(b"payload=%5B1%5D", FORM)),
        "event is a string, signed": (string_event, signed(string_event, JSON)),
        "event without type, signed": (untyped_event, signed(untyped_event, JSON)),
        "command without text or user, signed": (b"command=%2Fcouncil", signed(b"command=%2Fcouncil", FORM)),
        "stale signature": (b"command=%2Fcouncil",
                            {"Content-Type": FORM, **signed_headers(SIGNING_SECRET, "command=%2Fcouncil", 1)}),
    }


@pytest.mark.parametrize("case", list(malformed_requests()))
def test_malformed_request_gets_4xx_without_traceback(slack_server: SlackServer, case: str) -> None:
    body, headers = malformed_requests()[case]
    response = post_raw(slack_server, body, headers)
    assert response.status_code < 500, f"{case}: {response.status_code} {response.text[:200]}"
    assert "Traceback" not in response.text and 'File "' not in response.text


@pytest.mark.parametrize("kind", list(INTERACTIVITY))
def test_unhandled_interactivity_payload_is_acknowledged_and_ignored(
    slack_server: SlackServer, slack_api: FakeSlackApi, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.adapters.slack.app")
    response = slack_server.post_signed(urlencode({"payload": json.dumps(INTERACTIVITY[kind])}), FORM)
    assert response.status_code == 200, response.text
    assert response.text == ""
    ignored = [r for r in caplog.records if r.getMessage().startswith("Ignored an unhandled Slack payload")]
    assert len(ignored) == 1 and ignored[0].levelno == logging.DEBUG
    assert f"type={kind}" in ignored[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("kind", list(EVENTS))
def test_unhandled_event_is_acknowledged_and_ignored(
    slack_server: SlackServer, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.adapters.slack.app")
    response = slack_server.event(EVENTS[kind])
    assert response.status_code == 200, response.text
    assert any(f"event={kind}" in r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG)
