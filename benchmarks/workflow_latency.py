"""In-process latency of the broker workflow commands through the router on a seeded SQLite file:
the sign-up board, a sign-up write, an escalation write with its undo, /deadlines and /audit.
Prints median and 95th percentile per command."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.bootstrap import open_database
from bot.config import Settings
from bot.core.message import Message
from bot.router import Router
from bot.services import Services

RUNS = int(os.environ.get("WORKFLOW_RUNS", "50"))
TODAY = date(2026, 11, 24)


def timed(router: Router, text: str) -> float:
    started = time.perf_counter()
    reply = router.handle(Message(text=text, as_of=TODAY))
    elapsed = time.perf_counter() - started
    if reply.kind == "error":
        raise SystemExit(f"{text!r} failed: {reply.text}")
    return elapsed


def line(label: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    median = statistics.median(samples) * 1000
    return f"{label:<44} median {median:6.1f} ms   p95 {p95 * 1000:6.1f} ms   (n={len(samples)})"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'bench.db'}")
        db = open_database(settings)
        router = Router(Services.create(settings, db))
        figures: dict[str, list[float]] = {}
        for i in range(RUNS):
            status = "agreed" if i % 2 else "declined"
            for label, text in (
                ("/signup (board)", "/signup"),
                ("/signup London (detail)", "/signup London"),
                ("/signup London dcs STATUS (write + audit)", f"/signup London dcs {status} 20/11/2026 bench"),
                ("/escalate Harrow commissioner (write)", "/escalate Harrow commissioner 20/11/2026"),
                ("/undo (revert the escalation)", "/undo"),
                ("/deadlines (England, 30 days)", "/deadlines"),
                ("/audit London", "/audit London"),
            ):
                figures.setdefault(label, []).append(timed(router, text))
        db.dispose()
    print(f"Broker workflow commands through the router (SQLite, in process, {RUNS} runs each)")
    for label, samples in figures.items():
        print(line(label, samples))


if __name__ == "__main__":
    main()
