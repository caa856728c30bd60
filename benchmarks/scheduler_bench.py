"""Scheduler benchmark: the time of one pass (decide what is due, enqueue, send) over synthetic
growth of 10x and 100x: 1,500 and 15,000 councils' worth of open escalations and peer reviews.

Each scale gets a fresh seeded database plus synthetic councils spread over the nine regions,
each with an escalation whose deadline falls somewhere in the year around the pass and a
scheduled peer review. Nine region channels and one national channel are subscribed a week
before the pass, so the first pass also does a week's catch-up. A second pass at the same
moment measures the idempotent case (nothing new to enqueue). Sending uses a no-op sender with
the per-channel pacing switched off, so the figures are the bot's own cost, not Slack's.

At 100x (15,000 councils) each figure is printed beside its target: the first pass under 5 s,
of which deciding under 1 s (so sending under the other 4 s), and a repeat pass under 0.5 s.
The machine's load average is printed too: the figures are wall-clock times.

    .venv/bin/python benchmarks/scheduler_bench.py [--scales 1500,15000] [--postgres URL|auto]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import func, select

from bot.bootstrap import open_database
from bot.config import Settings
from bot.core.message import CONSOLE_USER
from bot.core.reply import Reply
from bot.scheduler.delivery import Deliverer
from bot.scheduler.runtime import SchedulerRuntime
from bot.services import Services
from storage.tables import Council, InterventionEvent, PeerReview

LONDON = ZoneInfo("Europe/London")
PASS_AT = datetime(2026, 11, 30, 12, 0, tzinfo=LONDON)  # a Monday: digests and reminders due
TARGET_SCALE = 15_000  # 100x growth: where the targets apply
# (figure, label, target in seconds)
TARGETS = (("first_pass_s", "first pass", 5.0), ("decide_s", "deciding", 1.0), ("send_s", "sending", 4.0),
           ("repeat_pass_s", "repeat pass", 0.5))


class NullSender:
    def __init__(self) -> None:
        self.count = 0

    def send(self, destination: str, reply: Reply) -> str | None:
        self.count += 1
        return str(self.count)


def grow(services: Services, councils: int, seed: int = 7) -> None:
    """Add synthetic councils with escalations and peer reviews until there are `councils`."""
    rng = random.Random(seed)
    regions = services.directory.regions()
    today = PASS_AT.date()
    with services.db.session() as session:
        existing = int(session.exec(select(func.count()).select_from(Council)).one())
        new = [
            Council(ons_code=f"X{i:08d}", dfe_code=f"{i % 1000:03d}", name=f"Synthetic council {i}",
                    la_type="Synthetic", region_id=regions[i % len(regions)].id, current=True)
            for i in range(max(councils - existing, 0))
        ]
        session.add_all(new)
        session.flush()
        for council in new:
            since = today - timedelta(days=rng.randint(30, 400))
            session.add(InterventionEvent(council_id=council.id or 0, stage="judged_inadequate", event_date=since,
                                          deadline=today + timedelta(days=rng.randint(-200, 200)), note="synthetic"))
            start = today + timedelta(days=rng.randint(-30, 90))
            session.add(PeerReview(council_id=council.id or 0, start_date=start, end_date=start + timedelta(days=3),
                                   status="scheduled", note="synthetic"))


def run_scale(database_url: str, councils: int) -> dict[str, float]:
    settings = Settings(database_url=database_url)
    db = open_database(settings)
    services = Services.create(settings, db)
    started = time.perf_counter()
    grow(services, councils)
    grow_seconds = time.perf_counter() - started
    actor = services.actors.actor_for(CONSOLE_USER)
    subscribed = (PASS_AT - timedelta(days=7)).astimezone(UTC)
    for index, region in enumerate(services.directory.regions()):
        services.scheduling.subscriptions.subscribe(actor, "slack", f"C{index}", region, subscribed)
    services.scheduling.subscriptions.subscribe(actor, "slack", "C_ENG", None, subscribed)
    sender = NullSender()
    deliverer = Deliverer(services.scheduling.outbox, {"slack": sender}, per_channel_interval=0.0)
    runtime = SchedulerRuntime(services, {"slack": sender}, deliverer=deliverer)

    started = time.perf_counter()
    decided = runtime.decide(PASS_AT)
    decide_seconds = time.perf_counter() - started
    sending_started = time.perf_counter()
    delivered = runtime.deliver(PASS_AT)
    send_seconds = time.perf_counter() - sending_started
    first_seconds = time.perf_counter() - started
    started = time.perf_counter()
    second = runtime.run_pass(PASS_AT)
    second_seconds = time.perf_counter() - started
    started = time.perf_counter()
    runtime.decide(PASS_AT + timedelta(days=1))
    next_day_seconds = time.perf_counter() - started
    db.dispose()
    return {
        "councils": councils, "grow_s": grow_seconds, "first_pass_s": first_seconds,
        "enqueued": decided.inserted, "sent": delivered.sent, "decide_s": decide_seconds, "send_s": send_seconds,
        "repeat_pass_s": second_seconds, "repeat_new": second.decided.inserted,
        "next_day_decide_s": next_day_seconds,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1500,15000")
    parser.add_argument("--postgres", help="also run on this empty PostgreSQL database URL, or 'auto' for a "
                        "throwaway server started from the machine's PostgreSQL binaries")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"Scheduler pass at {PASS_AT:%a %d %b %Y %H:%M} (Europe/London); 10 subscribed channels; "
          f"load average {load} on {os.cpu_count()} CPUs")
    print(f"{'backend':10} {'councils':>8} {'first pass':>11} {'(decide)':>9} {'(send)':>8} {'enqueued':>9} "
          f"{'sent':>6} {'repeat pass':>12} {'next-day decide':>16}")
    for councils in scales:
        with tempfile.TemporaryDirectory() as tmp:
            result = run_scale(f"sqlite:///{Path(tmp) / 'bench.db'}", councils)
        _print("sqlite", result)
    if args.postgres:
        for index, councils in enumerate(scales):
            if args.postgres == "auto":
                _run_on_throwaway_postgres(councils, index)
            else:
                _print("postgresql", run_scale(args.postgres, councils))
    return 0


def _run_on_throwaway_postgres(councils: int, index: int) -> None:
    """`--postgres auto`: a throwaway server from the machine's binaries (as the tests do)."""
    from tests.pg import PostgresServer, find_pg_bin

    bin_dir = find_pg_bin()
    if bin_dir is None:
        print("postgresql: skipped (no PostgreSQL binaries on this machine)")
        return
    server = PostgresServer(bin_dir)
    server.start()
    try:
        _print("postgresql", run_scale(server.create_database(f"bench{index}"), councils))
    finally:
        server.stop()


def _print(backend: str, r: dict[str, float]) -> None:
    print(f"{backend:10} {int(r['councils']):>8} {r['first_pass_s']:>10.2f}s {r['decide_s']:>8.2f}s "
          f"{r['send_s']:>7.2f}s {int(r['enqueued']):>9} "
          f"{int(r['sent']):>6} {r['repeat_pass_s']:>11.2f}s {r['next_day_decide_s']:>15.2f}s", flush=True)
    if r["councils"] >= TARGET_SCALE:
        print(f"  {backend} targets at 100x: " + "; ".join(
            f"{label} {r[figure]:.2f} s (target < {target:g} s: {'met' if r[figure] < target else 'MISSED'})"
            for figure, label, target in TARGETS), flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
