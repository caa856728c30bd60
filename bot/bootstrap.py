"""Process start-up: settings -> database (migrated, seeded) -> services."""

from __future__ import annotations

import logging

from bot.config import Settings, load_settings
from bot.services import Services
from bot.services.seeding import seed_if_needed
from storage.db import Database
from storage.migrate import upgrade_if_needed

log = logging.getLogger(__name__)


def open_database(settings: Settings, *, migrate: bool = True, seed: bool | None = None) -> Database:
    """Open the configured database, upgrade its schema and seed it on first start."""
    db = Database(settings.database_url)
    if migrate:
        upgrade_if_needed(db.engine)
    if settings.auto_seed if seed is None else seed:
        outcome = seed_if_needed(db, settings.inadequate_improvement_months)
        if outcome is not None:
            log.info(
                "Loaded the bundled data: %d rows written, %d escalations opened",
                outcome.report.total_written,
                outcome.escalations_opened,
            )
    return db


def open_services(settings: Settings | None = None) -> Services:
    settings = settings or load_settings()
    return Services.create(settings, open_database(settings))
