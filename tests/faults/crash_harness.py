"""A restartable `python -m bot serve` on one database, talking to the fake Slack API, and the
signed requests the crash tests send it (shaped like Slack's: slash commands and app_mention events)."""

from __future__ import annotations

import json
import shutil
import signal
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import create_engine, text

from bot.bootstrap import open_database
from bot.services import Services
from storage.db import normalise_url
from tests.conftest import make_settings
from tests.fakes.slack_api import BOT_USER_ID, TEAM_ID, FakeSlackApi
from tests.fakes.slack_harness import SIGNING_SECRET
from tests.fakes.slack_signing import signed_headers
from tests.faults.serve_process import ServeProcess
from tests.linking import link_broker

SLACK_USER = "UPAUL"  # linked to a broker, so write commands are allowed
CHANNEL = "C0GENERAL"
CLAIM_SECONDS = 2  # how long a dead process's claims hold up the restarted one


def prepare_database(database_url: str, seeded_template: Path | None = None) -> None:
    """A migrated, seeded database whose Slack user SLACK_USER is a broker."""
    if seeded_template is not None:
        shutil.copy(seeded_template, database_url.removeprefix("sqlite:///"))
    settings = make_settings(database_url)
    services = Services.create(settings, open_database(settings))
    link_broker(services, slack_id=SLACK_USER)
    services.db.dispose()


class Bot:
    """One deployment: the same database and fake Slack across kills and restarts."""

    def __init__(self, database_url: str, api: FakeSlackApi, **env: str) -> None:
        self.database_url = database_url
        self.api = api
        self.env = {"DATABASE_URL": database_url, "SLACK_BOT_TOKEN": "xoxb-fault",
                    "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": api.url,
                    "SLACK_CLAIM_SECONDS": str(CLAIM_SECONDS), **env}
        self.process: ServeProcess | None = None
        self.engine = create_engine(normalise_url(database_url))
        self.outputs: list[str] = []

    @property
    def base(self) -> str:
        assert self.process is not None
        return self.process.base

    def start(self) -> Bot:
        self.process = ServeProcess(self.env).wait_healthy()
        return self

    def kill(self) -> None:
        """kill -9: no shutdown, no draining."""
        assert self.process is not None
        self.process.process.send_signal(signal.SIGKILL)
        self.outputs.append(self.process.process.communicate(timeout=30)[0])

    def stop(self) -> None:
        if self.process is not None and self.process.process.poll() is None:
            self.outputs.append(self.process.stop())
        self.engine.dispose()

    # --- reading the database ----------------------------------------------------------------

    def scalar(self, sql: str) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql)).scalar()

    def unfinished(self) -> int:
        return int(self.scalar("SELECT count(*) FROM slack_inbox WHERE status <> 'done'"))

    def wait_drained(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while self.unfinished():
            assert time.monotonic() < deadline, f"{self.unfinished()} inbox rows still unfinished"
            time.sleep(0.2)


def command_form(api: FakeSlackApi, command: str, text_: str, key: str, *, user: str = SLACK_USER) -> str:
    return urlencode({
        "token": "legacy-verification-token", "team_id": TEAM_ID, "team_domain": "fake", "channel_id": CHANNEL,
        "channel_name": "general", "user_id": user, "user_name": "paul", "command": command, "text": text_,
        "api_app_id": "A0BROKER1", "is_enterprise_install": "false", "response_url": api.response_url(key),
        "trigger_id": f"{key}.123.abc",
    })


def mention_envelope(event_id: str, ts: str, text_: str) -> str:
    event = {"type": "app_mention", "user": SLACK_USER, "text": f"<@{BOT_USER_ID}> {text_}", "ts": ts,
             "channel": CHANNEL, "event_ts": ts}
    return json.dumps({
        "token": "legacy-verification-token", "team_id": TEAM_ID, "api_app_id": "A0BROKER1", "event": event,
        "type": "event_callback", "event_id": event_id, "event_time": int(time.time()),
        "authorizations": [{"enterprise_id": None, "team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True,
                            "is_enterprise_install": False}],
    })


def post_signed(client: httpx.Client, base: str, body: str, content_type: str,
                headers: dict[str, str] | None = None) -> httpx.Response:
    """Sign and send; the caller keeps the headers when it means to replay exactly this request."""
    sent = {"Content-Type": content_type, **(headers or signed_headers(SIGNING_SECRET, body))}
    return client.post(base + "/slack/events", content=body.encode("utf-8"), headers=sent)
