"""The trust evaluation's history and documents questions, run in-process through the real router
on a seeded SQLite copy and scored by eval/score_trust.py's own checker (whose expected answers
eval/trust_facts.py computes from the official files, independently of the bot's loaders)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bot.core.message import Message, UserRef
from bot.render.text import render_text
from bot.router import Router
from tests.conftest import TODAY

EVAL = Path(__file__).resolve().parents[2] / "eval"
sys.path.insert(0, str(EVAL))

from score_trust import Checker  # noqa: E402
from trust_facts import Facts  # noqa: E402

CATEGORIES = {"history", "documents"}
MIN_SCORE = 0.95


def trust_items() -> list[dict[str, Any]]:
    lines = (EVAL / "trust_questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [item for item in map(json.loads, filter(None, lines)) if item["category"] in CATEGORIES]


def test_history_and_documents_questions_score_at_least_95_percent(router: Router) -> None:
    items = trust_items()
    assert len(items) >= 80 and all(item["sequence"] is None for item in items)  # single questions only
    checker = Checker(Facts())
    failures = []
    for item in items:  # each in its own conversation, as score_trust runs each in a fresh process
        reply = router.handle(Message(text=item["question"], user=UserRef.parse("console:trust"),
                                      conversation=f"trust-{item['id']}", as_of=TODAY))
        payload = {"intent": reply.intent, "text": render_text(reply), "entities": reply.entities}
        problems = checker.check(item, payload, None)
        if problems:
            failures.append(f"{item['id']} {item['question']}: {'; '.join(problems)}\n  got: {payload['text'][:300]}")
    score = 1 - len(failures) / len(items)
    assert score >= MIN_SCORE, f"{score:.1%} of {len(items)}:\n" + "\n".join(failures)
