"""`python -m bot people list|add|link` and what linking changes: viewers read, brokers and
admins write; BOT_ADMINS grants admin rights by platform user id."""

from __future__ import annotations

import argparse

import pytest

from bot.bootstrap import open_database
from bot.cli import build_parser, main
from bot.cli.people import run_with
from bot.core.message import UserRef
from bot.services import Services
from tests.conftest import make_settings


def people(services: Services, *argv: str) -> int:
    parser = build_parser()
    args = parser.parse_args(["people", *argv])
    return run_with(services, args)


def test_link_then_write_as_that_user(ask, services: Services, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert ask("/signup London dcs agreed", user="slack:U0PAUL").kind == "error"
    assert people(services, "link", "paul curran", "--slack-user", "U0PAUL", "--teams-user", "29:paul") == 0
    assert "Linked Paul Curran (broker) to Slack U0PAUL, Teams 29:paul." in capsys.readouterr().out
    assert ask("/signup London dcs agreed", user="slack:U0PAUL").kind == "confirmation"
    assert ask("/signup London ce agreed", user="teams:29:paul").kind == "confirmation"
    actor = services.actors.actor_for(UserRef("slack", "U0PAUL"))
    assert actor.name == "Paul Curran" and actor.access == "broker"
    # The link itself is audited.
    assert services.audit.history("person", "Paul Curran")[0].summary.startswith("Linked Paul Curran")


def test_link_refuses_unknown_people_and_taken_ids(services: Services, capsys: pytest.CaptureFixture[str]) -> None:
    assert people(services, "link", "Paul Curan", "--slack-user", "U1") == 2
    assert "Did you mean Paul Curran?" in capsys.readouterr().out
    assert people(services, "link", "Paul Curran", "--slack-user", "U1") == 0
    assert people(services, "link", "Liz Cole", "--slack-user", "U1") == 2
    assert "U1 is already linked to Paul Curran" in capsys.readouterr().out
    assert people(services, "link", "Liz Cole") == 2


def test_add_and_list(services: Services, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        people(
            services,
            "add",
            "Jo Bloggs",
            "--role",
            "associate_broker",
            "--region",
            "North West",
            "--email",
            "jo@example.org",
        )
        == 0
    )
    assert "Added Jo Bloggs (associate_broker, broker), covering North West." in capsys.readouterr().out
    assert people(services, "add", "Sam Viewer", "--role", "director") == 0
    assert people(services, "add", "Jo Bloggs", "--role", "director") == 2
    assert "already on the roster" in capsys.readouterr().out
    assert people(services, "add", "X Y", "--role", "wizard") == 2
    assert "Role must be one of" in capsys.readouterr().out
    assert people(services, "add", "X Y", "--role", "director", "--region", "Narnia") == 2
    capsys.readouterr()
    assert people(services, "list") == 0
    listing = capsys.readouterr().out
    assert "Jo Bloggs · associate_broker · broker [North West]" in listing
    assert "Sam Viewer · director · viewer" in listing


def test_a_linked_viewer_is_still_refused(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    people(services, "add", "Sam Viewer", "--role", "director")
    people(services, "link", "Sam Viewer", "--slack-user", "USAM")
    reply = ask("/escalate Harrow commissioner", user="slack:USAM")
    assert reply.kind == "error" and "Only lead brokers and admins" in reply.text
    assert ask("/council Harrow", user="slack:USAM").intent == "council_status"  # anyone may read


def test_bot_admins_may_write_without_a_roster_entry(db_path) -> None:  # type: ignore[no-untyped-def]
    from bot.core.message import Message
    from bot.router import Router
    from tests.conftest import TODAY

    settings = make_settings(f"sqlite:///{db_path}", admins=frozenset({"slack:UADMIN", "UOTHER"}))
    db = open_database(settings)
    router = Router(Services.create(settings, db))
    for user in ("UADMIN", "UOTHER"):
        reply = router.handle(Message("/signup London dcs agreed", user=UserRef("slack", user), as_of=TODAY))
        assert reply.kind == "confirmation"
    db.dispose()


def test_cli_entry_point_runs_people_list(db_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db_path}")
    assert main(["people", "list"]) == 0
    assert "Paul Curran · lead_broker · broker [London]" in capsys.readouterr().out


def test_parser_has_people_subcommand() -> None:
    args = build_parser().parse_args(["people", "link", "Paul Curran", "--slack-user", "U1"])
    assert isinstance(args, argparse.Namespace) and args.slack_user == "U1"


def test_a_director_is_added_with_their_council(ask, services: Services, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert people(services, "add", "Dee Director", "--role", "director", "--region", "London") == 2
    assert "Only brokers cover regions" in capsys.readouterr().out
    assert people(services, "add", "Dee Director", "--role", "director", "--council", "Narnia Vale") == 2
    assert "Unknown council 'Narnia Vale'" in capsys.readouterr().out
    assert people(services, "add", "Dee Director", "--role", "director", "--council", "Knowsley") == 0
    assert people(services, "link", "Dee Director", "--slack-user", "U0DEEDIR") == 0
    reply = ask("who is our broker?", user="slack:U0DEEDIR")
    assert reply.text == "Knowsley is in North West; its lead broker is Howard Cooper."
