"""Score the real bot on eval/trust_questions.jsonl, exactly as a user reaches it.

Every question goes through `python -m bot ask --json --as-of 2026-11-24 -` (one message per stdin
line). Stdin mode keeps one conversation for the whole process, so each sequence runs in its own
process and each single question in a fresh one; each process gets its own copy of a freshly
seeded SQLite database, so no conversation or write can leak from one unit into another (even
when conversation context lives in the database). A separate pass sends every question through
one warm process, timing each line from write to reply, for the per-question latency.

Run: .venv/bin/python eval/score_trust.py [--jobs 2] [--report eval/trust_report.txt]
Checks per question (all case-insensitive, on whole words):
  must_contain      every item must appear; an item that is a list means "any one of these"
  must_not_contain  none may appear
  first_word        the verdict word ("Yes"/"No") opening the answer (after a title line)
  first_word_not    words the answer must not open with
  intent_in         the reply's intent is one of these
  ok                true: the bot answered (no error reply, no crash)
  no_card           true: no status card presented as the answer
  council_code      the DfE code of the council the answer must be about: the text names it
  council_codes     several councils the answer must all name
  not_council_codes councils of the previous turn the answer must not name
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trust_facts import ROOT, Facts

QUESTIONS = Path(__file__).resolve().parent / "trust_questions.jsonl"
AS_OF = "2026-11-24"
TIMEOUT = 120
CARD = re.compile(r"Ofsted overall {2,}|Inspected / published|Intervention stage {2,}")


@dataclass
class Outcome:
    item: dict[str, Any]
    reply: dict[str, Any] | None
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def normalise(text: str) -> str:
    return (text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
            .replace("&", " and ").replace("\u00a0", " ")).lower()


def contains(text: str, phrase: str) -> bool:
    """Whole-word, case-insensitive: "Adequate" is not found in "Inadequate", "2" not in "2025"."""
    needle = re.sub(r"\s+", " ", normalise(phrase)).strip()
    pattern = re.escape(needle).replace(r"\ ", r"\s+")
    pattern = (r"(?<!\w)" if needle[:1].isalnum() else "") + pattern + (r"(?!\w)" if needle[-1:].isalnum() else "")
    return re.search(pattern, normalise(text)) is not None


def verdict_word(text: str) -> str:
    """The first word of the answer proper: skip a short title line such as "Birmingham"."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    line = lines[0]
    if len(lines) > 1 and not re.search(r"[.?!:]$", line) and len(line.split()) <= 8:
        line = lines[1]
    match = re.match(r"[\W_]*([A-Za-z']+)", line)
    return match.group(1) if match else ""


class Checker:
    def __init__(self, facts: Facts) -> None:
        self.facts = facts

    def formal(self, code: str) -> list[str]:
        council = self.facts.councils[code]
        return sorted(council.forms | {council.display}, key=len, reverse=True)

    def names_council(self, text: str, code: str) -> bool:
        council = self.facts.councils[code]
        return any(contains(text, name) for name in [*self.formal(code), *council.aliases])

    def check(self, item: dict[str, Any], reply: dict[str, Any] | None, error: str | None) -> list[str]:
        expect = item["expect"]
        if reply is None:
            return [f"no reply ({error})"]
        text, intent = str(reply.get("text", "")), str(reply.get("intent", ""))
        fails: list[str] = []
        for entry in expect.get("must_contain", []):
            options = entry if isinstance(entry, list) else [entry]
            if not any(contains(text, option) for option in options):
                fails.append("missing " + " | ".join(options[:6]) + (" | ..." if len(options) > 6 else ""))
        for phrase in expect.get("must_not_contain", []):
            if contains(text, phrase):
                fails.append(f"should not say {phrase!r}")
        word = verdict_word(text)
        if "first_word" in expect and word.lower() != expect["first_word"].lower():
            fails.append(f"opens with {word!r}, expected {expect['first_word']!r}")
        if word.lower() in {w.lower() for w in expect.get("first_word_not", [])}:
            fails.append(f"opens with {word!r}")
        if "intent_in" in expect and intent not in expect["intent_in"]:
            fails.append(f"intent {intent!r} not in {expect['intent_in']}")
        if expect.get("ok") and (intent == "error" or not text.strip()):
            fails.append(f"error reply (intent {intent!r})")
        if expect.get("no_card") and CARD.search(text):
            fails.append("gave a status card")
        wanted = [expect["council_code"]] if expect.get("council_code") else []
        wanted += expect.get("council_codes", [])
        for code in wanted:
            if not self.names_council(text, code):
                fails.append(f"does not name {self.facts.councils[code].display} ({code})")
        scrubbed = text
        for code in wanted:  # "Lincolnshire" inside "North Lincolnshire" is not a mention
            for name in self.formal(code):
                scrubbed = re.sub(re.escape(name), " ", scrubbed, flags=re.I)
        for code in expect.get("not_council_codes", []):
            if code not in wanted and any(contains(scrubbed, name) for name in self.formal(code)):
                fails.append(f"names the previous council {self.facts.councils[code].display} ({code})")
        return fails


