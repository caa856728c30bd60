"""Router scenarios for /council, /broker, /contacts and /help, including bad input."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import select

from bot.render.text import render_text
from storage.tables import Council, InterventionEvent, OfstedJudgement


def test_harrow_status_card(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/council Harrow")
    assert reply.text.startswith("Harrow was judged Inadequate (published 4 March 2025).")
    assert ("six-month deadline to improve passed 4 September 2025 (1 year 2 months overdue); "
            "no intervention recorded since") in reply.text
    assert "Lead broker: Paul Curran." in reply.text
    facts = {f.label: f.value for f in reply.facts}
    assert facts["Region"] == "London"
    assert facts["Codes"] == "DfE 310 · ONS E09000015"
    assert facts["Inspected / published"] == "20 January 2025 / 4 March 2025"
    sub = {f.label: f.value for s in reply.sections if s.facts for f in s.facts}
    assert sub["Care leavers"] == "Inadequate"
    assert sub["Children in care"] == "Good"
    broker = next(s for s in reply.sections if s.heading == "Lead broker")
    assert broker.lines == ("Paul Curran: curran56@yahoo.co.uk, 07738 600101",)
    assert [a.command for a in reply.actions] == ["/council timeline Harrow", "/contacts", "/broker Harrow"]


def test_status_card_shows_booked_peer_reviews(ask) -> None:  # type: ignore[no-untyped-def]
    booked = ask("/peerreview book Harrow 2027-01-12 2027-01-14")
    assert booked.kind != "error", booked.text
    card = ask("/council Harrow")
    reviews = next(s for s in card.sections if s.heading == "Peer reviews booked")
    assert reviews.lines == ("12 Jan 2027 to 14 Jan 2027",)


def test_deadline_counts_down_before_it_passes(ask) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    reply = ask("/council Harrow", as_of=date(2025, 8, 25))
    assert "six-month deadline to improve is 4 September 2025 (in 10 days)" in reply.text


def test_good_council_has_no_deadline(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("council Barnet")
    assert reply.text == "Barnet was judged Good (published 23 July 2024). Lead broker: Paul Curran."
    assert {f.label: f.value for f in reply.facts}["Intervention stage"] == "None"


def test_reorganised_current_council_card_names_predecessor(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/council North Northamptonshire")
    assert reply.title == "North Northamptonshire"
    predecessors = next(s for s in reply.sections if s.heading == "Predecessor councils")
    assert predecessors.lines == ("Northamptonshire",)
    cumberland = ask("/council Cumberland")
    assert "Cumbria" in render_text(cumberland)


def test_abolished_council_points_to_successors(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/council Cumbria")
    assert reply.text.startswith("Cumbria no longer exists")
    assert "Cumberland and Westmorland and Furness" in reply.text


def test_unrated_council_card(ask, services) -> None:  # type: ignore[no-untyped-def]
    with services.db.session() as session:
        scilly = session.exec(select(Council).where(Council.name == "Isles of Scilly")).one()
        session.exec(delete(OfstedJudgement).where(OfstedJudgement.council_id == scilly.id))  # type: ignore[call-overload]
        session.exec(delete(InterventionEvent).where(InterventionEvent.council_id == scilly.id))  # type: ignore[call-overload]
    reply = ask("/council Isles of Scilly")
    assert reply.text.startswith("Isles of Scilly has no ILACS judgement on record yet.")
    assert {f.label: f.value for f in reply.facts}["Ofsted overall"] == "Not yet inspected under ILACS"


def test_unknown_council_suggests_three(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/council Harow on the Hill")
    assert reply.kind == "error" and reply.ephemeral
    assert reply.text.startswith("I don't know a council called “Harow on the Hill”.")
    assert "Harrow" in reply.entities["suggestions"]
    assert 1 <= len(reply.entities["suggestions"]) <= 3


def test_ambiguous_council_asks_which(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/council Kingston")
    assert reply.kind == "question"
    assert "Kingston upon Thames" in reply.entities["candidates"]
    assert any(a.command == "/council Kingston upon Thames" for a in reply.actions)


def test_council_without_name_shows_usage(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/council")
    assert reply.kind == "error"
    assert "/council list [REGION] [JUDGEMENT]" in render_text(reply)


def test_council_list_by_region_and_judgement(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/council list North West inadequate")
    assert reply.text == "7 councils in North West are judged Inadequate."
    lines = reply.sections[0].lines
    assert lines[0].startswith("Bury") and any(line.startswith("Knowsley") for line in lines)


def test_council_list_without_a_judgement_reads_as_a_sentence(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/council list North West")
    assert reply.text == (
        "North West has 24 councils with children's services. Good: 11; Requires improvement: 6; Inadequate: 7."
    )
    assert ask("/council list").text.startswith("England has 153 councils with children's services. ")


def test_council_list_national_counts_match_ofsted(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/council list")
    assert reply.entities["count"] == 153
    assert {f.label: f.value for f in reply.facts} == {
        "Outstanding": "36", "Good": "67", "Requires improvement": "31", "Inadequate": "19",
    }
    assert ask("/council list outstanding").entities["count"] == 36
    assert ask("/council list RI").entities["count"] == 31


def test_council_list_unknown_region(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/council list Narnia inadequate")
    assert reply.kind == "error"
    assert "I don't know a region called “Narnia”" in reply.text


def test_council_with_region_name_lists_region(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/council Eastern")
    assert reply.intent == "council_list" and reply.entities["region"] == "East of England"


def test_timeline_lists_judgements_and_escalation(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/council timeline Harrow")
    lines = reply.sections[0].lines
    first_ilacs = next(line for line in lines if "ILACS" in line)
    assert lines.index(first_ilacs) > 0  # the judgements before ILACS come first
    assert first_ilacs == "16 Mar 2020: Ofsted ILACS Short Inspection: Good (inspected 10 Feb 2020)"
    published = lines.index("4 Mar 2025: Ofsted ILACS Short Inspection: Inadequate (inspected 20 Jan 2025)")
    assert lines[published + 1].startswith("4 Mar 2025: Judged inadequate; next deadline 4 Sep 2025")


def test_broker_for_region_council_person_and_all(ask) -> None:  # type: ignore[no-untyped-def]
    assert ask("/broker North East").text == "The lead broker for North East is Dave Smith."
    assert ask("/broker Yorkshire & Humber").entities["brokers"] == ["Dave Smith"]
    council = ask("/broker Knowsley")
    assert council.text == "Knowsley is in North West; its lead broker is Howard Cooper."
    person = ask("/broker Dave Smith")
    assert person.text == "Dave Smith is lead broker for North East and Yorkshire and the Humber."
    everyone = ask("/broker")
    assert everyone.text == "9 of 9 regions have a lead broker."
    assert {f.label: f.value for f in everyone.facts}["South West"] == "Oonagh Aitken"


def test_broker_unknown(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/broker Zzyzx")
    assert reply.kind == "error"


def test_contacts_by_topic(ask) -> None:  # type: ignore[no-untyped-def]
    bookings = ask("/contacts bookings")
    assert bookings.text == "For peer review bookings, contact Caroline Bosdet or Paul Curran."
    training = ask("/contacts training")
    assert "Liz Cole" in training.text
    assert "Alison Miller" in ask("/contacts").text


def test_help_lists_every_command_with_usage_and_example(ask) -> None:  # type: ignore[no-untyped-def]
    from bot.commands import COMMANDS

    reply = ask("/help")
    rendered = render_text(reply)
    for command in COMMANDS:
        if command.name == "help":
            continue
        assert f"/{command.name}:" in rendered
        assert command.examples[0] in rendered
    assert ask("help").intent == "help"
    assert ask("/brokerbot").intent == "help"
    assert "/council NAME" in render_text(ask("/help council"))


def test_unknown_command(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/frobnicate now")
    assert reply.kind == "error" and "/frobnicate" in reply.text and "/help" in reply.text


def test_failure_inside_a_command_is_an_apology_not_a_trace(ask, services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def explode(council_id: int) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(services.councils, "status", explode)
    reply = ask("/council Harrow")
    assert reply.kind == "error"
    assert "Sorry, something went wrong" in reply.text and "database on fire" not in reply.text


def test_help_for_an_unknown_command_says_so(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/help frobnicate")
    assert reply.kind == "error" and "no command called “frobnicate”" in reply.text


def test_question_starting_with_a_command_word_goes_to_the_nl_engine(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("help and protection in Croydon")
    assert reply.intent == "council_status"
    assert "Croydon" in reply.text
    # with a slash it stays a command, and its error is kept
    assert ask("/help and protection in Croydon").kind == "error"
