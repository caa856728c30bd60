"""Seeding as a service: reference data from storage's loader plus the escalations that the
intervention ladder derives from it, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.interventions import open_escalations_for_inadequate
from storage.db import Database
from storage.seed import SeedReport, is_seeded, seed_reference_data


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
    return SeedOutcome(report=report, unmatched_codes=tuple(unmatched), escalations_opened=opened)


def seed_if_empty(db: Database, months: int) -> SeedOutcome | None:
    """First start against an empty database seeds it; later starts cost one query."""
    with db.session() as session:
        if is_seeded(session):
            return None
    return seed(db, months)
