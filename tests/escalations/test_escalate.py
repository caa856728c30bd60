"""The intervention ladder through the router: recording stages, deadlines, confirmation of
unusual steps, /deadlines ordering and the council card."""

from __future__ import annotations

from datetime import date

from bot.bootstrap import open_database
from bot.config import parse_ladder_months
from bot.core.message import CONSOLE_USER
from bot.services import Services
from tests.conftest import TODAY, make_settings
from tests.linking import BROKER_USER, VIEWER_USER, link_paul


def test_commissioner_after_inadequate_sets_a_three_month_deadline(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/escalate Harrow commissioner appointed 20/11/2026 DfE appointed a commissioner")
    assert reply.kind == "confirmation" and reply.intent == "escalate"
    assert reply.entities["stage"] == "commissioner_appointed"
    assert reply.entities["date"] == "2026-11-20"
    # 20 Feb 2027 is a Saturday: the deadline moves to the next working day.
    assert reply.entities["deadline"] == "2027-02-22"
    assert "Next deadline 22 February 2027 (in 2 months)" in reply.text
    assert any(a.command == "/undo" for a in reply.actions)


def test_new_stage_shows_on_the_council_card_and_timeline(ask) -> None:  # type: ignore[no-untyped-def]
    ask("/escalate Harrow commissioner 20/11/2026 DfE appointed a commissioner")
    card = ask("/council Harrow")
    assert card.entities["deadline"] == "2027-02-22"
    assert "Current stage: Commissioner appointed (since 20 November 2026)" in card.text
    timeline = ask("/council timeline Harrow")
    assert any(
        "Commissioner appointed; next deadline 22 Feb 2027. DfE appointed a commissioner" in line
        for line in timeline.sections[0].lines
    )


def test_seeded_escalation_note_uses_british_date_wording(ask) -> None:  # type: ignore[no-untyped-def]
    """Harrow's judgement was published on 4 March 2025: "4 March 2025", never "04 March 2025"."""
    lines = ask("/council timeline Harrow").sections[0].lines
    opened = next(line for line in lines if "Judged inadequate" in line)
    assert opened.endswith("Ofsted judgement published 4 March 2025"), opened


def test_skipping_the_ladder_asks_for_confirmation_then_confirm_writes(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    question = ask("/escalate Harrow trust 23/11/2026 moving to a trust")
    assert question.kind == "question" and question.intent == "needs_confirmation" and not question.ok
    assert "skips the ladder" in question.text and "Commissioner appointed" in question.text
    confirm = next(a for a in question.actions if a.label == "Confirm")
    assert confirm.command == "/escalate Harrow alternative_delivery 2026-11-23 moving to a trust --confirm"
    # Nothing was written yet.
    harrow = services.directory.resolve_council("Harrow").match
    assert harrow is not None
    current = services.escalations.current(harrow)
    assert current is not None and current.key == "judged_inadequate"
    done = ask(confirm.command)
    assert done.kind == "confirmation" and done.entities["confirmed"] is True
    assert done.entities["stage"] == "alternative_delivery"
    assert done.entities["deadline"] == "2027-11-23"  # 12 months by default


def test_going_back_down_or_repeating_a_stage_asks_too(ask) -> None:  # type: ignore[no-untyped-def]
    ask("/escalate Harrow commissioner 20/11/2026")
    assert "back down the ladder" in ask("/escalate Harrow improvement notice").text
    assert "already at" in ask("/escalate Harrow commissioner").text
    future = ask("/escalate Bury commissioner next Friday")
    assert future.kind == "question" and "is in the future" in future.text
    # A council with no open escalation starting above "judged inadequate".
    assert ask("/escalate Cornwall statutory direction").kind == "question"


def test_an_ordinary_step_and_closing_need_no_confirmation(ask) -> None:  # type: ignore[no-untyped-def]
    assert ask("/escalate Bury improvement notice 1/11/2026").kind == "confirmation"
    closed = ask("/escalate Bury improving")
    assert closed.kind == "confirmation" and closed.entities["deadline"] is None
    assert "The escalation is closed." in closed.text


def test_configured_ladder_periods_change_the_deadline(db_path) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(
        f"sqlite:///{db_path}", ladder_months=parse_ladder_months("commissioner_appointed=2, alternative_delivery=6")
    )
    db = open_database(settings)
    services = Services.create(settings, db)
    operator = services.actors.actor_for(CONSOLE_USER)
    harrow = services.directory.resolve_council("Harrow").match
    assert harrow is not None
    result = services.escalations.escalate(operator, harrow, "commissioner_appointed", date(2026, 11, 24), today=TODAY)
    assert result.stage.deadline == date(2027, 1, 25)  # 24 Jan 2027 is a Sunday
    db.dispose()


def test_ladder_months_setting_rejects_garbage() -> None:
    import pytest

    assert parse_ladder_months("") == ()
    assert parse_ladder_months("Commissioner_Appointed=4") == (("commissioner_appointed", 4),)
    with pytest.raises(ValueError, match="stage_key=MONTHS"):
        parse_ladder_months("commissioner=soon")


def test_judged_inadequate_defaults_to_publication_date_or_today(ask) -> None:  # type: ignore[no-untyped-def]
    ask("/escalate Harrow improving 1/10/2026")
    reply = ask("/escalate Harrow judged inadequate")
    # Harrow's latest judgement (Inadequate) was published on 4 March 2025, before it was
    # recorded as improving: a back-dated stage is confirmed first.
    assert reply.kind == "question" and reply.entities["date"] == "2025-03-04"
    assert "before the current stage (“Improving (closed)” since 1 October 2026)" in reply.text
    # A council whose latest judgement is not Inadequate: the date defaults to today, and the
    # deadline is six months on.
    fresh = ask("/escalate Cornwall inadequate")
    assert fresh.kind == "confirmation"
    assert fresh.entities["date"] == "2026-11-24" and fresh.entities["deadline"] == "2027-05-24"


def test_unknown_council_and_missing_stage_and_bad_date(ask) -> None:  # type: ignore[no-untyped-def]
    unknown = ask("/escalate Narnia commissioner")
    assert unknown.kind == "error" and unknown.intent == "unknown_council"
    typo = ask("/escalate Hariw commissioner 1/11/2026 DfE letter")
    assert typo.intent == "unknown_council"
    assert "/escalate Harrow commissioner_appointed 1/11/2026 DfE letter" in [a.command for a in typo.actions]
    no_stage = ask("/escalate Harrow")
    assert no_stage.kind == "error" and "Which stage" in no_stage.text
    assert "Commissioner appointed (`commissioner_appointed`)" in no_stage.sections[0].lines[0]
    bad = ask("/escalate Harrow commissioner 30/02/2026")
    assert bad.kind == "error" and "no such date" in bad.text


def test_viewer_is_refused_and_broker_allowed(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    refused = ask("/escalate Harrow commissioner", user=VIEWER_USER)
    assert refused.kind == "error" and "Paul Curran" in refused.text
    link_paul(services)
    assert ask("/escalate Harrow commissioner", user=BROKER_USER).kind == "confirmation"


def test_deadlines_lists_overdue_and_upcoming_sorted_by_date(ask) -> None:  # type: ignore[no-untyped-def]
    ask("/escalate Harrow commissioner 1/10/2026")  # deadline 4 Jan 2027 (1 Jan is a bank holiday)
    ask("/escalate Bury commissioner 10/9/2026")  # deadline 10 Dec 2026
    ask("/escalate Sefton improving")  # closed: excluded
    reply = ask("/deadlines 45")
    assert reply.intent == "deadlines"
    assert reply.entities["upcoming"] == ["Bury", "Harrow"]
    assert "Sefton" not in reply.entities["overdue"] and "Sefton" not in reply.entities["upcoming"]
    overdue_lines = reply.sections[0].lines
    assert reply.sections[0].heading.startswith("Overdue")
    assert "North East Lincolnshire" in overdue_lines[0]  # the oldest deadline first
    due_lines = reply.sections[1].lines
    assert due_lines[0].startswith("10 Dec 2026 (in 16 days): Bury (North West), commissioner appointed")
    assert due_lines[0].endswith("· Howard Cooper")
    assert "Harrow" in due_lines[1]


def test_deadlines_by_region_and_days_window(ask) -> None:  # type: ignore[no-untyped-def]
    ask("/escalate Harrow commissioner 1/10/2026")
    london = ask("/deadlines London")
    assert london.entities["upcoming"] == [] and london.entities["overdue"] == ["Havering"]
    london = ask("/deadlines London 60")
    assert london.entities["upcoming"] == ["Harrow"]
    assert ask("/deadlines Wales").intent == "unknown_region"
    assert ask("/deadlines 0").kind == "error"


def test_deadlines_days_before_the_region_is_not_ignored(ask) -> None:  # type: ignore[no-untyped-def]
    """`/deadlines 60 London` used to drop the 60 (the region resolver forgave it) and answer for 30 days."""
    ask("/escalate Harrow commissioner 1/10/2026")
    london = ask("/deadlines 60 London")
    assert london.entities["region"] == "London" and london.entities["days"] == 60
    assert london.entities["upcoming"] == ["Harrow"]
    assert ask("/deadlines 0 London").kind == "error"


def test_due_items_for_the_scheduler(services: Services) -> None:
    items = services.escalations.due_items(TODAY, TODAY)
    assert items and all(item.overdue for item in items)
    assert [i.deadline for i in items] == sorted(i.deadline for i in items)
    london = services.directory.resolve_region("London").match
    only_london = services.escalations.due_items(TODAY, TODAY, london)
    assert {i.region for i in only_london} == {"London"}
    assert only_london[0].brokers == ("Paul Curran",)
