"""Backpressure: when the answer workers' queue is full, a slash command's acknowledgement itself
says "busy" (shown only to the person) and the command is not recorded; events still get in."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text

from tests.fakes.slack_api import BOT_USER_ID, FakeSlackApi
from tests.fakes.slack_harness import SlackServer, slack_settings


def inbox_rows(server: SlackServer) -> int:
    with server.services.db.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM slack_inbox")).scalar_one())


def test_a_full_queue_refuses_a_slash_command_in_its_acknowledgement(db_path: Path, slack_api: FakeSlackApi) -> None:
    server = SlackServer(slack_settings(db_path, slack_api, slack_work_queue=2)).start()
    try:
        slack_api.hold("response_url")  # the two accepted answers get stuck sending: the queue is full
        accepted = [server.command(slack_api, "/council", name) for name in ("Harrow", "Leeds")]
        assert [(r.status_code, r.content) for r in accepted] == [(200, b""), (200, b"")]
        slack_api.wait_for("response_url", count=2, ok_only=False)

        refused = server.command(slack_api, "/council", "Barnet")
        assert refused.status_code == 200
        assert json.loads(refused.content) == {"response_type": "ephemeral",
                                               "text": "I'm busy right now: try again in a minute."}
        assert inbox_rows(server) == 2  # not recorded as accepted

        # an event cannot be told "busy": it waits in the inbox and is answered once there is room
        mention = {"type": "app_mention", "user": "U0ASKER01", "text": f"<@{BOT_USER_ID}> council Harrow",
                   "ts": "1700000009.000100", "channel": "C0GENERAL", "event_ts": "1700000009.000100"}
        assert server.event(mention).status_code == 200
        assert inbox_rows(server) == 3
        slack_api.release()
        posted = slack_api.wait_for("chat.postMessage", timeout=20)
        assert any(c.payload.get("thread_ts") == "1700000009.000100" for c in posted)
    finally:
        slack_api.release()
        server.stop()
