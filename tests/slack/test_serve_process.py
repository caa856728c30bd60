"""`python -m bot serve` is one uvicorn process serving /healthz and signed Slack requests on PORT,
and it shuts down cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_signing import signed_headers

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_python_m_bot_serve(db_path: Path, slack_api: FakeSlackApi) -> None:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}", "PORT": str(port), "HOST": "127.0.0.1",
           "SLACK_BOT_TOKEN": "xoxb-serve", "SLACK_SIGNING_SECRET": "serve-secret", "SLACK_API_URL": slack_api.url,
           "SLACK_APP_TOKEN": ""}
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(base + "/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert health.status_code == 200 and health.json() == {"ok": True}
        body = urlencode({"command": "/council", "text": "Harrow", "user_id": "U0SERVE01", "channel_id": "C0SERVE01",
                          "team_id": "T0FAKE001", "response_url": slack_api.response_url("serve")})
        headers = {"Content-Type": "application/x-www-form-urlencoded", **signed_headers("serve-secret", body)}
        ack = httpx.post(base + "/slack/events", content=body, headers=headers, timeout=10)
        assert ack.status_code == 200 and ack.content == b""
        assert "Harrow" in slack_api.wait_for("response_url")[0].payload["text"]
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert "Application shutdown complete" in output
    assert f"Uvicorn running on http://127.0.0.1:{port}" in output
