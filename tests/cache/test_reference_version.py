"""The reference version: raised in the same transaction as any write to a reference table, by
whatever route the write takes, and by nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text, update
from sqlmodel import select

from bot.services.actors import Actor
from storage.db import Database
from storage.migrate import upgrade
from storage.reference_version import read_version, writes_watched_table
from storage.tables import AuditEntry, Council, Person
from tests.conftest import make_settings

OPERATOR = Actor(platform="console", user_id="local", name="Console operator", access="admin")


def version(db: Database) -> int | None:
    with db.engine.connect() as conn:
        return read_version(conn)


@pytest.mark.parametrize(
    ("statement", "writes"),
    [
        ("INSERT INTO council (name) VALUES (?)", True),
        ('UPDATE "person" SET access=%(access)s WHERE person.id = %(id)s', True),
        ("DELETE FROM ofstedjudgement WHERE inspection_date IS NULL", True),
        ("  insert or replace into councilalias (alias) values ('x')", True),
        ("UPDATE peerreview SET status='done'", True),
        ("WITH gone AS (SELECT id FROM council) DELETE FROM interventionevent WHERE council_id IN gone", True),
        ("TRUNCATE brokerassignment", True),
        ("SELECT * FROM council", False),
        ("INSERT INTO auditentry (summary) VALUES ('x')", False),
        ("UPDATE reference_version SET version = version + 1 WHERE id = 1", False),
        ("INSERT INTO conversation_context (state) VALUES ('{\"council\": 1}')", False),
    ],
)
def test_which_statements_write_reference_data(statement: str, writes: bool) -> None:
    assert writes_watched_table(statement) is writes


def test_an_orm_write_raises_the_version_once_per_transaction(services) -> None:  # type: ignore[no-untyped-def]
    db = services.db
    before = version(db)
    assert before is not None
    with db.session() as session:
        for council in session.exec(select(Council).limit(3)).all():
            council.population_0_17 = (council.population_0_17 or 0) + 1
            session.add(council)
        session.flush()
        session.add(Person(name="Jo Bloggs", role="director"))
    assert version(db) == before + 1


def test_core_and_raw_sql_writes_raise_it_and_other_writes_do_not(services) -> None:  # type: ignore[no-untyped-def]
    db = services.db
    before = version(db)
    assert before is not None
    with db.session() as session:
        session.exec(update(Council).where(Council.name == "Harrow").values(la_type="London borough"))  # type: ignore[call-overload]
    assert version(db) == before + 1
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE council SET first_year = first_year WHERE name = 'Harrow'")
    assert version(db) == before + 2
    with db.session() as session:  # reads, and writes to other tables, leave it alone
        session.exec(select(Council)).all()
        session.add(AuditEntry(batch="b", actor_platform="console", actor_id="t", action="x", subject_type="x",
                               subject_key="x", table_name="x", row_id=1))
    assert version(db) == before + 2


def test_a_rolled_back_write_leaves_it_as_it_was(services) -> None:  # type: ignore[no-untyped-def]
    db = services.db
    before = version(db)
    with pytest.raises(RuntimeError), db.session() as session:
        session.exec(text("UPDATE council SET name = 'Nowhere' WHERE name = 'Harrow'"))  # type: ignore[call-overload]
        raise RuntimeError("refused")
    assert version(db) == before


def test_a_write_after_a_rolled_back_savepoint_still_raises_it(services) -> None:  # type: ignore[no-untyped-def]
    db = services.db
    before = version(db)
    assert before is not None
    with db.unit_of_work() as unit:
        with pytest.raises(RuntimeError), db.session() as part:  # a refused part: its savepoint rolls back
            part.exec(text("UPDATE council SET la_type = 'x' WHERE name = 'Harrow'"))  # type: ignore[call-overload]
            raise RuntimeError("refused")
        unit.exec(text("UPDATE council SET la_type = 'London borough' WHERE name = 'Harrow'"))  # type: ignore[call-overload]
    assert version(db) == before + 1


def test_roster_writes_through_the_service_raise_it(services) -> None:  # type: ignore[no-untyped-def]
    before = version(services.db)
    assert before is not None
    services.roster.add_person(OPERATOR, "Jo Bloggs", role="director")
    assert version(services.db) == before + 1
    services.roster.link(OPERATOR, "Jo Bloggs", slack_user="U0JO")
    assert version(services.db) == before + 2


def test_migrating_an_empty_database_creates_the_row(tmp_path: Path) -> None:
    db = Database(make_settings(f"sqlite:///{tmp_path / 'empty.db'}").database_url)
    upgrade(db.engine)  # migration 0011 deletes judgements before the table exists: no error
    first = version(db)
    assert first is not None
    upgrade(db.engine)  # already at the head: nothing to do
    assert version(db) == first
    db.dispose()
