"""What the scheduler's jobs read about the rest of the world: new judgements, lead brokers and
the peer reviews reminders count down to.

A pass at thousands of councils reads every scheduled review, so these reads select plain
columns in one query each (team members in one more), never ORM objects.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy
from sqlmodel import col, func, select

from bot.services.directory import brokers_by_region
from bot.services.peer_reviews import DONE, FOLLOW_UP_DAYS, SCHEDULED, PeerReviewItem
from bot.services.scheduling.values import JudgementChange
from storage.db import Database
from storage.tables import ILACS, Council, OfstedJudgement, PeerReview, PeerReviewTeamMember, Region


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

    def scheduled_reviews(self, start: date, end: date) -> list[PeerReviewItem]:
        """Scheduled (not done, not cancelled) reviews starting between `start` and `end`
        inclusive, soonest first: what peer review reminders and digests count down to."""
        return self._reviews(
            col(PeerReview.status) == SCHEDULED, col(PeerReview.start_date) >= start, col(PeerReview.start_date) <= end
        )

    def follow_ups_due(self, start: date, end: date) -> list[PeerReviewItem]:
        """Reviews marked done whose follow-up (end date + 14 days) falls between `start` and `end`."""
        shift = timedelta(days=FOLLOW_UP_DAYS)
        return self._reviews(
            col(PeerReview.status) == DONE, col(PeerReview.end_date) >= start - shift,
            col(PeerReview.end_date) <= end - shift,
        )

    def _reviews(self, *where: Any) -> list[PeerReviewItem]:
        statement = (
            sqlalchemy.select(
                col(PeerReview.id), col(PeerReview.start_date), col(PeerReview.end_date), col(PeerReview.status),
                col(Council.id), col(Council.name), col(Council.ons_code), col(Region.id), col(Region.name),
            )
            .join(Council, col(Council.id) == PeerReview.council_id)
            .join(Region, col(Region.id) == Council.region_id)
            .where(*where)
            .order_by(col(PeerReview.start_date), col(PeerReview.id))
        )
        members = (
            select(PeerReviewTeamMember.review_id, PeerReviewTeamMember.name)
            .join(PeerReview, col(PeerReview.id) == PeerReviewTeamMember.review_id)
            .where(*where)
            .order_by(col(PeerReviewTeamMember.id))
        )
        with self.db.session() as session:
            connection = session.connection()  # plain rows, no ORM loading
            rows = connection.execute(statement).all()
            team: dict[int, list[str]] = {}
            for review_id, name in connection.execute(members).all():
                team.setdefault(review_id, []).append(name)
        return [
            PeerReviewItem(
                id=review_id, council=council, council_id=council_id, ons_code=ons_code, region=region,
                region_id=region_id, start=start, end=end, status=status, team=tuple(team.get(review_id, ())),
            )
            for review_id, start, end, status, council_id, council, ons_code, region_id, region in rows
        ]
