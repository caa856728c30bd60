"""What the scheduler's jobs read about the rest of the world: new judgements and lead brokers."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, func, select

from bot.services.directory import brokers_by_region
from bot.services.scheduling.values import JudgementChange
from storage.db import Database
from storage.tables import ILACS, Council, OfstedJudgement


class ScheduleReads:
    def __init__(self, db: Database) -> None:
        self.db = db

    def judgements_published(self, start: date, end: date, region_id: int | None = None) -> list[JudgementChange]:
        """Ofsted judgements published in [start, end): "judgements that changed since the last digest"."""
        with self.db.session() as session:
            published = func.coalesce(OfstedJudgement.publication_date, OfstedJudgement.inspection_date)
            statement = (
                select(OfstedJudgement, Council)
                .join(Council, col(Council.id) == col(OfstedJudgement.council_id))
                .where(OfstedJudgement.framework == ILACS)
                .where(published >= start)
                .where(published < end)
            )
            if region_id is not None:
                statement = statement.where(col(Council.region_id) == region_id)
            rows = session.exec(statement).all()
        return sorted(
            (
                JudgementChange(
                    council=c.name, region_id=c.region_id, overall=j.overall,
                    published=j.publication_date or j.inspection_date or start,
                )
                for j, c in rows
            ),
            key=lambda change: (change.published, change.council),
        )

    def lead_brokers(self) -> dict[int, str]:
        """Region id -> its lead broker's name."""
        with self.db.session() as session:
            return {rid: people[0].name for rid, people in brokers_by_region(session).items() if people}
