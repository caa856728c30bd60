"""`/people` in chat: the roster with its sources, and its administration by admins (confirmation
where destructive, audit, /undo), through the router as every platform uses it."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from bot.core.message import UserRef
from bot.domain.dated_notes import dated_note
from bot.services import Services
from tests.people.test_people import people

ADMIN = "slack:U0ADMIN01"


@pytest.fixture
def admin_services(services: Services) -> Services:
    """BOT_ADMINS lists U0ADMIN01, linked to Alison Miller (so the admins have a name)."""
    services.actors.settings = services.settings = dataclasses.replace(services.settings, admins=frozenset({ADMIN}))
    people(services, "link", "Alison Miller", "--slack-user", "U0ADMIN01")
    return services


def test_the_roster_shows_where_each_entry_comes_from(ask, admin_services: Services) -> None:  # type: ignore[no-untyped-def]
    howard = ask("/people Howard Cooper")
    lines = [line for section in howard.sections for line in section.lines]
    assert "Lead broker (associate broker team; joining January 2012)" in lines  # dated from the source
    assert "Source: CIB bulletin 7, 4 November 2011" in lines
    ask("/people phone Howard Cooper 0161 496 0000", user=ADMIN)
    lines = [line for section in ask("/people Howard Cooper").sections for line in section.lines]
    assert "Source: CIB bulletin 7, 4 November 2011; changed by Alison Miller via slack on 24 November 2026" in lines


def test_dated_notes_read_months_against_the_source_date() -> None:
    published = date(2011, 11, 4)
    assert dated_note("joining in January", published) == "joining January 2012"
    assert dated_note("until December", published) == "until December 2011"
    assert dated_note("from March 2013", published) == "from March 2013"  # has its year already
    assert dated_note("they may join", published) == "they may join"  # not the month
    assert dated_note("joining in January", None) == "joining in January"


def test_people_listing_in_the_cli_shows_tenant_and_source(
    admin_services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    assert people(admin_services, "link", "Liz Cole", "--teams-user", "aad-liz", "--teams-tenant", "tenant-1") == 0
    capsys.readouterr()
    assert people(admin_services, "list") == 0
    listing = capsys.readouterr().out
    assert "Liz Cole · central_contact · viewer · teams:aad-liz (tenant tenant-1) · source: CIB bulletin 7" in listing


def test_a_role_change_that_lowers_access_asks_first_and_undoes(ask, admin_services: Services) -> None:  # type: ignore[no-untyped-def]
    question = ask("/people role Paul Curran director", user=ADMIN)
    assert question.intent == "needs_confirmation"
    assert "access drops from broker to viewer and they stop covering their regions" in question.text
    assert [a.command for a in question.actions] == ["/people role Paul Curran director --confirm", "/people"]
    assert ask("/broker London").text.count("Paul Curran") >= 1  # nothing changed yet
    done = ask("/people role Paul Curran director --confirm", user=ADMIN)
    assert done.text.startswith("Paul Curran is now director (viewer)")
    assert "Paul Curran" not in ask("/broker London").text
    assert ask("/undo", user=ADMIN).text.startswith("Undone: ")
    assert "Paul Curran" in ask("/broker London").text


def test_removing_someone_asks_first_and_undo_brings_them_back(ask, admin_services: Services) -> None:  # type: ignore[no-untyped-def]
    assert ask("/people remove Caroline Bosdet", user=ADMIN).intent == "needs_confirmation"
    assert ask("/people remove Caroline Bosdet --confirm", user=ADMIN).text.startswith("Removed Caroline Bosdet")
    assert ask("/people Caroline Bosdet").intent == "not_found"
    assert "Caroline Bosdet" not in ask("/contacts bookings").text
    ask("/undo", user=ADMIN)
    assert ask("/people Caroline Bosdet").intent == "people"
    assert "Caroline Bosdet" in ask("/contacts bookings").text


def test_contact_edits_are_checked(ask, admin_services: Services) -> None:  # type: ignore[no-untyped-def]
    assert ask("/people email Liz Cole not-an-email", user=ADMIN).kind == "error"
    assert ask("/people email Liz Cole alison.miller@local.gov.uk", user=ADMIN).text.startswith(
        "alison.miller@local.gov.uk is Alison Miller's email")
    assert ask("/people phone Liz Cole call me", user=ADMIN).kind == "error"
    done = ask("/people email Liz Cole, liz.cole@lga.gov.uk", user=ADMIN)
    assert done.text.startswith("Liz Cole's email: liz.cole@lga.gov.uk") and done.actions[0].command == "/undo"
    assert ask("/people title Liz Cole Training lead", user=ADMIN).kind == "confirmation"


def test_access_levels_and_councils(ask, admin_services: Services) -> None:  # type: ignore[no-untyped-def]
    assert ask("/people access Liz Cole broker", user=ADMIN).text.startswith("Liz Cole now has broker access")
    assert ask("/people access Liz Cole viewer", user=ADMIN).intent == "needs_confirmation"
    assert ask("/people access Liz Cole wizard", user=ADMIN).kind == "error"
    assert ask("/people council Liz Cole Hull", user=ADMIN).text.startswith("Liz Cole works for Kingston upon Hull")
    assert ask("/people council Liz Cole Narnia", user=ADMIN).intent == "unknown_council"


def test_non_admins_are_refused_with_the_admins_named(ask, admin_services: Services) -> None:  # type: ignore[no-untyped-def]
    people(admin_services, "link", "Paul Curran", "--slack-user", "U0PAUL001")
    refused = ask("/people add Jo Bloggs, director", user="slack:U0PAUL001")  # a broker, not an admin
    assert refused.intent == "permission_denied"
    assert refused.text == "Only admins can add people to the roster. Ask an admin (Alison Miller)."
    assert ask("/people", user="slack:U0PAUL001").intent == "people"  # anyone may read the roster


def test_unknown_names_and_bad_input_are_said_not_guessed(ask, admin_services: Services) -> None:  # type: ignore[no-untyped-def]
    unknown = ask("/people link Paul Curan @U0X", user=ADMIN)
    assert unknown.intent == "not_found" and "Did you mean Paul Curran?" in unknown.text
    assert ask("/people add Jo Bloggs", user=ADMIN).kind == "error"  # no role
    assert ask("/people add Jo Bloggs, wizard", user=ADMIN).kind == "error"
    assert ask("/people add Jo Bloggs, director, colour blue", user=ADMIN).kind == "error"
    assert ask("/people link Paul Curran somebody", user=ADMIN).kind == "error"
    assert admin_services.actors.actor_for(UserRef("slack", "U0X")).person_id is None


def test_help_lists_people() -> None:
    from bot.commands import command_table

    assert "people" in command_table()


def test_contacts_say_where_they_come_from(ask) -> None:  # type: ignore[no-untyped-def]
    assert ask("/contacts bookings").footer == "Source: CIB bulletin 7, 4 November 2011"


def test_the_provenance_file_describes_every_bundled_file() -> None:
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "storage" / "data"
    described = (data / "PROVENANCE.md").read_text(encoding="utf-8")
    bundled = sorted(str(p.relative_to(data)) for p in data.rglob("*") if p.is_file() and p.name != "PROVENANCE.md")
    assert bundled and [name for name in bundled if f"`{name}`" not in described] == []


def test_people_added_through_the_bot_say_who_added_them(ask, admin_services: Services) -> None:  # type: ignore[no-untyped-def]
    ask("/people add Jo Bloggs, director, council Harrow", user=ADMIN)
    lines = [line for section in ask("/people Jo Bloggs").sections for line in section.lines]
    assert "Source: added by Alison Miller via slack on 24 November 2026" in lines
    ask("/people email Jo Bloggs jo.bloggs@harrow.gov.uk", user=ADMIN)
    lines = [line for section in ask("/people Jo Bloggs").sections for line in section.lines]
    assert ("Source: added by Alison Miller via slack on 24 November 2026; "
            "changed by Alison Miller via slack on 24 November 2026") in lines


def test_a_name_typed_after_at_is_not_taken_for_an_account(ask, admin_services: Services) -> None:  # type: ignore[no-untyped-def]
    typed = ask("/people link Liz Cole @liz", user=ADMIN)
    assert typed.kind == "error" and "looks typed rather than mentioned" in typed.text
    assert ask("/people link Liz Cole @U0LIZ0001", user=ADMIN).text.startswith("Linked Liz Cole to Slack U0LIZ0001")