def units(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """One list per process: a whole sequence, or one single question."""
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    out: list[list[dict[str, Any]]] = []
    for item in items:
        if item["sequence"]:
            if item["sequence"] not in grouped:
                out.append(grouped[item["sequence"]])
            grouped[item["sequence"]].append(item)
        else:
            out.append([item])
    return out


class Runner:
    def __init__(self, python: str, workdir: Path) -> None:
        self.python = python
        self.workdir = workdir
        self.template = workdir / "seeded.db"

    def env(self, db: Path) -> dict[str, str]:
        env = dict(os.environ)
        env["DATABASE_URL"] = f"sqlite:///{db}"
        env.pop("SLACK_BOT_TOKEN", None)
        env.pop("SLACK_APP_TOKEN", None)
        return env

    def seed(self) -> None:
        done = subprocess.run([self.python, "-m", "bot", "seed"], cwd=ROOT, env=self.env(self.template),
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise SystemExit(f"seeding failed:\n{done.stderr[-2000:]}")

    def fresh_db(self, name: str) -> Path:
        target = self.workdir / f"{name}.db"
        shutil.copyfile(self.template, target)
        return target

    def start(self, db: Path) -> subprocess.Popen[str]:
        return subprocess.Popen([self.python, "-m", "bot", "ask", "--json", "--as-of", AS_OF, "-"], cwd=ROOT,
                                env=self.env(db), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, bufsize=1)

    def run_unit(self, unit: list[dict[str, Any]]) -> list[tuple[dict[str, Any] | None, str | None]]:
        """All lines of one unit through one process, in order; replies matched line by line."""
        db = self.fresh_db(unit[0]["id"])
        try:
            lines = "".join(item["question"] + "\n" for item in unit)
            done = subprocess.run([self.python, "-m", "bot", "ask", "--json", "--as-of", AS_OF, "-"], cwd=ROOT,
                                  env=self.env(db), input=lines, capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return [(None, "timeout")] * len(unit)
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
        replies = []
        for line in done.stdout.splitlines():
            try:
                replies.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        error = f"exit {done.returncode}: {done.stderr.strip()[-300:]}" if done.returncode else None
        return [(replies[i], None) if i < len(replies) else (None, error or "no output line") for i in range(len(unit))]

    def latency(self, items: list[dict[str, Any]]) -> list[float]:
        """Seconds per question in one warm process (the first line, which waits for start-up, is
        left out). Context carries between lines here: only the time is used."""
        process = self.start(self.fresh_db("latency"))
        assert process.stdin is not None and process.stdout is not None
        times: list[float] = []
        for index, item in enumerate(items):
            started = time.perf_counter()
            process.stdin.write(item["question"] + "\n")
            process.stdin.flush()
            if not process.stdout.readline():
                break
            if index:
                times.append(time.perf_counter() - started)
        process.stdin.close()
        process.wait(timeout=TIMEOUT)
        return times


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--report", type=Path, default=Path(__file__).resolve().parent / "trust_report.txt")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--no-latency", action="store_true")
    args = parser.parse_args()

    items = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    checker = Checker(Facts())
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="trust-eval-") as tmp:
        runner = Runner(args.python, Path(tmp))
        runner.seed()
        work = units(items)
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(runner.run_unit, work))
        latencies = [] if args.no_latency else runner.latency(items)
    wall = time.perf_counter() - started

    outcomes: list[Outcome] = []
    for unit, replies in zip(work, results, strict=True):
        for item, (reply, error) in zip(unit, replies, strict=True):
            outcomes.append(Outcome(item, reply, checker.check(item, reply, error)))
    outcomes.sort(key=lambda o: o.item["id"])

    by_category: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_category[outcome.item["category"]].append(outcome)
    passed = sum(o.passed for o in outcomes)
    lines = [f"Trust evaluation: {passed}/{len(outcomes)} passed ({100 * passed / len(outcomes):.1f}%)",
             f"  as of {AS_OF}; {len(work)} processes; {wall:.0f} s wall"]
    for category, group in by_category.items():
        ok = sum(o.passed for o in group)
        lines.append(f"  {category:15} {ok:4}/{len(group):<4} {100 * ok / len(group):5.1f}%")
    if latencies:
        p50, p95 = 1000 * statistics.median(latencies), 1000 * percentile(latencies, 0.95)
        lines.append(f"  latency per question (warm process, {len(latencies)} lines): "
                     f"p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    summary = "\n".join(lines)
    print(summary)

    report = [summary, "", "Failures", "========"]
    for outcome in outcomes:
        if outcome.passed:
            continue
        item, reply = outcome.item, outcome.reply or {}
        text = str(reply.get("text", "")).strip().replace("\n", " | ")
        report += [f"{item['id']} [{item['category']}{'/' + item['sequence'] if item['sequence'] else ''}] "
                   f"{item['question']}",
                   f"  expected: {json.dumps(item['expect'], ensure_ascii=False)[:400]}",
                   f"  failed:   {'; '.join(outcome.failures)}",
                   f"  got:      intent={reply.get('intent')!r} {text[:400]}", ""]
    args.report.write_text("\n".join(report) + "\n", encoding="utf-8")
    print(f"report: {args.report}")
    return 0 if passed == len(outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
