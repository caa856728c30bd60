"""Due notifications, real `python -m bot tick` processes and the figures a delivery fault test
reports: attempts (posts tried), posted, doubled, lost."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot.bootstrap import open_database
from bot.core import reply_codec
from bot.core.message import CONSOLE_USER
from bot.core.reply import Reply
from bot.services import Services
from bot.services.scheduling import NewOutboxRow
from tests.conftest import make_settings
from tests.fakes.slack_api import FakeSlackApi
from tests.scheduler.conftest import at

ROOT = Path(__file__).resolve().parents[2]
POST = "chat.postMessage"
DUE_DAY = date(2025, 7, 14)
AS_OF = "2025-07-14"  # the passes run at noon that day; every seeded row is due at 09:00


def seed_notifications(database_url: str, count: int, destinations: list[str] | None = None) -> list[str]:
    """`count` pending notifications due on DUE_DAY, each with its own text, to `destinations`
    (one per notification, in claim order; by default a channel each). Returns their texts."""
    targets = destinations or [f"C{i:04d}" for i in range(count)]
    db = open_database(make_settings(database_url))
    services = Services.create(make_settings(database_url), db)
    actor = services.actors.actor_for(CONSOLE_USER)
    holder = services.scheduling.subscriptions.subscribe(actor, "slack", "C_SEED", None, at(date(2025, 7, 1), 10))
    texts = [f"Fault-suite notification {i:04d}" for i in range(count)]
    rows = [
        NewOutboxRow(
            key=f"fault|{i}|slack:{targets[i]}", platform="slack", destination=targets[i], scope="national",
            kind="digest",
            subject=f"fault-{i}", series_key=f"fault-{i}", due_date=DUE_DAY, due_at=at(DUE_DAY, 9),
            payload=reply_codec.dumps(Reply(text=text)),
        )
        for i, text in enumerate(texts)
    ]
    assert services.scheduling.outbox.enqueue(holder.id, rows, at(DUE_DAY, 9)) == count
    # The holder subscription goes again, so the passes decide nothing new: only these rows are due.
    services.scheduling.subscriptions.unsubscribe(actor, "slack", "C_SEED", None)
    db.dispose()
    return texts


def tick(database_url: str, api: FakeSlackApi, as_of: str | None = AS_OF, **env: str) -> subprocess.Popen[str]:
    full_env = {**os.environ, "DATABASE_URL": database_url, "SLACK_BOT_TOKEN": "xoxb-test",
                "SLACK_API_URL": api.url, "BOT_AUTO_SEED": "false", **env}
    command = [sys.executable, "-m", "bot", "tick"] + (["--as-of", as_of] if as_of else [])
    return subprocess.Popen(command, cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def slow_posts(api: FakeSlackApi, seconds: float) -> None:
    """Make every chat.postMessage take `seconds` (so a pass is long enough to interrupt)."""
    def answer(payload: dict[str, Any]) -> dict[str, Any]:
        time.sleep(seconds)
        return {"ok": True, "channel": payload.get("channel"), "ts": f"{time.time():.6f}"}

    api.respond(POST, answer)


@dataclass(frozen=True)
class Figures:
    due: int
    attempts: int  # chat.postMessage requests received, failed ones included
    posted: int  # distinct notifications that reached Slack
    doubled: int  # extra copies of a notification
    lost: int  # due notifications never posted

    def line(self, name: str) -> str:
        return (f"FIGURES {name}: due {self.due}, attempts {self.attempts}, posted {self.posted}, "
                f"doubled {self.doubled}, lost {self.lost}")


def figures(api: FakeSlackApi, texts: list[str]) -> Figures:
    posts = Counter(str(c.payload.get("text")) for c in api.calls_for(POST, ok_only=True))
    wanted = set(texts)
    return Figures(
        due=len(texts),
        attempts=len(api.calls_for(POST)),
        posted=len(wanted & set(posts)),
        doubled=sum(n - 1 for text, n in posts.items() if text in wanted and n > 1),
        lost=len(wanted - set(posts)),
    )


def outbox_counts(database_url: str) -> dict[str, int]:
    db = open_database(make_settings(database_url))
    try:
        return Services.create(make_settings(database_url), db).scheduling.outbox.counts()
    finally:
        db.dispose()


def record(line: str) -> None:
    """Print a figures line (run with -s to see them) and keep it in FAULT_FIGURES if set."""
    print(line)
    target = os.environ.get("FAULT_FIGURES")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(line + "\n")
