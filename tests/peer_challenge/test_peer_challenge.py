"""Peer challenge (bulletin 7): "five days per annum of senior leadership time ... on a reciprocal
basis"; who has given fewer than five days this programme year."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from bot.services import Services
from storage.tables import AuditEntry, PeerChallengeLog
from tests.linking import BROKER_USER, VIEWER_USER, link_broker


def test_log_days_including_fractions(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/peerchallenge log Hull to Leeds 0.5 12 Nov 2026")
    assert reply.intent == "peer_challenge_logged", reply.text
    assert reply.text.startswith(
        "Logged 0.5 days of peer challenge from Kingston upon Hull to Leeds on 12 November 2026."
    )
    assert "4.5 days short of five" in reply.text
    two_word = ask("/peerchallenge log Bath and North East Somerset Bristol 1.25")
    assert two_word.entities["giver"] == "Bath and North East Somerset"
    assert two_word.entities["receiver"] == "Bristol"
    assert two_word.entities["date"] == "2026-11-24"  # no date: today
    with services.db.session() as session:
        rows = session.exec(select(PeerChallengeLog).order_by(PeerChallengeLog.id)).all()  # type: ignore[arg-type]
        assert [r.days_x100 for r in rows] == [50, 125]
        actions = session.exec(select(AuditEntry.action, AuditEntry.subject_key)).all()
        # one audit entry per council involved, so /audit shows it on both
        assert sorted(actions) == sorted([("peerchallenge.log", "E06000010"), ("peerchallenge.log", "E08000035"),
                                          ("peerchallenge.log", "E06000022"), ("peerchallenge.log", "E06000023")])


def test_gaps_list_councils_under_five_days_this_programme_year(ask) -> None:  # type: ignore[no-untyped-def]
    for day in ("1/5/2026", "1/6/2026", "1/7/2026"):
        ask(f"/peerchallenge log Leeds to York 1.5 {day}")
    ask("/peerchallenge log Leeds to Hull 0.5 2/7/2026")  # Leeds: 5 days in 2026/27
    ask("/peerchallenge log York to Leeds 3 2026-03-31")  # 2025/26: does not count this year
    ask("/peerchallenge log York to Leeds 1 2026-04-01")
    gaps = ask("/peerchallenge gaps Yorkshire")
    assert gaps.intent == "peer_challenge_gaps"
    assert gaps.entities["programme_year"] == "2026/27"
    assert "Leeds" not in gaps.entities["councils"] and "York" in gaps.entities["councils"]
    assert gaps.entities["below_target"] == 14
    assert gaps.text.startswith("14 councils in Yorkshire and the Humber have given fewer than five days")
    assert "1 of 15 has given five or more" in gaps.text
    york = next(line for line in gaps.sections[0].lines if line.startswith("York:"))
    assert york == "York: given 1 day, received 4.5 days"
    everyone = ask("/peerchallenge")
    assert everyone.entities["below_target"] == 152
    last_year = ask("/peerchallenge gaps Yorkshire", as_of=date(2026, 3, 31))
    assert last_year.entities["programme_year"] == "2025/26"
    assert "York: given 3 days, received 0 days" in last_year.sections[0].lines


def test_bad_input_and_permissions(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    assert "itself" in ask("/peerchallenge log Hull Hull 1").text
    assert ask("/peerchallenge log Hull to Narnia 1").intent == "unknown_council"
    assert ask("/peerchallenge log Hull Leeds").kind == "error"  # no days
    assert ask("/peerchallenge log Hull Leeds 0.333").kind == "error"
    assert ask("/peerchallenge log Hull Leeds 0").kind == "error"
    future = ask("/peerchallenge log Hull Leeds 1 1/1/2027")
    assert future.kind == "error" and "in the future" in future.text
    bad_date = ask("/peerchallenge log Hull Leeds 1 31/02/2026")
    assert bad_date.kind == "error" and "There is no such date" in bad_date.text
    assert ask("/peerchallenge gaps Narnia").intent == "unknown_region"
    assert ask("/peerchallenge frobnicate").intent == "peer_challenge_error"
    assert ask("/peerchallenge London").intent == "peer_challenge_gaps"
    refused = ask("/peerchallenge log Hull Leeds 1", user=VIEWER_USER)
    assert refused.intent == "permission_denied" and refused.ephemeral
    with services.db.session() as session:
        assert session.exec(select(PeerChallengeLog)).all() == []
    assert ask("/peerchallenge gaps", user=VIEWER_USER).intent == "peer_challenge_gaps"
    link_broker(services)
    assert ask("/peerchallenge log Hull Leeds 1", user=BROKER_USER).intent == "peer_challenge_logged"


def test_undo_removes_a_logged_entry(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    ask("/peerchallenge log Hull to Leeds 2")
    undone = ask("/undo")
    assert undone.kind == "confirmation", undone.text
    with services.db.session() as session:
        assert session.exec(select(PeerChallengeLog)).all() == []
    assert services.peer_challenge.given_in_year(services.directory.resolve_council("Hull").match or 0,
                                                 date(2026, 11, 24)) == 0


def test_undo_names_a_logged_entry_once(ask) -> None:  # type: ignore[no-untyped-def]
    """One log is audited on both councils; /undo reverts one change and says so once."""
    ask("/peerchallenge log Hull to Leeds 2")
    undone = ask("/undo")
    assert undone.kind == "confirmation", undone.text
    summary = "Logged 2 days of peer challenge from Kingston upon Hull to Leeds (24 Nov 2026)"
    assert undone.text == f"Undone: {summary}."
    assert undone.entities["undone"] == [summary]
