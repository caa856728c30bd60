"""The key workflow flows on a real PostgreSQL server: the same migrations, one transaction per
command, audit and undo."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.bootstrap import open_database
from bot.core.message import Message, UserRef
from bot.core.reply import Reply
from bot.router import Router
from bot.services import Services
from tests.conftest import TODAY, make_settings
from tests.linking import link


@pytest.fixture
def pg_services(pg_url: str) -> Iterator[Services]:
    settings = make_settings(pg_url)
    db = open_database(settings)
    yield Services.create(settings, db)
    db.dispose()


def test_signup_escalation_deadlines_audit_and_undo_on_postgres(pg_services: Services) -> None:
    router = Router(pg_services)

    def ask(text: str, user: str = "slack:UPAUL") -> Reply:
        return router.handle(Message(text=text, user=UserRef.parse(user), as_of=TODAY))

    assert ask("/signup London dcs agreed").kind == "error"  # not linked yet: a viewer
    link(pg_services, "Paul Curran", "UPAUL")
    for party in ("ce", "dcs", "member"):
        reply = ask(f"/signup London {party} agreed 20/11/2026")
        assert reply.kind == "confirmation"
    assert reply.entities["became_signed"] is True
    assert ask("/signup").entities["signed"] == 1

    question = ask("/escalate Harrow trust 20/11/2026")
    assert question.kind == "question"
    confirm = next(a for a in question.actions if a.label == "Confirm")
    assert ask(confirm.command).entities["deadline"] == "2027-11-22"  # 20 Nov 2027 is a Saturday
    assert ask("/escalate Havering commissioner 1/11/2026").entities["deadline"] == "2027-02-01"

    due = ask("/deadlines London 90")
    assert due.entities["upcoming"] == ["Havering"] and due.entities["overdue"] == []

    audit = ask("/audit Harrow")
    assert audit.entities["count"] == 1 and "Paul Curran via slack" in audit.sections[0].lines[0]
    assert ask("/audit London").entities["count"] == 5  # three sign-ups and two London councils

    assert "Havering: Commissioner appointed" in ask("/undo").text
    assert ask("/deadlines London 90").entities["upcoming"] == []
    assert "Harrow: Trust or alternative delivery" in ask("/undo").text
    assert ask("/council Harrow").entities["deadline"] == "2025-09-04"
    assert "London: Lead member for children" in ask("/undo").text
    assert ask("/signup").entities["signed"] == 0
