"""The Slack test harness: our real server (uvicorn + Starlette + Bolt) on a loopback port, talking
to the fake Slack Web API, driven by correctly signed requests shaped like Slack's own.

    with FakeSlackApi() as api:
        server = SlackServer(slack_settings(db_path, api)).start()
        server.command(api, "/council", "Harrow")          # signed slash-command form
        api.wait_for("response_url")[0].payload            # the answer
        server.stop()
        assert_blocks_valid(api)                           # every payload sent was valid Block Kit

Also `server.event(...)` (Events API envelope), `server.action(...)` (block_actions) and
`server.view_submission(...)`. The fixtures `slack_api` and `slack_server` in tests/slack/conftest.py
wrap these.
"""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import uvicorn

from bot.bootstrap import build_http_app, build_router, open_database
from bot.config import Settings
from bot.services import Services
from tests.conftest import make_settings
from tests.fakes.slack_api import BOT_USER_ID, TEAM_ID, FakeSlackApi
from tests.fakes.slack_signing import signed_headers
from tests.slack.schema_check import block_errors, blocks_in

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-test-token"
USER = "U0ASKER01"
CHANNEL = "C0GENERAL"
_ids = itertools.count(1)


class SlackServer:
    """Our app served by a real uvicorn server in a background thread."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.services = Services.create(settings, open_database(settings))
        self.router = build_router(self.services)
        self.app = build_http_app(settings, self.services, self.router, run_scheduler=False)
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", lifespan="on", access_log=False)
        self.server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self._sock]}, daemon=True)
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=10)

    def start(self) -> SlackServer:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.http.close()
        self.server.should_exit = True
        self._thread.join(timeout=15)
        bolt = self.app.state.bolt_app
        if bolt is not None:
            bolt.listener_runner.listener_executor.shutdown(wait=True)
        self.services.db.dispose()

    # --- requests shaped like Slack's ------------------------------------------------------

    def post_signed(self, body: str, content_type: str, *, headers: dict[str, str] | None = None,
                    secret: str = SIGNING_SECRET, timestamp: int | None = None) -> httpx.Response:
        sent = {"Content-Type": content_type, **signed_headers(secret, body, timestamp), **(headers or {})}
        return self.http.post("/slack/events", content=body.encode("utf-8"), headers=sent)

    def command(self, api: FakeSlackApi, command: str, text: str = "", *, user: str = USER,
                channel: str = CHANNEL, team: str = TEAM_ID) -> httpx.Response:
        n = next(_ids)
        form = {
            "token": "legacy-verification-token", "team_id": team, "team_domain": "fake",
            "channel_id": channel, "channel_name": "general", "user_id": user, "user_name": "asker",
            "command": command, "text": text, "api_app_id": "A0BROKER1", "is_enterprise_install": "false",
            "response_url": api.response_url(f"cmd{n}"), "trigger_id": f"{n}.123.abc",
        }
        return self.post_signed(urlencode(form), "application/x-www-form-urlencoded")

    def event(self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None,
              headers: dict[str, str] | None = None, team: str = TEAM_ID,
              bot_user: str = BOT_USER_ID) -> httpx.Response:
        envelope = {
            "token": "legacy-verification-token", "team_id": team, "api_app_id": "A0BROKER1",
            "event": event, "type": "event_callback", "event_id": event_id or f"Ev{next(_ids):08d}",
            "event_time": int(time.time()), "event_context": "4-eyJldCI6ImFwcF9tZW50aW9uIn0",
            "authorizations": [{"enterprise_id": None, "team_id": team, "user_id": bot_user,
                                "is_bot": True, "is_enterprise_install": False}],
            "is_ext_shared_channel": False,
        }
        extra = dict(headers or {})
        if retry_num is not None:
            extra.update({"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"})
        return self.post_signed(json.dumps(envelope), "application/json", headers=extra)

    def action(self, value: str, *, user: str = USER, channel: str = CHANNEL, message_ts: str = "1700000000.000100",
               thread_ts: str | None = None, response_url: str | None = None, home: bool = False,
               ephemeral: bool = False, action_id: str = "run_command:0") -> httpx.Response:
        n = next(_ids)
        action = {"action_id": action_id, "block_id": "b1", "type": "button", "value": value,
                  "text": {"type": "plain_text", "text": "Go", "emoji": True}, "action_ts": f"{time.time():.6f}"}
        payload: dict[str, Any] = {
            "type": "block_actions", "user": {"id": user, "username": "asker", "name": "asker", "team_id": TEAM_ID},
            "api_app_id": "A0BROKER1", "token": "legacy-verification-token", "trigger_id": f"{n}.123.def",
            "team": {"id": TEAM_ID, "domain": "fake"}, "enterprise": None, "is_enterprise_install": False,
            "actions": [action],
        }
        if home:
            payload.update(container={"type": "view", "view_id": "V0HOME001"},
                           view={"id": "V0HOME001", "type": "home", "blocks": []})
        else:
            message: dict[str, Any] = {"type": "message", "user": BOT_USER_ID, "ts": message_ts, "text": "card",
                                       "bot_id": "BBOTFAKE1"}
            if thread_ts:
                message["thread_ts"] = thread_ts
            payload.update(
                container={"type": "message", "message_ts": message_ts, "channel_id": channel,
                           "is_ephemeral": ephemeral},
                channel={"id": channel, "name": "general"},
                response_url=response_url or f"http://127.0.0.1:9/unused/{n}",
            )
            if not ephemeral:
                payload["message"] = message
        return self.post_signed(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def view_submission(self, callback_id: str, private_metadata: str, values: dict[str, Any], *,
                        user: str = USER) -> httpx.Response:
        payload = {
            "type": "view_submission", "team": {"id": TEAM_ID, "domain": "fake"},
            "user": {"id": user, "username": "asker", "name": "asker", "team_id": TEAM_ID},
            "api_app_id": "A0BROKER1", "token": "legacy-verification-token", "trigger_id": f"{next(_ids)}.1.v",
            "view": {"id": "V0MODAL01", "team_id": TEAM_ID, "type": "modal", "callback_id": callback_id,
                     "private_metadata": private_metadata, "blocks": [], "state": {"values": values},
                     "hash": "1700000000.abc", "app_id": "A0BROKER1", "bot_id": "BBOTFAKE1"},
            "response_urls": [], "is_enterprise_install": False, "enterprise": None,
        }
        return self.post_signed(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")


def slack_settings(db_path: Path, api: FakeSlackApi, **overrides: object) -> Settings:
    values: dict[str, object] = {"slack_bot_token": BOT_TOKEN, "slack_signing_secret": SIGNING_SECRET,
                                 "slack_api_url": api.url}
    values.update(overrides)
    return make_settings(f"sqlite:///{db_path}", **values)


def assert_blocks_valid(api: FakeSlackApi) -> None:
    problems = []
    for call in api.calls:
        for blocks in blocks_in(call.payload):
            problems += [f"{call.method}: {err}" for err in block_errors(blocks)]
    assert not problems, "\n".join(problems[:20])
