"""The audit trail (/audit) and /undo: own last write, within ten minutes, never someone else's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlmodel import select

from bot.core.errors import NothingToUndo
from bot.services import Services
from storage.tables import AuditEntry
from tests.linking import BROKER_USER, link, link_paul

ANDY = "slack:UANDY"


def test_audit_lists_who_when_platform_and_before_after(  # type: ignore[no-untyped-def]
    ask, services: Services, wall_clock: time_machine.Coordinates
) -> None:
    link_paul(services)
    # The writes happen at 22:30 and 23:30 UTC on 1 July 2027: 23:30 and 00:30 in UK summer time.
    wall_clock.move_to(datetime(2027, 7, 1, 22, 30, tzinfo=UTC))
    ask("/signup London dcs agreed 1/11/2026", user=BROKER_USER)
    wall_clock.move_to(datetime(2027, 7, 1, 23, 30, tzinfo=UTC))
    ask("/signup London dcs declined 2/11/2026 changed her mind", user=BROKER_USER)
    reply = ask("/audit London")
    assert reply.intent == "audit" and reply.entities["count"] == 2
    newest, oldest = reply.sections[0].lines
    assert "Paul Curran via slack" in newest
    assert "London: Director of children's services agreed → declined" in newest
    assert "status: agreed → declined" in newest and "note: — → changed her mind" in newest
    assert "added party: dcs; status: agreed" in oldest
    # The real time of each write, shown in UK time.
    assert newest.startswith("2 Jul 2027 00:30 · ") and oldest.startswith("1 Jul 2027 23:30 · ")


def test_audit_of_a_council_shows_escalations(ask) -> None:  # type: ignore[no-untyped-def]
    ask("/escalate Harrow commissioner 20/11/2026")
    reply = ask("/audit Harrow")
    assert reply.entities == {"subject": "Harrow", "kind": "council", "count": 1}
    assert "Console operator via console" in reply.sections[0].lines[0]
    assert "stage: commissioner_appointed" in reply.sections[0].lines[0]
    # A region's audit includes its councils' changes as well as its own sign-up changes.
    ask("/signup London dcs agreed")
    london = ask("/audit London")
    assert london.entities["count"] == 2
    assert "London: Director of children's services" in london.sections[0].lines[0]
    assert "Harrow: Commissioner appointed" in london.sections[0].lines[1]
    assert ask("/audit North West").entities["count"] == 0
    assert ask("/audit Cornwall").text == "No changes to Cornwall have been recorded through the bot yet."
    assert ask("/audit Narnia").intent == "unknown_council"


def test_undo_reverts_an_update_to_its_before_values(ask) -> None:  # type: ignore[no-untyped-def]
    ask("/signup London dcs agreed 1/11/2026 by email")
    ask("/signup London dcs declined")
    undone = ask("/undo")
    assert undone.kind == "confirmation"
    assert "Undone: London: Director of children's services agreed → declined" in undone.text
    detail = ask("/signup London")
    assert "Director of children's services (`dcs`): Agreed on 1 November 2026 — by email" in detail.sections[0].lines
    assert "(undone)" in ask("/audit London").sections[0].lines[0]
    # Undo again: the insert is reverted, the party is pending again.
    ask("/undo")
    assert ask("/signup London").entities["agreed"] == 0
    assert ask("/undo").kind == "error"


def test_undo_removes_an_escalation_and_its_deadline(ask) -> None:  # type: ignore[no-untyped-def]
    ask("/escalate Harrow commissioner 20/11/2026")
    assert "Harrow: Commissioner appointed on 20 Nov 2026" in ask("/undo").text
    card = ask("/council Harrow")
    assert card.entities["deadline"] == "2025-09-04"  # back to the inadequate judgement's deadline


def test_undo_after_ten_minutes_is_refused(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    ask("/escalate Harrow commissioner 20/11/2026")
    operator = services.actors.actor_for(services_user())
    later = datetime.now(UTC) + timedelta(minutes=11)
    with pytest.raises(NothingToUndo, match="more than ten minutes ago"):
        services.audit.undo_last(operator, now=later)
    # Through the router too: age the entry by eleven minutes.
    with services.db.session() as session:
        for entry in session.exec(select(AuditEntry)).all():
            entry.at = entry.at - timedelta(minutes=11)
            session.add(entry)
    reply = ask("/undo")
    assert reply.kind == "error" and "more than ten minutes ago" in reply.text
    assert ask("/council Harrow").entities["deadline"] == "2027-02-22"  # still there


def test_undo_within_ten_minutes_with_injected_clock(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    ask("/escalate Harrow commissioner 20/11/2026")
    operator = services.actors.actor_for(services_user())
    result = services.audit.undo_last(operator, now=datetime.now(UTC) + timedelta(minutes=9))
    assert result.summaries[0].startswith("Harrow: Commissioner appointed")


def test_undo_only_touches_your_own_writes(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    link_paul(services)
    link(services, "Andy Roberts", "UANDY")
    ask("/signup London dcs agreed", user=BROKER_USER)
    assert ask("/undo", user=ANDY).text == "You have no change to undo."
    assert ask("/signup London").entities["agreed"] == 1


def test_undo_refuses_when_someone_changed_the_row_since(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    link_paul(services)
    link(services, "Andy Roberts", "UANDY")
    ask("/signup London dcs agreed", user=BROKER_USER)
    ask("/signup London dcs declined", user=ANDY)
    reply = ask("/undo", user=BROKER_USER)
    assert reply.kind == "error" and "changed again since" in reply.text
    detail = ask("/signup London")
    assert "Director of children's services (`dcs`): Declined on 24 November 2026" in detail.sections[0].lines


def services_user():  # type: ignore[no-untyped-def]
    from bot.core.message import CONSOLE_USER

    return CONSOLE_USER


def test_undo_is_refused_to_someone_whose_write_access_was_taken_away(  # type: ignore[no-untyped-def]
    ask, services: Services
) -> None:
    """An undo is a write: a broker lowered to viewer after a change cannot revert it any more."""
    link_paul(services)
    ask("/signup London dcs agreed", user=BROKER_USER)
    assert ask("/people access Paul Curran viewer --confirm").ok  # the console operator is an admin
    reply = ask("/undo", user=BROKER_USER)
    assert reply.kind == "error" and "read-only access" in reply.text
    assert ask("/signup London").entities["agreed"] == 1
