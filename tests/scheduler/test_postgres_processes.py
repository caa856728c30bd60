"""Two real `python -m bot tick` processes against one real PostgreSQL database and one fake
Slack: every notification is posted exactly once (claims use FOR UPDATE SKIP LOCKED)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bot.bootstrap import open_database
from bot.core.message import CONSOLE_USER
from bot.services import Services
from tests.conftest import make_settings
from tests.fakes.slack_api import FakeSlackApi
from tests.scheduler.conftest import at

REPO = Path(__file__).resolve().parents[2]
POST = "chat.postMessage"


@pytest.fixture
def slack_api() -> Iterator[FakeSlackApi]:
    with FakeSlackApi() as api:
        yield api


def tick(pg_url: str, api: FakeSlackApi, as_of: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DATABASE_URL": pg_url, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": api.url,
           "BOT_AUTO_SEED": "false"}
    return subprocess.Popen([sys.executable, "-m", "bot", "tick", "--as-of", as_of], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_scheduler_processes_on_postgres_post_each_notification_once(
    pg_url: str, slack_api: FakeSlackApi
) -> None:
    settings = make_settings(pg_url)
    db = open_database(settings)  # migrate and seed the fresh PostgreSQL database
    services = Services.create(settings, db)
    actor = services.actors.actor_for(CONSOLE_USER)
    for index, region in enumerate(services.directory.regions()):
        services.scheduling.subscriptions.subscribe(actor, "slack", f"C{index}", region, at(date(2025, 7, 9), 10))
    services.scheduling.subscriptions.subscribe(actor, "slack", "C_ENG", None, at(date(2025, 7, 9), 10))

    processes = [tick(pg_url, slack_api, "2025-07-14") for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in processes]
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
        assert "Tick at 2025-07-14 12:00" in out

    posts = slack_api.calls_for(POST, ok_only=True)
    sent = services.scheduling.outbox.list("sent", limit=1000)
    assert len(sent) >= 20
    assert len(posts) == len(sent)
    posted = Counter((str(c.payload["channel"]), str(c.payload["text"])) for c in posts)
    assert max(posted.values()) == 1
    assert services.scheduling.outbox.list("pending") == []
    knowsley = [c for c in posts if "Knowsley" in str(c.payload["text"])]
    assert {str(c.payload["channel"]) for c in knowsley} == {"C_ENG", next(
        f"C{i}" for i, r in enumerate(services.directory.regions()) if r.name == "North West")}

    # A second round of two processes at the same moment (a restart) posts nothing again.
    again = [tick(pg_url, slack_api, "2025-07-14") for _ in range(2)]
    for process in again:
        process.communicate(timeout=300)
        assert process.returncode == 0
    assert len(slack_api.calls_for(POST, ok_only=True)) == len(posts)
    db.dispose()


def test_claims_skip_rows_another_process_has_locked_and_leases_expire(pg_url: str) -> None:
    from datetime import timedelta

    from sqlmodel import Session, col, select

    from bot.scheduler.jobs import decide
    from storage.tables import OutboxItem

    settings = make_settings(pg_url)
    db = open_database(settings)
    services = Services.create(settings, db)
    actor = services.actors.actor_for(CONSOLE_USER)
    services.scheduling.subscriptions.subscribe(actor, "slack", "C_ENG", None, at(date(2025, 7, 9), 10))
    now = at(date(2025, 7, 14))
    assert decide(services, now).inserted >= 10
    outbox = services.scheduling.outbox
    lease = timedelta(minutes=5)
    with Session(db.engine) as other:  # another process, mid-claim, holding row locks
        locked = set(other.exec(
            select(OutboxItem.id).where(OutboxItem.status == "pending").order_by(col(OutboxItem.id)).limit(3)
            .with_for_update()
        ).all())
        claimed = outbox.claim("w2", now, lease, limit=1000)
        other.rollback()
    pending = outbox.list("pending", limit=1000)
    assert {r.id for r in claimed}.isdisjoint(locked)
    assert len(claimed) == len(pending) - 3
    assert {r.id for r in outbox.claim("w3", now, lease, limit=1000)} == locked
    assert outbox.claim("w4", now + timedelta(minutes=1), lease, limit=1000) == []  # leases held
    assert len(outbox.claim("w4", now + timedelta(minutes=6), lease, limit=1000)) == len(pending)  # expired
    db.dispose()
