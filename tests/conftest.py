"""Shared fixtures: real SQLite files (copied from one seeded template per run) and a real
PostgreSQL server started from the machine's binaries."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import text

from bot.bootstrap import open_database
from bot.config import Settings
from bot.core.message import Message, UserRef
from bot.core.reply import Reply
from bot.router import Router
from bot.services import Services
from tests.pg import PostgresServer, find_pg_bin

# A fixed "today" so deadline arithmetic in tests does not drift with the calendar.
TODAY = date(2026, 11, 24)
# The wall clock every test starts at (10:00 in London on TODAY); it ticks on from there.
WALL_CLOCK = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/London"))
WALLCLOCK_DIR = Path(__file__).parent / "wallclock"


def wallclock_env(moment: datetime) -> dict[str, str]:
    """Environment that starts a child Python process's wall clock at `moment` (tests/wallclock)."""
    path = os.environ.get("PYTHONPATH", "")
    if str(WALLCLOCK_DIR) not in path.split(os.pathsep):
        path = os.pathsep.join(p for p in (str(WALLCLOCK_DIR), path) if p)
    return {"BROKER_BOT_WALL_CLOCK": moment.isoformat(), "PYTHONPATH": path}


@pytest.fixture(autouse=True)
def wall_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[time_machine.Coordinates]:
    """Every test runs at WALL_CLOCK, whatever the real date: in this process (time-machine) and in
    every Python process it starts (the environment carries the moment to tests/wallclock).
    Tests that need another moment travel again with `wall_clock.move_to(...)`."""
    for name, value in wallclock_env(WALL_CLOCK).items():
        monkeypatch.setenv(name, value)
    with time_machine.travel(WALL_CLOCK, tick=True) as traveller:
        yield traveller


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {"database_url": database_url}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated and seeded SQLite file per test run; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "seeded.db"
    db = open_database(make_settings(f"sqlite:///{path}"))
    with db.engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    db.dispose()
    return path


@pytest.fixture
def db_path(seeded_template: Path, tmp_path: Path) -> Path:
    """A fresh, seeded, real SQLite file for this test."""
    path = tmp_path / "bot.db"
    shutil.copy(seeded_template, path)
    return path


@pytest.fixture
def settings(db_path: Path) -> Settings:
    return make_settings(f"sqlite:///{db_path}")


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    db = open_database(settings)
    yield Services.create(settings, db)
    db.dispose()


@pytest.fixture
def router(services: Services) -> Router:
    return Router(services)


_counter = itertools.count()


@pytest.fixture
def ask(router: Router):  # type: ignore[no-untyped-def]
    """ask("text", user="slack:U1", conversation="C1") -> Reply, as of TODAY."""

    def _ask(text: str, user: str = "console:local", conversation: str = "test",
             thread: str | None = None, as_of: date = TODAY) -> Reply:
        return router.handle(
            Message(text=text, user=UserRef.parse(user), conversation=conversation,
                    thread=thread, as_of=as_of)
        )

    return _ask


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bin_dir = find_pg_bin()
    if bin_dir is None:
        pytest.skip("No PostgreSQL binaries on this machine (apt-get install postgresql); "
                    ".ci/run installs them")
    server = PostgresServer(bin_dir)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> str:
    """A new, empty PostgreSQL database for this test."""
    return postgres_server.create_database(f"t{next(_counter)}")
