"""Safeguarding peer reviews: booking, finishing, cancelling and their review teams.

"Safeguarding peer reviews are now on offer ... there is now no charge to individual councils.
22 reviews have been scheduled so far in 11/12": a review is booked by a council, has start and
end dates and a review team, and is counted in the programme year (April to March) it starts in.
Training for review teams is bot/services/review_training.py.

Every write checks the actor may write and records an audit entry in the same transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from bot.core.errors import NotFound
from bot.core.format import fmt_short_date
from bot.domain.calendar import programme_year, programme_year_label
from bot.services.actors import Actor, ActorDirectory
from bot.services.audit import AuditTrail, snapshot
from storage.db import Database
from storage.tables import Council, PeerReview, PeerReviewTeamMember, Person, Region

FOLLOW_UP_DAYS = 14  # the follow-up conversation is due two weeks after a review ends
RECENT_DAYS = 180  # "recent" reviews in the list: finished within about six months
SCHEDULED, DONE, CANCELLED = "scheduled", "done", "cancelled"

# A status change applied to a review: mutates it and returns the audit summary.
_Change = Callable[[PeerReview, Council], str]


class PeerReviewError(ValueError):
    """A request that breaks a rule (end before start, already done...); the message is for the user."""


@dataclass(frozen=True)
class PeerReviewItem:
    id: int
    council: str
    council_id: int
    ons_code: str
    region: str
    region_id: int
    start: date
    end: date
    status: str  # scheduled | done | cancelled
    team: tuple[str, ...] = ()
    completed_on: date | None = None
    cancelled_on: date | None = None
    booked_by: str = ""
    note: str = ""

    @property
    def follow_up(self) -> date:
        """When the 14-day follow-up after the review falls due."""
        return self.end + timedelta(days=FOLLOW_UP_DAYS)

    @property
    def programme_year(self) -> str:
        return programme_year_label(self.start)


@dataclass(frozen=True)
class PeerReviewOverview:
    today: date
    region: str | None
    upcoming: tuple[PeerReviewItem, ...]  # scheduled and not yet finished
    awaiting: tuple[PeerReviewItem, ...]  # scheduled, finished, not yet marked done
    recent: tuple[PeerReviewItem, ...]  # done, ended within RECENT_DAYS
    counts: dict[str, int]  # programme year label -> reviews scheduled (not cancelled), oldest first
    current_year: str

    @property
    def current_count(self) -> int:
        return self.counts.get(self.current_year, 0)


class PeerReviewService:
    def __init__(self, db: Database, actors: ActorDirectory) -> None:
        self.db = db
        self.actors = actors

    # --- reading -------------------------------------------------------------------------------

    def upcoming(self, start: date, end: date, region_id: int | None = None) -> list[PeerReviewItem]:
        """Scheduled (not done, not cancelled) reviews starting between `start` and `end` inclusive."""
        with self.db.session() as session:
            statement = _joined().where(PeerReview.status == SCHEDULED)
            statement = statement.where(PeerReview.start_date >= start).where(PeerReview.start_date <= end)
            if region_id is not None:
                statement = statement.where(Council.region_id == region_id)
            return _items(session, session.exec(statement.order_by(PeerReview.start_date, PeerReview.id)).all())

    def follow_ups_due(self, start: date, end: date, region_id: int | None = None) -> list[PeerReviewItem]:
        """Reviews marked done whose 14-day follow-up (end date + 14 days) falls between `start` and `end`."""
        shift = timedelta(days=FOLLOW_UP_DAYS)
        with self.db.session() as session:
            statement = _joined().where(PeerReview.status == DONE)
            statement = statement.where(PeerReview.end_date >= start - shift)
            statement = statement.where(PeerReview.end_date <= end - shift)
            if region_id is not None:
                statement = statement.where(Council.region_id == region_id)
            return _items(session, session.exec(statement.order_by(PeerReview.end_date, PeerReview.id)).all())

    def get(self, review_id: int) -> PeerReviewItem | None:
        with self.db.session() as session:
            row = session.exec(_joined().where(PeerReview.id == review_id)).first()
            return _items(session, [row])[0] if row else None

    def for_council(self, council_id: int, status: str | None = SCHEDULED) -> list[PeerReviewItem]:
        with self.db.session() as session:
            statement = _joined().where(PeerReview.council_id == council_id)
            if status is not None:
                statement = statement.where(PeerReview.status == status)
            return _items(session, session.exec(statement.order_by(PeerReview.start_date, PeerReview.id)).all())

    def overview(self, today: date, region_id: int | None = None) -> PeerReviewOverview:
        """Upcoming, awaiting completion and recent reviews, and counts by programme year."""
        with self.db.session() as session:
            statement = _joined().where(PeerReview.status != CANCELLED)
            if region_id is not None:
                statement = statement.where(Council.region_id == region_id)
            items = _items(session, session.exec(statement.order_by(PeerReview.start_date, PeerReview.id)).all())
            region = session.get(Region, region_id) if region_id is not None else None
            region_name = region.name if region else None
        counts = Counter(item.programme_year for item in items)
        upcoming = tuple(i for i in items if i.status == SCHEDULED and i.end >= today)
        awaiting = tuple(i for i in items if i.status == SCHEDULED and i.end < today)
        recent = tuple(
            i for i in reversed(items) if i.status == DONE and i.end >= today - timedelta(days=RECENT_DAYS)
        )
        return PeerReviewOverview(
            today=today,
            region=region_name,
            upcoming=upcoming,
            awaiting=awaiting,
            recent=recent,
            counts={label: counts[label] for label in sorted(counts)},
            current_year=programme_year_label(today),
        )

    def count_in_programme_year(self, day: date, region_id: int | None = None) -> int:
        """Reviews (not cancelled) starting in the programme year that contains `day`."""
        first, last = programme_year(day)
        with self.db.session() as session:
            statement = (
                select(func.count())
                .select_from(PeerReview)
                .join(Council, Council.id == PeerReview.council_id)  # type: ignore[arg-type]
                .where(PeerReview.status != CANCELLED)
                .where(PeerReview.start_date >= first)
                .where(PeerReview.start_date <= last)
            )
            if region_id is not None:
                statement = statement.where(Council.region_id == region_id)
            return int(session.exec(statement).one())

    # --- writing -------------------------------------------------------------------------------

    def book(
        self,
        actor: Actor,
        council_id: int,
        start: date,
        end: date | None = None,
        team: tuple[str, ...] = (),
        note: str = "",
    ) -> PeerReviewItem:
        """Book a review; refuses an end before the start and a clash with the council's own bookings."""
        self.actors.require_writer(actor, "book peer reviews")
        end = end or start
        if end < start:
            raise PeerReviewError(
                f"The review can't end ({fmt_short_date(end)}) before it starts ({fmt_short_date(start)})."
            )
        if (end - start).days > 31:
            raise PeerReviewError("A peer review lasts days, not months: check the end date (at most 31 days).")
        batch = AuditTrail.new_batch()
        with self.db.session() as session:
            council = session.get_one(Council, council_id)
            if not council.current:
                raise PeerReviewError(f"{council.name} no longer exists; book the review for its successor council.")
            clash = session.exec(
                select(PeerReview)
                .where(PeerReview.council_id == council_id)
                .where(PeerReview.status == SCHEDULED)
                .where(PeerReview.start_date <= end)
                .where(PeerReview.end_date >= start)
            ).first()
            if clash is not None:
                raise PeerReviewError(
                    f"{council.name} already has review #{clash.id} booked for "
                    f"{fmt_short_date(clash.start_date)} to {fmt_short_date(clash.end_date)}."
                )
            review = PeerReview(
                council_id=council_id, start_date=start, end_date=end, note=note, booked_by=actor.label
            )
            session.add(review)
            session.flush()
            AuditTrail.record(
                session, actor, batch=batch, action="peerreview.book", subject_type="council",
                subject_key=council.ons_code,
                summary=f"Booked peer review #{review.id} for {council.name}, {_span(start, end)}",
                row=review, before=None,
            )
            for name in _unique(team):
                self._add_member(session, actor, batch, review, council, name)
            review_id = review.id or 0
        item = self.get(review_id)
        assert item is not None
        return item

    def complete(self, actor: Actor, review_id: int, day: date) -> PeerReviewItem:
        """Mark a scheduled review done on `day` (not before it started)."""
        self.actors.require_writer(actor, "record peer reviews as done")

        def change(review: PeerReview, council: Council) -> str:
            if review.status != SCHEDULED:
                raise PeerReviewError(f"Review #{review.id} for {council.name} is already {review.status}.")
            if day < review.start_date:
                raise PeerReviewError(
                    f"Review #{review.id} for {council.name} starts on {fmt_short_date(review.start_date)}; "
                    "it can't be done before it starts."
                )
            review.status = DONE
            review.completed_on = day
            return f"Marked peer review #{review.id} for {council.name} done ({fmt_short_date(day)})"

        return self._change(actor, review_id, "peerreview.done", change)

    def cancel(self, actor: Actor, review_id: int, day: date) -> PeerReviewItem:
        self.actors.require_writer(actor, "cancel peer reviews")

        def change(review: PeerReview, council: Council) -> str:
            if review.status != SCHEDULED:
                raise PeerReviewError(f"Review #{review.id} for {council.name} is already {review.status}.")
            review.status = CANCELLED
            review.cancelled_on = day
            span = _span(review.start_date, review.end_date)
            return f"Cancelled peer review #{review.id} for {council.name} ({span})"

        return self._change(actor, review_id, "peerreview.cancel", change)

    def add_member(self, actor: Actor, review_id: int, name: str) -> PeerReviewItem:
        self.actors.require_writer(actor, "change review teams")
        batch = AuditTrail.new_batch()
        with self.db.session() as session:
            review, council = self._load(session, review_id)
            if review.status == CANCELLED:
                raise PeerReviewError(f"Review #{review_id} for {council.name} was cancelled.")
            self._add_member(session, actor, batch, review, council, name)
        return self._item(review_id)

    def remove_member(self, actor: Actor, review_id: int, name: str) -> PeerReviewItem:
        self.actors.require_writer(actor, "change review teams")
        batch = AuditTrail.new_batch()
        with self.db.session() as session:
            _review, council = self._load(session, review_id)
            members = session.exec(
                select(PeerReviewTeamMember).where(PeerReviewTeamMember.review_id == review_id)
            ).all()
            member = next((m for m in members if m.name.lower() == name.strip().lower()), None)
            if member is None:
                names = ", ".join(m.name for m in members) or "nobody yet"
                raise PeerReviewError(f"{name} is not on review #{review_id}'s team (team: {names}).")
            before = snapshot(member)
            AuditTrail.record(
                session, actor, batch=batch, action="peerreview.team_remove", subject_type="council",
                subject_key=council.ons_code,
                summary=f"Removed {member.name} from the team for review #{review_id} ({council.name})",
                row=member, before=before, deleted=True,
            )
            session.delete(member)
        return self._item(review_id)

    # --- helpers -------------------------------------------------------------------------------

    def _item(self, review_id: int) -> PeerReviewItem:
        item = self.get(review_id)
        if item is None:
            raise NotFound(f"There is no peer review #{review_id}.")
        return item

    @staticmethod
    def _load(session: Session, review_id: int) -> tuple[PeerReview, Council]:
        review = session.get(PeerReview, review_id)
        if review is None:
            raise NotFound(f"There is no peer review #{review_id}: see /peerreview list.")
        return review, session.get_one(Council, review.council_id)

    def _change(self, actor: Actor, review_id: int, action: str, change: _Change) -> PeerReviewItem:
        with self.db.session() as session:
            review, council = self._load(session, review_id)
            before = snapshot(review)
            summary = change(review, council)
            session.add(review)
            AuditTrail.record(
                session, actor, batch=AuditTrail.new_batch(), action=action, subject_type="council",
                subject_key=council.ons_code, summary=summary, row=review, before=before,
            )
        return self._item(review_id)

    @staticmethod
    def _add_member(
        session: Session, actor: Actor, batch: str, review: PeerReview, council: Council, name: str
    ) -> None:
        name = " ".join(name.split())
        if not name:
            raise PeerReviewError("Give the team member's name.")
        person = session.exec(select(Person).where(func.lower(Person.name) == name.lower())).first()
        if person is not None:
            name = person.name
        existing = session.exec(
            select(PeerReviewTeamMember)
            .where(PeerReviewTeamMember.review_id == review.id)
            .where(func.lower(PeerReviewTeamMember.name) == name.lower())
        ).first()
        if existing is not None:
            raise PeerReviewError(f"{name} is already on the team for review #{review.id}.")
        member = PeerReviewTeamMember(
            review_id=review.id or 0, name=name[:128], person_id=person.id if person else None
        )
        session.add(member)
        session.flush()
        AuditTrail.record(
            session, actor, batch=batch, action="peerreview.team_add", subject_type="council",
            subject_key=council.ons_code,
            summary=f"Added {name} to the team for review #{review.id} ({council.name})",
            row=member, before=None,
        )


