"""What recognising people by email costs per message, in process on a seeded SQLite file.

`/council Harrow` through the router as: the console (no lookup at all), a linked Slack broker
(one indexed read: linked users are never looked up), an unlinked Slack user whose miss is
remembered (two reads, no network), and the first message of unlinked users (a `users.info`
call to a local fake Slack Web API, then a short write). Prints median and p95 per case."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.bootstrap import build_router, open_database
from bot.config import Settings
from bot.core.message import Message, UserRef
from bot.router import Router
from bot.services import Services
from tests.fakes.slack_api import FakeSlackApi

RUNS = int(os.environ.get("IDENTITY_RUNS", "100"))
TODAY = date(2026, 11, 24)


def timed(router: Router, user: UserRef) -> float:
    started = time.perf_counter()
    reply = router.handle(Message(text="/council Harrow", user=user, as_of=TODAY))
    elapsed = time.perf_counter() - started
    if reply.kind == "error":
        raise SystemExit(f"failed for {user}: {reply.text}")
    return elapsed


def line(label: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return (f"{label:<52} median {statistics.median(samples) * 1000:6.1f} ms   "
            f"p95 {p95 * 1000:6.1f} ms   (n={len(samples)})")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, FakeSlackApi() as api:
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'bench.db'}", slack_bot_token="xoxb-bench",
                            slack_api_url=api.url)
        services = Services.create(settings, open_database(settings))
        router = build_router(services)
        api.add_user("U0PAUL001", email="curran56@yahoo.co.uk")
        paul = UserRef("slack", "U0PAUL001")
        timed(router, paul)  # linked by email here
        for n in range(RUNS):
            api.add_user(f"U0NEW{n:04d}", email=f"new{n}@example.org")
        cases = {
            "console (no lookup)": [UserRef("console", "local")] * RUNS,
            "linked Slack broker (never looked up)": [paul] * RUNS,
            "unlinked, first message (users.info + write)": [UserRef("slack", f"U0NEW{n:04d}") for n in range(RUNS)],
            "unlinked, miss remembered (no network)": [UserRef("slack", f"U0NEW{n:04d}") for n in range(RUNS)],
        }
        for label, users in cases.items():
            print(line(label, [timed(router, user) for user in users]))
        print(f"users.info calls: {len(api.calls_for('users.info'))} for {RUNS + 1} new users")
        services.db.dispose()


if __name__ == "__main__":
    main()
