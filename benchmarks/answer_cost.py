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

`--compare-tree DIR` also runs the same messages in a subprocess on the code in DIR (say a copy of
main before the cache: `git archive main | tar -x -C /tmp/main`) and prints its figures alongside.

Run: .venv/bin/python benchmarks/answer_cost.py [--rounds 5] [--compare-tree DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

# The code measured: this tree, or the one a comparison run names (see --compare-tree).
sys.path.insert(0, os.environ.get("ANSWER_COST_TREE") or str(Path(__file__).resolve().parents[1]))

from bot.bootstrap import build_router, open_database
from bot.config import Settings
from bot.core.message import Message, UserRef
from bot.router import Router
from bot.services import Services

QUESTIONS = Path(__file__).resolve().parents[1] / "eval" / "trust_questions.jsonl"
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


Figures = dict[str, list[float]]


def summary(samples: list[float]) -> str:
    return f"{percentile(samples, 0.5):>7.2f} {percentile(samples, 0.95):>7.2f} {percentile(samples, 0.99):>7.2f}"


def rows(cached: Figures, uncached: Figures | None, compared: Figures | None, compared_label: str) -> Iterator[str]:
    head = f"{'kind':<14} {'n':>5} {'p50':>7} {'p95':>7} {'p99':>7}   {'target':<18}"
    if uncached is not None:
        head += " | cache off: p50     p95     p99"
    if compared is not None:
        head += f" | {compared_label}: p50     p95     p99"
    yield head
    for kind, samples in cached.items():
        verdict = ""
        if kind in TARGETS:
            name, limit = TARGETS[kind]
            value = percentile(samples, 0.5 if name == "p50" else 0.95)
            verdict = f"{name} < {limit:g} ms {'ok' if value < limit else 'MISSED'}"
        line = f"{kind:<14} {len(samples):>5} {summary(samples)}   {verdict:<18}"
        if uncached is not None:
            line += f" |          {summary(uncached[kind])}"
        if compared is not None:
            line += f" | {' ' * len(compared_label)}  {summary(compared[kind])}"
        yield line


def run_tree(tree: Path, rounds: int) -> Figures:
    """The same measurement on the code in `tree`, in a subprocess (its own imports)."""
    result = subprocess.run(
        [sys.executable, __file__, "--rounds", str(rounds), "--json"],
        env={**os.environ, "ANSWER_COST_TREE": str(tree.resolve())}, capture_output=True, text=True, check=True,
    )
    figures: Figures = json.loads(result.stdout)["cached"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="timed passes over the messages (default 5)")
    parser.add_argument("--compare-tree", type=Path, help="also measure the code in this directory")
    parser.add_argument("--json", action="store_true", help="print the samples as JSON")
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
    if args.json:
        print(json.dumps({"cached": cached, "uncached": uncached}))
        return
    compared = run_tree(args.compare_tree, args.rounds) if args.compare_tree else None
    label = "reference cache on" if has_cache else "this tree has no reference cache"
    print(f"Per-answer cost through the Router, in process, SQLite, milliseconds ({label}; {args.rounds} rounds;"
          f" load average {os.getloadavg()[0]:.2f})")
    for line in rows(cached, uncached, compared, f"{args.compare_tree}" if args.compare_tree else ""):
        print(line)


if __name__ == "__main__":
    main()