def _joined() -> Any:
    return (
        select(PeerReview, Council, Region)
        .join(Council, Council.id == PeerReview.council_id)  # type: ignore[arg-type]
        .join(Region, Region.id == Council.region_id)  # type: ignore[arg-type]
    )


def _items(session: Session, found: Iterable[Any]) -> list[PeerReviewItem]:
    rows: list[tuple[PeerReview, Council, Region]] = list(found)
    ids = [review.id for review, _c, _r in rows]
    team: dict[int, list[str]] = {}
    if ids:
        members = session.exec(
            select(PeerReviewTeamMember)
            .where(col(PeerReviewTeamMember.review_id).in_(ids))
            .order_by(col(PeerReviewTeamMember.id))
        ).all()
        for member in members:
            team.setdefault(member.review_id, []).append(member.name)
    return [
        PeerReviewItem(
            id=review.id or 0,
            council=council.name,
            council_id=council.id or 0,
            ons_code=council.ons_code,
            region=region.name,
            region_id=region.id or 0,
            start=review.start_date,
            end=review.end_date,
            status=review.status,
            team=tuple(team.get(review.id or 0, ())),
            completed_on=review.completed_on,
            cancelled_on=review.cancelled_on,
            booked_by=review.booked_by,
            note=review.note,
        )
        for review, council, region in rows
    ]


def _span(start: date, end: date) -> str:
    return fmt_short_date(start) if start == end else f"{fmt_short_date(start)} to {fmt_short_date(end)}"


def _unique(names: tuple[str, ...]) -> list[str]:
    seen: set[str] = set()
    result = []
    for name in names:
        key = " ".join(name.split()).lower()
        if key and key not in seen:
            seen.add(key)
            result.append(name)
    return result
