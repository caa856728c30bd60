"""Safeguarding peer reviews and review-team training through the router (bulletin 7: "22 reviews
have been scheduled so far in 11/12")."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from bot.core.message import UserRef
from bot.services import Services
from storage.tables import AuditEntry, PeerReview, PeerReviewTeamMember
from tests.linking import BROKER_USER, VIEWER_USER, link_broker

LONDON = ["Harrow", "Barnet", "Camden", "Hackney", "Brent", "Ealing", "Enfield", "Haringey", "Lambeth",
          "Lewisham", "Merton"]
ELSEWHERE = ["Leeds", "Hull", "York", "Cornwall", "Devon", "Kent", "Surrey", "Derby", "Coventry", "Bolton", "Wigan"]


def test_book_a_review_with_dates_and_team(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/peerreview book Harrow 12 Jan 2027 to 14 Jan 2027 team: Paul Curran, Liz Cole")
    assert reply.intent == "peer_review_booked", reply.text
    assert reply.text.startswith("Booked peer review #1 for Harrow, 12 January 2027 to 14 January 2027.")
    assert "1 review scheduled in 2026/27" in reply.text
    assert reply.entities["team"] == ["Paul Curran", "Liz Cole"]
    with services.db.session() as session:
        review = session.exec(select(PeerReview)).one()
        assert (review.start_date, review.end_date, review.status) == (date(2027, 1, 12), date(2027, 1, 14),
                                                                       "scheduled")
        members = session.exec(select(PeerReviewTeamMember)).all()
        assert [m.name for m in members] == ["Paul Curran", "Liz Cole"]
        assert all(m.person_id is not None for m in members)  # both are on the roster
    one_day = ask("/peerreview book Hull 3/12/2026")
    assert one_day.entities["start"] == one_day.entities["end"] == "2026-12-03"


def test_counts_by_programme_year(ask) -> None:  # type: ignore[no-untyped-def]
    """22 reviews booked for 2025/26 (April 2025 to March 2026) are counted in that year only."""
    for i, name in enumerate(LONDON + ELSEWHERE):
        month = 4 + i % 9  # April to December 2025
        ask(f"/peerreview book {name} 2025-{month:02d}-{10 + i % 10}", as_of=date(2025, 3, 1))
    ask("/peerreview book Harrow 2026-03-31", as_of=date(2025, 3, 1))  # still 2025/26
    ask("/peerreview book Barnet 2026-04-01", as_of=date(2025, 3, 1))  # 2026/27
    extra = ask("/peerreview book Camden 2026-01-05", as_of=date(2025, 3, 1))
    which = ask("/peerreview cancel Camden", as_of=date(2025, 3, 1))  # Camden has two: which one?
    assert which.intent == "clarify_peer_review" and len(which.actions) == 2
    ask(f"/peerreview cancel {extra.entities['review_id']}", as_of=date(2025, 3, 1))  # cancelled: not counted
    reply = ask("/peerreview list", as_of=date(2025, 6, 1))
    assert reply.text.startswith("23 reviews have been scheduled in 2025/26;"), reply.text
    assert reply.entities["counts"] == {"2025/26": 23, "2026/27": 1}
    london = ask("/peerreview list London", as_of=date(2025, 6, 1))
    assert london.entities["counts"] == {"2025/26": 12, "2026/27": 1}
    assert london.text.startswith("12 reviews have been scheduled in London in 2025/26")
    later = ask("/peerreview list")  # as of 24 Nov 2026: programme year 2026/27
    assert later.entities["scheduled_this_year"] == 1


def test_upcoming_and_follow_ups_service_api(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    ask("/peerreview book Leeds 1/12/2026 3/12/2026")
    ask("/peerreview book Kent 10/12/2026")
    ask("/peerreview book Hull 2026-11-02 2026-11-04")
    ask("/peerreview done Hull 2026-11-05")
    service = services.peer_reviews
    upcoming = service.upcoming(date(2026, 11, 24), date(2026, 12, 5))
    assert [i.council for i in upcoming] == ["Leeds"]
    yorkshire = services.directory.resolve_region("Yorkshire and the Humber").match
    assert [i.council for i in service.upcoming(date(2026, 11, 1), date(2026, 12, 31), yorkshire)] == ["Leeds"]
    due = service.follow_ups_due(date(2026, 11, 18), date(2026, 11, 18))  # 4 Nov + 14 days
    assert [(i.council, i.follow_up) for i in due] == [("Kingston upon Hull", date(2026, 11, 18))]
    assert service.follow_ups_due(date(2026, 11, 19), date(2026, 12, 31)) == []


def test_done_cancel_and_team_changes(ask) -> None:  # type: ignore[no-untyped-def]
    ask("/peerreview book Harrow 2026-11-16 2026-11-18 team: Paul Curran")
    ask("/peerreview book Barnet 2027-02-01")
    team = ask("/peerreview team 1 add Alison Miller")
    assert team.entities["team"] == ["Paul Curran", "Alison Miller"]
    removed = ask("/peerreview team 1 remove paul curran")
    assert removed.text == "Removed Paul Curran from the team for review #1 (Harrow)."
    assert removed.entities["team"] == ["Alison Miller"]
    assert ask("/peerreview team 1 remove Nobody").kind == "error"
    done = ask("/peerreview done Harrow")
    assert done.intent == "peer_review_done"
    assert "follow-up is due 2 December 2026" in done.text  # 18 Nov + 14 days
    again = ask("/peerreview done 1")
    assert again.kind == "error" and "already done" in again.text
    early = ask("/peerreview done Barnet")
    assert early.kind == "error" and "can't be done before it starts" in early.text
    cancelled = ask("/peerreview cancel #2")
    assert cancelled.intent == "peer_review_cancelled" and cancelled.entities["status"] == "cancelled"
    listing = ask("/peerreview list")
    assert listing.entities["upcoming"] == []
    assert any("Harrow" in line for s in listing.sections for line in s.lines)


def test_training_events_with_places(ask) -> None:  # type: ignore[no-untyped-def]
    added = ask("/peerreview training add 8 Feb 2027 to 9 Feb 2027 Warwick University 2")
    assert added.intent == "peer_review_training_added"
    assert added.text == "Added review-team training #1: 8 February 2027 at Warwick University, 2 places."
    assert ask("/peerreview training signup 1 Liz Cole").entities["places_left"] == 1
    assert ask("/peerreview training signup 1 Jo Bloggs").entities["places_left"] == 0
    full = ask("/peerreview training signup 1 Sam Smith")
    assert full.kind == "error" and "full" in full.text
    released = ask("/peerreview training release 1 jo bloggs")
    assert released.entities["places_left"] == 1
    assert ask("/peerreview training signup 1 Sam Smith").entities["places_left"] == 0
    assert ask("/peerreview training release 1 Nobody").kind == "error"
    listing = ask("/peerreview training list")
    assert listing.entities["events"] == [
        {"id": 1, "date": "2027-02-08", "venue": "Warwick University", "places": 2, "places_left": 0}
    ]
    assert "0 of 2 places left" in listing.sections[0].lines[0]
    assert "Apply to" in listing.text  # the bulletin's training contacts
    bad = ask("/peerreview training add 8 Feb 2027 Warwick University")
    assert bad.kind == "error" and "number of places" in bad.text


def test_bad_input_changes_nothing(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    unknown = ask("/peerreview book Narnia 12 Jan 2027")
    assert unknown.intent == "unknown_council" and unknown.ephemeral
    typo = ask("/peerreview book Harow 12 Jan 2027")  # close enough to resolve
    assert typo.intent == "peer_review_booked"
    suggestion = ask("/peerreview book Barnett soon")
    assert suggestion.intent == "unknown_council" and "Barnet" in suggestion.entities["suggestions"]
    impossible = ask("/peerreview book Barnet 31/02/2027")
    assert impossible.kind == "error" and "There is no such date" in impossible.text
    assert "2025-11-30" in impossible.text  # the accepted formats
    backwards = ask("/peerreview book Barnet 14 Jan 2027 12 Jan 2027")
    assert backwards.kind == "error" and "before it starts" in backwards.text
    no_date = ask("/peerreview book Barnet")
    assert no_date.kind == "error" and "start date" in no_date.text
    clash = ask("/peerreview book Harrow 11 Jan 2027 to 12 Jan 2027")
    assert clash.kind == "error" and "already has review #1" in clash.text
    assert ask("/peerreview done 99").kind == "error"
    assert ask("/peerreview frobnicate").intent == "peer_review_error"
    assert ask("/peerreview list Narnia").intent == "unknown_region"
    assert ask("/peerreview North West").intent == "peer_review_list"
    with services.db.session() as session:
        assert len(session.exec(select(PeerReview)).all()) == 1


def test_viewer_is_refused_and_broker_may_write(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    refused = ask("/peerreview book Harrow 12 Jan 2027", user=VIEWER_USER)
    assert refused.intent == "permission_denied" and refused.ephemeral
    assert "Only lead brokers and admins can book peer reviews" in refused.text
    assert ask("/peerreview training add 8 Feb 2027 Warwick 20", user=VIEWER_USER).intent == "permission_denied"
    assert ask("/peerreview list", user=VIEWER_USER).intent == "peer_review_list"  # anyone may read
    link_broker(services)
    booked = ask("/peerreview book Harrow 12 Jan 2027", user=BROKER_USER)
    assert booked.intent == "peer_review_booked"
    assert ask("/peerreview cancel Harrow", user=VIEWER_USER).intent == "permission_denied"
    with services.db.session() as session:
        review = session.exec(select(PeerReview)).one()
        assert review.status == "scheduled" and review.booked_by == "Paul Curran (slack)"


def test_writes_are_audited_and_undoable(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    link_broker(services)
    ask("/peerreview book Harrow 12 Jan 2027 team: Liz Cole", user=BROKER_USER)
    with services.db.session() as session:
        entries = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()  # type: ignore[arg-type]
        assert [e.action for e in entries] == ["peerreview.book", "peerreview.team_add"]
        assert {e.subject_key for e in entries} == {"E09000015"}  # Harrow's ONS code
        assert entries[0].actor_name == "Paul Curran" and entries[0].actor_platform == "slack"
    ask("/peerreview done Harrow 13 Jan 2027", user=BROKER_USER, as_of=date(2027, 1, 14))
    actor = services.actors.actor_for(UserRef.parse(BROKER_USER))
    services.audit.undo_last(actor)  # reverts "done"
    assert services.peer_reviews.get(1).status == "scheduled"  # type: ignore[union-attr]
    services.audit.undo_last(actor)  # reverts the booking and its team in one batch
    assert services.peer_reviews.get(1) is None
    with services.db.session() as session:
        assert session.exec(select(PeerReviewTeamMember)).all() == []
