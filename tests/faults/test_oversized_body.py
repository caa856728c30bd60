"""A 200 MB body to a real `python -m bot serve`: refused with 413 while it streams in, on both
endpoints, with and without Content-Length, one at a time and four at once; the process's memory
stays flat and it keeps serving signed requests afterwards."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_signing import signed_headers
from tests.faults.serve_process import MIB, ServeProcess, stream_post

SECRET = "fault-suite-secret"
BODY_BYTES = 200 * MIB
LIMIT_BYTES = MIB  # the default MAX_REQUEST_BYTES
RSS_GROWTH_ALLOWED_KIB = 30 * 1024
PATHS = ["/slack/events", "/api/messages"]


@pytest.fixture(scope="module")
def server(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    db = tmp_path_factory.mktemp("oversized") / "bot.db"
    shutil.copy(seeded_template, db)
    with FakeSlackApi() as api:
        process = ServeProcess({"DATABASE_URL": f"sqlite:///{db}", "SLACK_BOT_TOKEN": "xoxb-fault",
                                "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": api.url,
                                "TEAMS_APP_ID": "00000000-0000-4000-8000-0000000000b0",
                                "TEAMS_APP_PASSWORD": "secret", "TEAMS_JWKS_URL": "http://127.0.0.1:9/jwks"})
        process.wait_healthy()
        process.slack_api = api  # type: ignore[attr-defined]
        yield process
        process.stop()


def test_limit_is_exact(server: ServeProcess) -> None:
    """At the limit the body reaches the app (which refuses the unsigned JSON array: Slack 400 as
    malformed, Teams 401 for want of a token); one byte over it never does."""
    answers = {}
    for path in PATHS:
        at_limit, _ = stream_post(server.port, path, LIMIT_BYTES, declare_length=True)
        chunked_at_limit, _ = stream_post(server.port, path, LIMIT_BYTES, declare_length=False)
        over, _ = stream_post(server.port, path, LIMIT_BYTES + 1, declare_length=True)
        chunked_over, _ = stream_post(server.port, path, LIMIT_BYTES + 1, declare_length=False)
        answers[path] = (at_limit, chunked_at_limit, over, chunked_over)
    assert answers == {"/slack/events": (400, 400, 413, 413), "/api/messages": (401, 401, 413, 413)}


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "chunked"])
def test_200_mb_body_is_refused_while_streaming_and_memory_stays_flat(
    server: ServeProcess, declare_length: bool
) -> None:
    before = server.memory_kib()["VmRSS"]
    peak_tracked = server.reset_peak()
    results = [stream_post(server.port, path, BODY_BYTES, declare_length=declare_length) for path in PATHS]
    with ThreadPoolExecutor(4) as pool:  # four at once, as in the trial that reached 1.96 GB
        results += list(pool.map(lambda i: stream_post(server.port, PATHS[i % 2], BODY_BYTES,
                                                       declare_length=declare_length), range(4)))
    after = server.memory_kib()
    assert [status for status, _sent in results] == [413] * 6
    assert all(sent < 20 * MIB for _status, sent in results), results  # refused early, not after reading it all
    assert after["VmRSS"] - before < RSS_GROWTH_ALLOWED_KIB, (before, after)
    if peak_tracked:
        assert after["VmHWM"] - before < RSS_GROWTH_ALLOWED_KIB, (before, after)
    # and the server still answers a real signed request
    api: FakeSlackApi = server.slack_api  # type: ignore[attr-defined]
    body = urlencode({"command": "/council", "text": "Harrow", "user_id": "U0FAULT01", "channel_id": "C0FAULT01",
                      "team_id": "T0FAKE001", "response_url": api.response_url(f"after-{declare_length}")})
    ack = httpx.post(server.base + "/slack/events", content=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded", **signed_headers(SECRET, body)})
    assert ack.status_code == 200


def test_limit_comes_from_the_max_request_bytes_setting(db_path: Path, slack_api: FakeSlackApi) -> None:
    from tests.fakes.slack_harness import SlackServer, slack_settings

    server = SlackServer(slack_settings(db_path, slack_api, max_request_bytes=2048)).start()
    try:
        small = server.command(slack_api, "/council", "Harrow")
        large = server.command(slack_api, "/council", "Harrow " + "x" * 2048)
    finally:
        server.stop()
    assert (small.status_code, large.status_code) == (200, 413)
    assert large.json() == {"ok": False, "error": "request body larger than 2048 bytes"}


def test_max_request_bytes_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.config import load_settings

    monkeypatch.setenv("MAX_REQUEST_BYTES", "4096")
    assert load_settings(env_file=None).max_request_bytes == 4096
    monkeypatch.delenv("MAX_REQUEST_BYTES")
    assert load_settings(env_file=None).max_request_bytes == 1024 * 1024
