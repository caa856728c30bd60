"""Backpressure: when the answer workers' queue is full, a slash command's acknowledgement itself
says "busy" (shown only to the person) and the command is not recorded; events still get in."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import text

from bot.adapters.slack.worker import InboxWorker
from bot.bootstrap import open_database
from bot.services.slack_inbox import SlackInbox
from tests.conftest import make_settings
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


def test_places_are_promised_once_even_to_concurrent_acknowledgements(db_path: Path) -> None:
    db = open_database(make_settings(f"sqlite:///{db_path}"))
    try:
        worker = InboxWorker(SlackInbox(db), lambda claim: None, capacity=4)
        with ThreadPoolExecutor(10) as pool:
            promised = list(pool.map(lambda _: worker.reserve(), range(10)))
        assert promised.count(True) == 4
        worker.unreserve()
        assert worker.reserve() and not worker.reserve()
    finally:
        db.dispose()


def test_a_request_is_refused_when_the_workers_pace_could_not_start_it_within_the_budget(db_path: Path) -> None:
    now = [100.0]
    db = open_database(make_settings(f"sqlite:///{db_path}"))
    try:
        worker = InboxWorker(SlackInbox(db), lambda claim: None, capacity=100, threads=1, wait_budget=2.0,
                             clock=lambda: now[0])
        worker._finished.extend([96.0, 97.0, 98.0, 99.0, 99.5])  # one answer a second lately
        assert worker.offer(1) and worker.offer(2)  # one being worked, one waiting: ~1 s
        assert worker.reserve()  # a third would start in ~2 s: within the budget
        assert worker.offer(3, reserved=True)
        assert not worker.reserve()  # a fourth would wait ~3 s: busy
    finally:
        db.dispose()
