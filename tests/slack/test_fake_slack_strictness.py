"""The fake Slack is as strict as Slack about bodies: what it did not receive whole, or cannot parse,
is not delivered (the crash tests read a truncated answer as an answer otherwise)."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import httpx

from tests.fakes.slack_api import FakeSlackApi


def test_a_body_cut_short_by_a_dying_sender_is_not_delivered() -> None:
    with FakeSlackApi() as api:
        url = urlsplit(api.response_url("cut"))
        body = b'{"text": "Logged a peer challenge for Hull"}'
        with socket.create_connection((url.hostname, url.port), timeout=5) as sender:
            sender.sendall(
                f"POST {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n".encode() + body[:12]
            )
            sender.shutdown(socket.SHUT_WR)  # the process died with the rest unsent
            assert sender.recv(1024) == b""  # no answer: the connection is closed
        assert api.calls_for("response_url", ok_only=True) == []
        assert [c.failed for c in api.calls_for("response_url")] == [True]


def test_json_that_does_not_parse_is_refused() -> None:
    with FakeSlackApi() as api:
        response = httpx.post(api.response_url("bad"), content=b'{"text": "Logg', timeout=5,
                              headers={"Content-Type": "application/json"})
        assert (response.status_code, response.json()) == (400, {"ok": False, "error": "invalid_payload"})
        api_call = httpx.post(f"{api.root}/api/chat.postMessage", content=b"[1, 2]", timeout=5,
                              headers={"Content-Type": "application/json", "Authorization": "Bearer xoxb-1"})
        assert api_call.json() == {"ok": False, "error": "invalid_json"}
        assert api.calls_for("response_url", ok_only=True) == [] == api.calls_for("chat.postMessage", ok_only=True)
