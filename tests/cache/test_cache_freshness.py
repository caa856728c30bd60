"""The reference data held in memory is never stale after a committed write, whichever process
made it, and never shows a write that rolled back: two Services on one database stand for two
server processes (each with its own engine and connections), on SQLite and on PostgreSQL, and a
real `python -m bot` subprocess writes through the CLI."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import event, text

from bot.bootstrap import build_router, open_database
from bot.cli.imports import run_with
from bot.core.message import Message, UserRef
from bot.core.reply import Reply
from bot.router import Router
from bot.services import Services
from bot.services.actors import Actor
from bot.services.seeding import seed
from storage.reference_version import WATCHED
from storage.tables import Person
from tests.conftest import TODAY, make_settings

REPO = Path(__file__).resolve().parents[2]
AS_AT_CSV = REPO / "storage" / "data" / "ofsted" / "ilacs_inspections_as_at_31_March_2025.csv"
OPERATOR = Actor(platform="console", user_id="local", name="Console operator", access="admin")


@dataclass
class Process:
    """One server process's view of the database: its own engine, services and router."""

    services: Services
    router: Router

    def ask(self, text: str) -> Reply:
        return self.router.handle(Message(text=text, user=UserRef.parse("console:local"), as_of=TODAY))

    def card_text(self, council: str) -> str:
        reply = self.ask(f"/council {council}")
        return "\n".join([reply.text, *(f"{f.label}: {f.value}" for f in reply.facts)])


def open_process(url: str) -> Process:
    settings = make_settings(url)
    services = Services.create(settings, open_database(settings))
    return Process(services, build_router(services))


@pytest.fixture(params=["sqlite", "postgresql"])
def two_processes(request: pytest.FixtureRequest) -> Iterator[tuple[Process, Process]]:
    url = f"sqlite:///{request.getfixturevalue('db_path')}" if request.param == "sqlite" \
        else request.getfixturevalue("pg_url")
    first, second = open_process(url), open_process(url)
    yield first, second
    first.services.db.dispose()
    second.services.db.dispose()


def test_writes_in_one_process_are_seen_by_the_next_answer_in_another(two_processes) -> None:  # type: ignore[no-untyped-def]
    reader, writer = two_processes
    assert "Intervention stage: Judged inadequate" in reader.card_text("Harrow")  # now held in memory
    # An escalation through the other process's router (the intervention shown on the card).
    assert writer.ask("/escalate Harrow commissioner 20/11/2026").ok
    assert "Intervention stage: Commissioner appointed (since 20 November 2026)" in reader.card_text("Harrow")
    # ... and its undo.
    assert writer.ask("/undo").ok
    assert "Intervention stage: Judged inadequate" in reader.card_text("Harrow")
    # A roster change through the roster service: a new broker for London.
    assert "Jo Bloggs" not in reader.ask("/broker London").text
    writer.services.roster.add_person(OPERATOR, "Jo Bloggs", role="lead_broker", region_id=region_id(writer, "London"))
    assert "Jo Bloggs" in reader.ask("/broker London").text
    assert "Jo Bloggs" in reader.card_text("Harrow")
    # A raw SQL write (as a database console would make it), then the seed loader putting it back.
    with writer.services.db.engine.begin() as conn:
        conn.execute(text("UPDATE council SET name = 'Harrow on the Hill' WHERE name = 'Harrow'"))
    assert reader.ask("/council Harrow on the Hill").title == "Harrow on the Hill"
    seed(writer.services.db, writer.services.settings.inadequate_improvement_months)
    assert reader.ask("/council Harrow").title == "Harrow"
    assert reader.ask("/council Harrow on the Hill").intent != "council_status"


