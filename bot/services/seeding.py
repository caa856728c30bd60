"""Seeding as a service: reference data from storage's loader plus the escalations that the
intervention ladder derives from it, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.interventions import open_escalations_for_inadequate
from storage.db import Database
from storage.seed import (
    SeedReport,
    bundled_data_hash,
    is_seeded,
    loaded_data_hash,
    record_data_hash,
    seed_reference_data,
)


@dataclass(frozen=True)
class SeedOutcome:
    report: SeedReport
    unmatched_codes: tuple[str, ...]
    escalations_opened: int


def seed(db: Database, months: int) -> SeedOutcome:
    """Load or refresh the bundled data; idempotent (a second run writes no row)."""
    with db.session() as session:
        report, unmatched = seed_reference_data(session)
        session.flush()
        opened = open_escalations_for_inadequate(session, months)
        record_data_hash(session, bundled_data_hash())
    return SeedOutcome(report=report, unmatched_codes=tuple(unmatched), escalations_opened=opened)


def seed_if_needed(db: Database, months: int) -> SeedOutcome | None:
    """Seed an empty database, or refresh one whose bundled data has changed since it was loaded
    (a new release); otherwise do nothing. Later starts cost one query and a file hash."""
    with db.session() as session:
        if is_seeded(session) and loaded_data_hash(session) == bundled_data_hash():
            return None
    return seed(db, months)
