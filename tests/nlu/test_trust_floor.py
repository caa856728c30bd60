"""The trust question set's name, follow-up, out-of-domain and several-at-once questions, run
in-process through the real router on a seeded SQLite copy and checked by the scorer's own rules
(eval/score_trust.py). A regression below the floor fails here, not only in the eval script."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.core.message import Message, UserRef
from bot.render.text import render_text
from bot.router import Router
from tests.conftest import TODAY

EVAL = Path(__file__).parents[2] / "eval"
CATEGORIES = {"names", "ambiguous", "followup", "out_of_domain", "several"}
FLOOR = 0.97


def _checker() -> Any:
    sys.path.insert(0, str(EVAL))
    try:
        from score_trust import Checker, units  # type: ignore[import-not-found]
        from trust_facts import SEEDS, Facts  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(EVAL))
    if not SEEDS.exists():
        pytest.skip(f"the official source files the expected answers come from are not at {SEEDS}")
    return Checker(Facts()), units


def test_trust_questions_about_names_follow_ups_and_scope_stay_above_the_floor(router: Router) -> None:
    checker, units = _checker()
    items = [json.loads(line) for line in (EVAL / "trust_questions.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    items = [item for item in items if item["category"] in CATEGORIES]
    failures: list[str] = []
    for number, unit in enumerate(units(items)):
        for item in unit:  # each unit is one conversation, as each is one process in the eval script
            reply = router.handle(Message(text=item["question"], user=UserRef("console", "trust"),
                                          conversation=f"trust-{number}", as_of=TODAY))
            payload = {"text": render_text(reply), "intent": reply.intent}
            problems = checker.check(item, payload, None)
            if problems:
                failures.append(f"{item['id']} {item['question']!r}: {'; '.join(problems)}")
    passed = 1 - len(failures) / len(items)
    assert len(items) >= 240
    assert passed >= FLOOR, f"{passed:.1%} passed; failures:\n" + "\n".join(failures)
