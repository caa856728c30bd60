"""Schema migrations and the seed loader, on real SQLite files and a real PostgreSQL server."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, func, inspect
from sqlmodel import SQLModel, select

import storage.tables  # noqa: F401
from bot.services.seeding import seed
from storage.db import Database
from storage.migrate import HEAD_REVISION, current_revision, upgrade
from storage.seed_rows import DATA_DIR
from storage.tables import (
    BrokerAssignment,
    Contact,
    Council,
    CouncilSuccession,
    InterventionEvent,
    OfstedJudgement,
    Person,
    Region,
)


def expected_schema() -> MetaData:
    """Our models plus the tables slack_sdk's installation and OAuth state stores use (created by
    our migrations, defined by the SDK)."""
    metadata = MetaData()
    for table in SQLModel.metadata.tables.values():
        table.to_metadata(metadata)
    store, states = SQLAlchemyInstallationStore, SQLAlchemyOAuthStateStore
    store.build_installations_table(metadata, store.default_installations_table_name)
    store.build_bots_table(metadata, store.default_bots_table_name)
    states.build_oauth_states_table(metadata, states.default_table_name)
    return metadata


def schema_drift(db: Database) -> list[object]:
    with db.engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), expected_schema()))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migrations_build_every_table_from_empty(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}" if backend == "sqlite" else request.getfixturevalue("pg_url")
    db = Database(url)
    assert current_revision(db.engine) is None
    upgrade(db.engine)
    tables = set(inspect(db.engine).get_table_names())
    assert set(expected_schema().tables) <= tables
    assert current_revision(db.engine) is not None
    assert schema_drift(db) == [], "models and migrations disagree: write a migration"
    upgrade(db.engine)  # a second upgrade on start is a no-op
    db.dispose()


def test_sqlite_uses_wal_and_busy_timeout(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'wal.db'}")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    db.dispose()


def earlier_judgements_in_sheet() -> int:
    """Judgements before ILACS in la_inspections_2009-2023.csv, counted straight from the sheet:
    every (publication date, overall) column pair of the SLAC, CPI, CPRI, TLAC and SIF groups
    that has both. (SLAC gives two judgements, safeguarding and looked after, on one date.)"""
    with (DATA_DIR / "ofsted" / "la_inspections_2009-2023.csv").open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    dates = [i for i, h in enumerate(header) if "publication date" in h and "ILACS" not in h]
    total = 0
    for row in rows:
        for i in dates:
            # the overall judgement(s) follow the date column: one, or two for the SLAC inspection
            overalls = [i + 1, i + 2] if header[i + 2].startswith("SLAC Looked After") else [i + 1]
            total += sum(1 for j in overalls if row[i].strip() and row[j].strip())
    return total


def row_counts(db: Database) -> dict[str, int]:
    with db.session() as session:
        return {
            model.__name__: session.exec(select(func.count()).select_from(model)).one()
            for model in (Region, Council, CouncilSuccession, OfstedJudgement, Person,
                          BrokerAssignment, Contact, InterventionEvent)
        }


def test_seed_loads_real_data_and_second_load_changes_no_row(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'seed.db'}")
    upgrade(db.engine)
    first = seed(db, months=6)
    assert first.unmatched_codes == ()
    counts = row_counts(db)
    assert counts["Region"] == 9
    assert counts["Council"] == 161  # 153 current plus 8 historical codes
    with db.session() as session:
        ilacs = session.exec(select(func.count()).select_from(OfstedJudgement)
                             .where(OfstedJudgement.framework == "ILACS")).one()
    assert ilacs == 271  # the 2018-2025 history includes every as-at row
    assert counts["OfstedJudgement"] == 271 + earlier_judgements_in_sheet()
    assert counts["InterventionEvent"] == 19  # one open escalation per inadequate council
    assert counts["BrokerAssignment"] == 9
    with db.session() as session:
        assert session.exec(select(func.count()).select_from(Council).where(Council.current == True)).one() == 153  # noqa: E712

    second = seed(db, months=6)
    assert second.report.total_written == 0
    assert second.escalations_opened == 0
    assert row_counts(db) == counts
    db.dispose()


def test_seed_keeps_roster_edits(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'roster.db'}")
    upgrade(db.engine)
    seed(db, months=6)
    with db.session() as session:
        person = session.exec(select(Person).where(Person.name == "Dave Smith")).one()
        person.email = "dave.smith@example.org"
        session.add(person)
    seed(db, months=6)
    with db.session() as session:
        assert session.exec(select(Person).where(Person.name == "Dave Smith")).one().email == "dave.smith@example.org"
    db.dispose()


def test_reorganised_councils_record_their_predecessors(services) -> None:  # type: ignore[no-untyped-def]
    directory = services.directory
    cumberland = directory.council(directory.resolve_council("Cumberland").match)
    assert cumberland.predecessors == ("Cumbria",)
    north_yorkshire = directory.council(directory.resolve_council("North Yorkshire").match)
    assert north_yorkshire.current and north_yorkshire.predecessors == ("North Yorkshire",)
    bcp = directory.council(directory.resolve_council("BCP").match)
    assert set(bcp.predecessors) == {"Bournemouth", "Dorset", "Poole"}


def test_postgres_seed_matches_sqlite(pg_url: str, services) -> None:  # type: ignore[no-untyped-def]
    db = Database(pg_url)
    upgrade(db.engine)
    seed(db, months=6)
    assert row_counts(db) == row_counts(services.db)
    db.dispose()


def test_migrations_have_a_single_head() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from storage.migrate import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"several heads {heads}: add a merge revision (alembic merge heads)"
    assert heads == [HEAD_REVISION], "update storage.migrate.HEAD_REVISION to the new head"


def test_start_skips_alembic_when_the_schema_is_current(tmp_path: Path) -> None:
    from storage.migrate import upgrade_if_needed

    db = Database(f"sqlite:///{tmp_path / 'current.db'}")
    assert upgrade_if_needed(db.engine) is True
    assert current_revision(db.engine) == HEAD_REVISION
    assert upgrade_if_needed(db.engine) is False
    db.dispose()


def test_a_start_refreshes_the_data_only_when_the_bundled_files_changed(db_path: Path) -> None:
    from bot.bootstrap import open_database
    from storage.tables import CouncilAlias, SeedState
    from tests.conftest import make_settings

    settings = make_settings(f"sqlite:///{db_path}")
    db = open_database(settings)
    with db.session() as session:
        hereford = session.exec(select(CouncilAlias).where(CouncilAlias.alias == "hereford")).one()
        session.delete(hereford)
    db.dispose()

    db = open_database(settings)  # same bundled data: nothing is reloaded
    with db.session() as session:
        assert session.exec(select(CouncilAlias).where(CouncilAlias.alias == "hereford")).first() is None
        session.exec(select(SeedState)).one().data_hash = "an older release"
    db.dispose()

    db = open_database(settings)  # the files differ from what was loaded: refreshed on start
    with db.session() as session:
        assert session.exec(select(CouncilAlias).where(CouncilAlias.alias == "hereford")).first() is not None
    db.dispose()


def test_migration_rewrites_outbox_instants_sqlite3_wrote_in_sqlalchemy_form(tmp_path: Path) -> None:
    """Rows a pass inserted before the driver used the dialect's own processors hold sqlite3's
    text for instants; after the upgrade they hold SQLAlchemy's, which claims compare against."""
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(db.engine, "0017_slack_installations")
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO outboxitem (key, platform, destination, scope, kind, subject, series_key, due_date, due_at,"
            " payload, status, attempts, next_attempt_at, late, created_at, sent_at)"
            " VALUES ('k', 'slack', 'C1', 'national', 'digest', 'national', 'digest:x', '2026-11-30',"
            " '2026-11-30 09:00:00+00:00', '{}', 'sent', 1, '2026-11-30 09:00:00.000000', 0,"
            " '2026-11-29 18:00:00.250000+00:00', '2026-11-30 09:00:01.500000+00:00')"
        )
    upgrade(db.engine)
    with db.engine.connect() as conn:
        stored = conn.exec_driver_sql(
            "SELECT due_at, next_attempt_at, created_at, sent_at, claimed_until FROM outboxitem"
        ).one()
    assert tuple(stored) == ("2026-11-30 09:00:00.000000", "2026-11-30 09:00:00.000000",
                             "2026-11-29 18:00:00.250000", "2026-11-30 09:00:01.500000", None)
