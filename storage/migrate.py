"""Schema upgrades with Alembic, run programmatically on start and by `python -m bot db upgrade`.

Alembic is imported only when an upgrade is needed: a start against an up-to-date database checks
`alembic_version` against :data:`HEAD_REVISION` with one query, which keeps `python -m bot ask`
quick. `tests/core/test_storage.py` checks that HEAD_REVISION is the migrations' only head.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# The newest revision in storage/migrations/versions; update it with every new migration.
HEAD_REVISION = "0018_outbox_instant_text"


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Bring the schema to `revision` (default: the head). Safe to call on every start."""
    from alembic import command

    from storage import reference_version

    cfg = alembic_config(engine)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        # Migrations may predate the version table, so the write hook waits; one bump at the end
        # covers whatever they changed.
        connection.info[reference_version.PAUSED] = True
        try:
            before = _revision(connection)
            command.upgrade(cfg, revision)
            if _revision(connection) != before and inspect(connection).has_table(reference_version.VERSION_TABLE):
                reference_version.bump(connection)
        finally:
            connection.info.pop(reference_version.PAUSED, None)


def upgrade_if_needed(engine: Engine) -> bool:
    """Upgrade unless the database is already at HEAD_REVISION; True if it upgraded."""
    if current_revision(engine) == HEAD_REVISION:
        return False
    upgrade(engine)
    return True


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return _revision(conn)


def _revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    return rows[0][0] if len(rows) == 1 else None
