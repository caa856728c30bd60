"""Process start-up: settings -> database (migrated, seeded) -> services."""

from __future__ import annotations

import logging

from sqlalchemy.exc import OperationalError

from bot.config import Settings, load_settings
from bot.services import Services
from bot.services.seeding import seed_if_needed
from storage.db import Database, DatabaseUnavailable, describe_url
from storage.migrate import upgrade_if_needed

log = logging.getLogger(__name__)


def open_database(settings: Settings, *, migrate: bool = True, seed: bool | None = None) -> Database:
    """Open the configured database, upgrade its schema and seed it on first start.

    Raises DatabaseUnavailable (one printable line, no password) when it cannot be reached, so
    entry points can say so instead of showing a driver traceback."""
    db = Database(settings.database_url)
    try:
        if migrate:
            upgrade_if_needed(db.engine)
        _seed(db, settings, seed)
    except OperationalError as exc:
        db.dispose()
        reason = next(iter(str(exc.orig or exc).strip().splitlines()), "no reason given")
        raise DatabaseUnavailable(
            f"Cannot reach the database: {describe_url(settings.database_url)} ({reason})"
        ) from exc
    return db


def _seed(db: Database, settings: Settings, seed: bool | None) -> None:
    if settings.auto_seed if seed is None else seed:
        outcome = seed_if_needed(db, settings.inadequate_improvement_months)
        if outcome is not None:
            log.info(
                "Loaded the bundled data: %d rows written, %d escalations opened",
                outcome.report.total_written,
                outcome.escalations_opened,
            )


def open_services(settings: Settings | None = None) -> Services:
    settings = settings or load_settings()
    return Services.create(settings, open_database(settings))
