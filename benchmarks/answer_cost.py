"""What one answer costs in process: the real Router (as `python -m bot ask` builds it) on a seeded
SQLite file, timed from `Router.handle` to the reply, per kind of message:

  card          `/council Harrow`                                         target p50 < 1 ms
  plain English the trust questions asked alone (eval/trust_questions.jsonl) target p95 < 5 ms
  several       the trust questions naming several councils or regions
  follow-up     the trust question sequences, each in its own conversation

Each kind is measured twice in one run: with the reference cache (councils, regions, judgements,
roster held in memory, checked against the database's reference version once per answer) and
with it switched off (`Services.reference.enabled = False`: the reference data is read from the
database for every answer, which is also what the first answer after any write pays). Run on a
tree without the cache (`Services` without `reference`), it prints the one column it can.

Run: .venv/bin/python benchmarks/answer_cost.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.bootstrap import build_router, open_database
from bot.config import Settings
from bot.core.message import Message, UserRef
from bot.router import Router
from bot.services import Services

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "eval" / "trust_questions.jsonl"
TODAY = date(2026, 11, 24)
TARGETS = {"card": ("p50", 1.0), "plain English": ("p95", 5.0)}


@dataclass(frozen=True)
class Turn:
    kind: str
    conversation: str
    text: str


def turns() -> list[Turn]:
    """Every message of the run, in order: a conversation's turns stay together."""
    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    result = [Turn("card", f"card-{i}", "/council Harrow") for i in range(40)]
    for row in rows:
        if row["sequence"] is not None:
            result.append(Turn("follow-up", f"seq-{row['sequence']}", row["question"]))
        elif row["category"] == "several":
            result.append(Turn("several", f"q-{row['id']}", row["question"]))
        else:
            result.append(Turn("plain English", f"q-{row['id']}", row["question"]))
    return result


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def measure(router: Router, plan: list[Turn], rounds: int, run: str) -> dict[str, list[float]]:
    """Milliseconds per kind over `rounds` passes (after one untimed pass that warms everything);
    each pass has conversations of its own, so a follow-up follows its own sequence."""
    figures: dict[str, list[float]] = {}
    for round_number in range(rounds + 1):
        for turn in plan:
            message = Message(
                text=turn.text, user=UserRef(platform="console", id="bench"),
                conversation=f"{run}-{round_number}-{turn.conversation}", as_of=TODAY,
            )  # fmt: skip
            started = time.perf_counter()
            router.handle(message)
            elapsed = (time.perf_counter() - started) * 1000
            if round_number:
                figures.setdefault(turn.kind, []).append(elapsed)
    return figures


def set_cache(services: Services, enabled: bool) -> bool:
    """Switch the reference cache on or off; False when this tree has none."""
    reference = getattr(services, "reference", None)
    if reference is None:
        return False
    reference.enabled = enabled
    return True


def rows(cached: dict[str, list[float]], uncached: dict[str, list[float]] | None) -> Iterator[str]:
    head = f"{'kind':<14} {'n':>5} {'p50':>8} {'p95':>8} {'p99':>8}   {'target':<14}"
    if uncached is not None:
        head += f" {'cache off p50':>13} {'p95':>8} {'p99':>8}"
    yield head
    for kind, samples in cached.items():
        target = TARGETS.get(kind)
        verdict = ""
        if target is not None:
            name, limit = target
            value = percentile(samples, 0.5 if name == "p50" else 0.95)
            verdict = f"{name} < {limit:g} ms {'ok' if value < limit else 'MISSED'}"
        line = (f"{kind:<14} {len(samples):>5} {percentile(samples, 0.5):>8.2f} {percentile(samples, 0.95):>8.2f} "
                f"{percentile(samples, 0.99):>8.2f}   {verdict:<14}")
        if uncached is not None:
            off = uncached[kind]
            line += f" {percentile(off, 0.5):>13.2f} {percentile(off, 0.95):>8.2f} {percentile(off, 0.99):>8.2f}"
        yield line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="timed passes over the messages (default 5)")
    args = parser.parse_args()
    plan = turns()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'bench.db'}")
        db = open_database(settings)
        services = Services.create(settings, db)
        router = build_router(services)
        has_cache = set_cache(services, True)
        cached = measure(router, plan, args.rounds, "cached")
        uncached = None
        if has_cache:
            set_cache(services, False)
            uncached = measure(router, plan, args.rounds, "uncached")
            set_cache(services, True)
        db.dispose()
    label = "reference cache on" if has_cache else "this tree has no reference cache"
    print(f"Per-answer cost through the Router, in process, SQLite, milliseconds ({label}; {args.rounds} rounds)")
    for line in rows(cached, uncached):
        print(line)


if __name__ == "__main__":
    main()
