"""With SLACK_APP_TOKEN set the app connects by Socket Mode (no public URL) and answers over it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.fakes.slack_api import BOT_USER_ID, FakeSlackApi
from tests.fakes.socket_mode import FakeSocketMode
from tests.slack.conftest import CHANNEL, USER, SlackServer, slack_settings
from tests.slack.test_events import mention


def test_socket_mode_receives_commands_and_events(db_path: Path, slack_api: FakeSlackApi) -> None:
    with FakeSocketMode() as socket:
        slack_api.respond("apps.connections.open", lambda payload: {"ok": True, "url": socket.url})
        settings = slack_settings(db_path, slack_api, slack_app_token="xapp-1-test", slack_signing_secret="")
        server = SlackServer(settings).start()
        try:
            socket.wait_connected()
            opened = slack_api.calls_for("apps.connections.open")[0]
            assert opened.token == "xapp-1-test"
            socket.send("slash_commands", {"command": "/council", "text": "Harrow", "user_id": USER,
                                           "channel_id": CHANNEL, "team_id": "T0FAKE001",
                                           "response_url": slack_api.response_url("sock")}, "env-1")
            assert socket.wait_ack("env-1") == {"envelope_id": "env-1"}
            assert "Harrow" in slack_api.wait_for("response_url")[0].payload["text"]
            event = {"type": "event_callback", "team_id": "T0FAKE001", "event_id": "Ev0SOCKET1",
                     "event": mention(f"<@{BOT_USER_ID}> council Leeds")}
            socket.send("events_api", event, "env-2")
            socket.send("events_api", event, "env-3")  # a redelivery: acked, not answered again
            socket.wait_ack("env-3")
            assert "Leeds" in slack_api.wait_for("chat.postMessage")[0].payload["text"]
            # Without a signing secret the HTTP endpoint refuses events rather than skip verification.
            refused = server.http.post("/slack/events", content=json.dumps(event))
            assert refused.status_code == 503
        finally:
            server.stop()
    assert len(slack_api.calls_for("chat.postMessage")) == 1