def test_an_ofsted_import_in_another_process_changes_the_card(two_processes, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    reader, writer = two_processes
    assert "Barnet was judged Good" in reader.card_text("Barnet")
    lines = AS_AT_CSV.read_text(encoding="utf-8-sig").splitlines()
    barnet = next(line for line in lines if ",E09000003," in line)
    barnet = barnet.replace("2024-06-10", "2026-09-14").replace("2024-07-23", "2026-10-20")
    barnet = barnet.replace(",Good,Good,Good,Outstanding,Good", ",Inadequate,Inadequate,Inadequate,Good,Good")
    release = tmp_path / "release.csv"
    release.write_text(lines[0] + "\n" + barnet + "\n")
    assert run_with(writer.services, argparse.Namespace(file=release, dry_run=False)) == 0
    assert "1 added" in capsys.readouterr().out
    card = reader.card_text("Barnet")
    assert "Barnet was judged Inadequate (published 20 October 2026)" in card
    assert "Next deadline: 20 April 2027" in card


def test_a_write_that_rolls_back_is_never_shown(two_processes) -> None:  # type: ignore[no-untyped-def]
    reader, writer = two_processes
    assert reader.ask("/council Harrow").title == "Harrow"
    # In the other process: written, then rolled back.
    with pytest.raises(RuntimeError), writer.services.db.session() as session:
        session.connection().execute(text("UPDATE council SET name = 'Nowhere' WHERE name = 'Harrow'"))
        raise RuntimeError("refused")
    assert reader.ask("/council Harrow").title == "Harrow"
    # In the reader's own process: inside its unit of work the answer sees its own write ...
    db = reader.services.db
    with pytest.raises(RuntimeError), db.unit_of_work() as unit:
        unit.connection().execute(text("UPDATE council SET name = 'Nowhere' WHERE name = 'Harrow'"))
        assert reader.services.directory.resolve_council("Nowhere").match is not None
        raise RuntimeError("refused")
    # ... and after the rollback nothing of it is left in memory, even once the other process has
    # committed a change of its own (the database's version moves on as the rolled-back one did).
    assert writer.ask("/escalate Harrow commissioner 20/11/2026").ok
    card = reader.card_text("Harrow")
    assert "Commissioner appointed" in card
    assert reader.services.directory.resolve_council("Nowhere").match is None
    assert reader.ask("/council Nowhere").intent != "council_status"


def test_the_same_process_sees_its_own_write_at_once(services: Services) -> None:
    process = Process(services, build_router(services))
    assert "Jo Bloggs" not in process.ask("/broker London").text
    services.roster.add_person(OPERATOR, "Jo Bloggs", role="lead_broker", region_id=region_id(process, "London"))
    assert "Jo Bloggs" in process.ask("/broker London").text
    services.roster.link(OPERATOR, "Jo Bloggs", slack_user="U0JO")
    person = services.directory.person_for_user("slack", "U0JO")
    assert person is not None and person.name == "Jo Bloggs"


def test_a_roster_change_from_the_cli_process_is_seen_by_a_running_one(db_path: Path) -> None:
    running = open_process(f"sqlite:///{db_path}")
    assert "Jo Bloggs" not in running.ask("/broker London").text
    result = subprocess.run(
        [sys.executable, "-m", "bot", "people", "add", "Jo Bloggs", "--role", "lead_broker", "--region", "London"],
        capture_output=True, text=True, timeout=120, cwd=REPO,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{db_path}"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Jo Bloggs" in running.ask("/broker London").text
    running.services.db.dispose()


def test_switched_off_it_reads_the_database_for_every_answer(services: Services) -> None:
    """The switch the benchmark uses: the same answers, read afresh each time."""
    process = Process(services, build_router(services))
    cached = process.card_text("Harrow")
    services.reference.enabled = False
    assert process.card_text("Harrow") == cached
    assert services.reference.current() is not services.reference.current()


def region_id(process: Process, name: str) -> int:
    match = process.services.directory.resolve_region(name).match
    assert match is not None
    return match


def test_a_warm_answer_reads_the_version_once_and_no_reference_table(services: Services) -> None:
    """What "served from memory" means: once warm, a card or a question costs one version query
    and no read of the reference tables (the conversation context is still read and written)."""
    process = Process(services, build_router(services))
    process.ask("/council Harrow")
    process.ask("is Knowsley inadequate?")  # warm: the data and the spotter's table are built
    statements: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(" ".join(statement.split()).lower())

    event.listen(services.db.engine, "before_cursor_execute", record)
    try:
        for question in ("/council Harrow", "is Knowsley inadequate?", "who covers stoke?", "/broker London"):
            statements.clear()
            assert process.ask(question).ok
            version_reads = [s for s in statements if "from reference_version" in s]
            reference_reads = [s for s in statements if s.startswith("select") and any(
                f"from {table}" in s or f"join {table}" in s for table in WATCHED)]
            assert len(version_reads) == 1, (question, statements)
            assert reference_reads == [], (question, reference_reads)
    finally:
        event.remove(services.db.engine, "before_cursor_execute", record)


def test_a_step_rolled_back_to_its_savepoint_is_not_shown_later_in_the_same_answer(services: Services) -> None:
    """The router tries a command in a savepoint and may go on in the same transaction: reference
    data read after that savepoint rolled back must not keep the undone write."""
    db, cache = services.db, services.reference

    def people() -> set[str]:
        return {p.name for p in cache.current().people.values()}

    with db.unit_of_work():
        try:
            with db.session() as step:
                step.add(Person(name="Rolled Back", role="broker", email="", phone="", title="", access="broker"))
                step.flush()
                assert "Rolled Back" in people()  # the transaction sees its own write
                raise ValueError("the step fails")
        except ValueError:
            pass
        assert "Rolled Back" not in people()
    assert "Rolled Back" not in people()
