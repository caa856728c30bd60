"""Evaluate the NL engine on eval/nlu_questions.jsonl: accuracy overall and per intent, the
confusions, and p50/p95 time per question.

    .venv/bin/python -m benchmarks.nlu_eval            # on a fresh seeded SQLite copy
    .venv/bin/python -m benchmarks.nlu_eval --failures # also list every wrong answer

An item is correct when the reply's intent matches, every expected entity matches (strings
compared case-insensitively) and every expected fact is a substring of the reply text. Facts of
items marked "requires": COMMAND are only checked when that command is registered; the report
says how many were skipped that way. Items sharing a "conversation" run in file order in one
conversation, so follow-ups see their context; every other item gets a conversation of its own.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot.commands import command_table
from bot.core.message import Message, UserRef
from bot.core.reply import Reply
from bot.router import Router

EVAL_FILE = Path(__file__).resolve().parent.parent / "eval" / "nlu_questions.jsonl"
TODAY = date(2026, 11, 24)  # the same fixed "today" as the test suite; facts depend on it


@dataclass
class Outcome:
    item: dict[str, Any]
    reply: Reply
    seconds: float
    problems: list[str]
    cpu_seconds: float = 0.0
    facts_skipped: bool = False

    @property
    def correct(self) -> bool:
        return not self.problems


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return sum(o.correct for o in self.outcomes) / len(self.outcomes) if self.outcomes else 0.0

    @property
    def intent_accuracy(self) -> float:
        right = sum(o.reply.intent == o.item["intent"] for o in self.outcomes)
        return right / len(self.outcomes) if self.outcomes else 0.0

    @property
    def facts_skipped(self) -> int:
        return sum(o.facts_skipped for o in self.outcomes)

    def percentile_ms(self, pct: float, *, cpu: bool = False) -> float:
        """Wall-clock (or, with `cpu`, this process's CPU) milliseconds at the percentile."""
        times = sorted((o.cpu_seconds if cpu else o.seconds) * 1000 for o in self.outcomes)
        if not times:
            return 0.0
        index = min(len(times) - 1, max(0, round(pct / 100 * len(times) + 0.5) - 1))
        return times[index]

    def per_intent(self) -> dict[str, tuple[int, int]]:
        table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for outcome in self.outcomes:
            row = table[outcome.item["intent"]]
            row[0] += outcome.correct
            row[1] += 1
        return {intent: (right, total) for intent, (right, total) in sorted(table.items())}

    def confusions(self) -> Counter[tuple[str, str]]:
        return Counter(
            (o.item["intent"], o.reply.intent) for o in self.outcomes if o.reply.intent != o.item["intent"]
        )

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.correct]


def load_items(path: Path = EVAL_FILE) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, str) and isinstance(actual, str):
        return expected.casefold() == actual.casefold()
    return bool(expected == actual)


def check(item: dict[str, Any], reply: Reply, commands: set[str]) -> tuple[list[str], bool]:
    """The problems with one reply (empty when right) and whether its facts were skipped."""
    problems: list[str] = []
    if reply.intent != item["intent"]:
        problems.append(f"intent {reply.intent!r}, expected {item['intent']!r}")
    for key, expected in item.get("entities", {}).items():
        actual = reply.entities.get(key)
        if not _same(expected, actual):
            problems.append(f"entity {key}={actual!r}, expected {expected!r}")
    skipped = bool(item.get("requires")) and item["requires"] not in commands
    if not skipped:
        for fact in item.get("facts", []):
            if fact not in reply.text:
                problems.append(f"missing fact {fact!r}")
    return problems, skipped


def run(router: Router, items: list[dict[str, Any]] | None = None) -> Report:
    """Ask every question through `router` (which must have the NL engine installed)."""
    items = items if items is not None else load_items()
    commands = set(command_table())
    report = Report()
    for item in items:
        message = Message(
            text=item["question"],
            user=UserRef.parse(item.get("user", "console:eval")),
            conversation=item.get("conversation") or f"eval-{item['id']}",
            as_of=TODAY,
        )
        started, cpu_started = time.perf_counter(), time.process_time()
        reply = router.handle(message)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        problems, skipped = check(item, reply, commands)
        report.outcomes.append(Outcome(item, reply, elapsed, problems, cpu_seconds=cpu, facts_skipped=skipped))
    return report


def format_report(report: Report, *, show_failures: bool = False) -> Iterator[str]:
    total = len(report.outcomes)
    right = sum(o.correct for o in report.outcomes)
    yield f"Questions: {total}   correct answers: {right} ({report.accuracy:.1%})   " \
          f"intent accuracy: {report.intent_accuracy:.1%}"
    slowest = max((o.seconds for o in report.outcomes), default=0) * 1000
    yield f"Time per question: p50 {report.percentile_ms(50):.1f} ms, p95 {report.percentile_ms(95):.1f} ms, " \
          f"max {slowest:.1f} ms"
    yield f"CPU time per question: p50 {report.percentile_ms(50, cpu=True):.1f} ms, " \
          f"p95 {report.percentile_ms(95, cpu=True):.1f} ms (wall time grows when other processes share the cores)"
    yield f"Facts skipped (command not registered): {report.facts_skipped}"
    yield ""
    yield f"{'intent':<20} {'correct':>8} {'total':>6} {'accuracy':>9}"
    for intent, (ok, count) in report.per_intent().items():
        yield f"{intent:<20} {ok:>8} {count:>6} {ok / count:>9.1%}"
    confusions = report.confusions()
    yield ""
    yield "Confusions (expected -> got):" if confusions else "Confusions: none"
    for (expected, got), count in confusions.most_common():
        yield f"  {expected} -> {got}: {count}"
    if show_failures:
        yield ""
        yield "Wrong answers:"
        for outcome in report.failures():
            yield f"  [{outcome.item['id']}] {outcome.item['question']!r}: " + "; ".join(outcome.problems)
            yield f"      reply: {outcome.reply.text[:200]!r}"


def build_router(database_url: str) -> Router:
    from bot.bootstrap import open_services
    from bot.config import Settings
    return Router(open_services(Settings(database_url=database_url)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.nlu_eval", description=__doc__.splitlines()[0])
    parser.add_argument("--failures", action="store_true", help="list every wrong answer")
    parser.add_argument("--database-url", help="answer from this database instead of a fresh seeded SQLite file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'eval.db'}"
        router = build_router(url)
        router.handle(Message(text="warm up", as_of=TODAY))  # build name indexes before timing
        report = run(router)
        for line in format_report(report, show_failures=args.failures):
            print(line)
        router.services.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
