"""Regional sign-up through the router: board, detail, logging, permissions and bad input."""

from __future__ import annotations

from datetime import date

from bot.services import Services
from tests.conftest import make_settings
from tests.linking import BROKER_USER, VIEWER_USER, link_paul

SIGNATORIES = ("ce", "dcs", "member")


def test_board_starts_with_no_region_signed_and_counts_days_to_target(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/signup")
    assert reply.intent == "signup_board"
    assert reply.entities["signed"] == 0 and reply.entities["total"] == 9
    # Default target: 31 December of the programme year containing 24 November 2026.
    assert reply.entities["target"] == "2026-12-31"
    assert reply.entities["days_to_target"] == 37
    assert "0 of 9 regions are signed up" in reply.text
    assert "⬜ London: CE … DCS … Member … · Paul Curran" in reply.sections[0].lines


def test_logging_all_three_signatories_signs_the_region_up(ask) -> None:  # type: ignore[no-untyped-def]
    first = ask("/signup London dcs agreed 30/10/2026 by email from the DCS")
    assert first.kind == "confirmation" and first.entities["party"] == "dcs"
    assert first.entities["date"] == "2026-10-30"
    assert not first.entities["became_signed"]
    ask("/signup London ce agreed")
    last = ask("/signup Greater London member agreed yesterday")
    assert last.entities["became_signed"] is True
    assert "London is now signed up (1/9 regions)" in last.text

    board = ask("/signup")
    assert board.entities["signed"] == 1 and board.entities["regions"]["London"] is True
    assert any("✅ London: CE ✓ DCS ✓ Member ✓" in line for line in board.sections[0].lines)

    detail = ask("/signup London")
    assert detail.intent == "signup_region" and detail.entities["signed"] is True
    signatories = detail.sections[0].lines
    assert "Director of children's services (`dcs`): Agreed on 30 October 2026 — by email from the DCS" in signatories
    assert "Lead member for children (`member`): Agreed on 23 November 2026" in signatories


def test_a_declined_signatory_keeps_the_region_unsigned(ask) -> None:  # type: ignore[no-untyped-def]
    for party in ("ce", "dcs"):
        ask(f"/signup North West {party} agreed")
    ask("/signup NW member declined 20/11/2026 awaiting cabinet")
    detail = ask("/signup North West")
    assert detail.entities["signed"] is False and detail.entities["agreed"] == 2
    assert "Declined: lead member for children" in detail.text


def test_arrangements_and_contacts_use_their_own_statuses(ask) -> None:  # type: ignore[no-untyped-def]
    assert ask("/signup South West challenge in progress").entities["status"] == "in_progress"
    assert ask("/signup South West riep contacted 2026-11-02 met the RIEP lead").entities["status"] == "contacted"
    detail = ask("/signup South West")
    assert "Peer challenge (`challenge`): In progress on 24 November 2026" in detail.sections[1].lines
    contacts = detail.sections[2].lines
    assert contacts[1].startswith("☑ Regional improvement and efficiency partnership (`riep`): Contacted on 2 November")
    assert detail.facts[2].value == "1/4"


def test_configured_target_date_is_used(db_path) -> None:  # type: ignore[no-untyped-def]
    from bot.bootstrap import open_database

    settings = make_settings(f"sqlite:///{db_path}", signup_target_date=date(2027, 1, 31))
    db = open_database(settings)
    services = Services.create(settings, db)
    board = services.signup.board(date(2026, 11, 24))
    assert {entry.target for entry in board} == {date(2027, 1, 31)}
    db.dispose()


def test_default_target_follows_the_programme_year(services: Services) -> None:
    # February 2027 is still in programme year 2026/27, so the target stays 31 December 2026.
    assert services.signup.target_date(date(2027, 2, 1)) == date(2026, 12, 31)
    assert services.signup.target_date(date(2027, 4, 1)) == date(2027, 12, 31)


def test_viewers_are_refused_with_who_can_help_and_nothing_changes(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/signup London dcs agreed", user=VIEWER_USER)
    assert reply.kind == "error" and reply.ephemeral
    assert "Only lead brokers and admins" in reply.text
    assert "Paul Curran" in reply.text  # London's lead broker
    assert ask("/signup London").entities["agreed"] == 0
    assert services.audit.history("region", "E12000007") == []


def test_a_linked_broker_can_write_and_is_named_in_the_audit(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    link_paul(services)
    reply = ask("/signup London dcs agreed", user=BROKER_USER)
    assert reply.kind == "confirmation"
    history = services.audit.history("region", "E12000007")
    assert history[0].actor == "Paul Curran" and history[0].platform == "slack"


def test_unknown_region_suggests_the_nearest(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/signup Londn dcs agreed")
    # "Londn" resolves to London (fuzzy) ...
    assert reply.entities.get("region") == "London"
    reply = ask("/signup Scotland dcs agreed")
    assert reply.kind == "error" and reply.intent == "unknown_region"
    assert "Scotland" in reply.text
    assert "North West" in reply.sections[0].lines[0]  # the nine regions are listed


def test_unknown_party_and_status_list_the_short_names(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/signup London mayor agreed")
    assert reply.kind == "error" and "mayor" in reply.text
    hint = reply.sections[0].lines[0]
    for short in (
        "`ce`",
        "`dcs`",
        "`member`",
        "`challenge`",
        "`support`",
        "`policy`",
        "`practice`",
        "`lead`",
        "`riep`",
        "`lga`",
        "`succession`",
    ):
        assert short in hint
    reply = ask("/signup London dcs maybe")
    assert reply.kind == "error" and "pending, agreed or declined" in reply.text


def test_bad_date_is_refused_and_nothing_is_written(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/signup London dcs agreed 31/02/2026")
    assert reply.kind == "error" and reply.intent == "bad_date" and not reply.ok
    assert "30/11/2025" in reply.text
    assert ask("/signup London").entities["agreed"] == 0
    assert services.audit.history("region", "E12000007") == []


def test_form_options_cover_every_party_for_a_modal() -> None:
    from bot.services.signup import form_options

    options = form_options()
    assert [o.value for o in options][:3] == list(SIGNATORIES)
    assert len(options) == 11
    assert options[0].statuses == ("pending", "agreed", "declined")


def test_a_date_that_cannot_be_read_is_refused_not_taken_into_the_note(ask) -> None:  # type: ignore[no-untyped-def]
    refused = ask("/signup London dcs agreed 0/0/0 by email")
    assert refused.kind == "error" and "0/0/0" in refused.text
    assert ask("/signup London").entities["agreed"] == 0  # nothing logged, not even dated today
    year_first = ask("/signup London dcs agreed 2026/11/20 by email")
    assert year_first.entities["date"] == "2026-11-20"


def test_invisible_characters_and_lone_surrogates_in_what_people_type(ask) -> None:  # type: ignore[no-untyped-def]
    """Zero-width characters are dropped (no look-alike names); a lone surrogate, which no text
    encoding can store, becomes U+FFFD instead of failing the write."""
    assert ask("/broker Lon\u200bdon").text == ask("/broker London").text
    logged = ask("/signup London dcs agreed 20/11/2026 by email \ud800")
    assert logged.ok and logged.kind == "confirmation"
    assert any("by email \ufffd" in line for line in ask("/signup London").sections[0].lines)
