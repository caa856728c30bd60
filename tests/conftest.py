"""Shared fixtures: real SQLite files (copied from one seeded template per run) and a real
PostgreSQL server started from the machine's binaries."""

from __future__ import annotations

import itertools
import os
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import text

from bot.bootstrap import build_router, open_database
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


def wallclock_env(shift_seconds: float) -> dict[str, str]:
    """Environment that moves a child Python process's wall clock by `shift_seconds` (tests/wallclock)."""
    path = os.environ.get("PYTHONPATH", "")
    if str(WALLCLOCK_DIR) not in path.split(os.pathsep):
        path = os.pathsep.join(p for p in (str(WALLCLOCK_DIR), path) if p)
    return {"BROKER_BOT_WALL_CLOCK_SHIFT": repr(shift_seconds), "PYTHONPATH": path}


@pytest.fixture(scope="session", autouse=True)
def session_wall_clock() -> Iterator[None]:
    """The run starts at WALL_CLOCK, whatever the real date, in this process (time-machine) and in
    every Python process it starts: they inherit the same shift from the real clock, so a server
    started by any fixture, of any scope, agrees with the tests about the time."""
    hatch = time_machine.escape_hatch  # the real clock, even under `make test-any-day`'s moved one
    real_now = hatch.time.time() if hatch.is_travelling() else time.time()
    shift = WALL_CLOCK.timestamp() - real_now
    os.environ.update(wallclock_env(shift))
    with time_machine.travel(WALL_CLOCK, tick=True):
        yield


@pytest.fixture(autouse=True)
def wall_clock(session_wall_clock: None) -> Iterator[time_machine.Coordinates]:
    """This test's clock: the run's clock as it stands (still TODAY in London). A test that needs
    another moment moves it with `wall_clock.move_to(...)`; that lasts until the test ends and does
    not reach processes already started."""
    with time_machine.travel(datetime.now(UTC), tick=True) as traveller:
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
    return build_router(services)


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


@pytest.fixture
def pg_services(pg_url: str) -> Iterator[Services]:
    """Services on a new PostgreSQL database, migrated and seeded as at a first start."""
    settings = make_settings(pg_url)
    db = open_database(settings)
    yield Services.create(settings, db)
    db.dispose()


@pytest.fixture
def pg_ask(pg_services: Services):  # type: ignore[no-untyped-def]
    """Like `ask`, on PostgreSQL: pg_ask("text", user="slack:U1") -> Reply, as of TODAY."""
    router = Router(pg_services)

    def _ask(text: str, user: str = "console:local") -> Reply:
        return router.handle(Message(text=text, user=UserRef.parse(user), as_of=TODAY))

    return _ask
