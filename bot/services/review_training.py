"""Free training for people who wish to join review teams: events with a date, a venue and a
number of places, and who has taken them.

Every write checks the actor may write and records an audit entry in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from bot.core.errors import NotFound
from bot.core.format import fmt_short_date
from bot.services.actors import Actor, ActorDirectory
from bot.services.audit import AuditTrail, snapshot
from bot.services.peer_reviews import PeerReviewError
from storage.db import Database
from storage.tables import ReviewTrainingEvent, ReviewTrainingPlace


@dataclass(frozen=True)
class TrainingEventItem:
    id: int
    day: date
    end: date | None
    venue: str
    places: int
    taken: tuple[str, ...] = ()

    @property
    def places_left(self) -> int:
        return max(self.places - len(self.taken), 0)


class ReviewTrainingService:
    def __init__(self, db: Database, actors: ActorDirectory) -> None:
        self.db = db
        self.actors = actors

    def events(self, today: date, include_past: bool = False) -> list[TrainingEventItem]:
        with self.db.session() as session:
            statement = select(ReviewTrainingEvent)
            if not include_past:
                statement = statement.where(ReviewTrainingEvent.event_date >= today)
            events = session.exec(
                statement.order_by(col(ReviewTrainingEvent.event_date), col(ReviewTrainingEvent.id))
            ).all()
            return [_training_item(session, event) for event in events]

    def add(
        self, actor: Actor, day: date, venue: str, places: int, end: date | None = None
    ) -> TrainingEventItem:
        self.actors.require_writer(actor, "add review-team training events")
        if places < 1 or places > 500:
            raise PeerReviewError("Places must be a whole number from 1 to 500.")
        if end is not None and end < day:
            raise PeerReviewError("The training can't end before it starts.")
        venue = " ".join(venue.split())
        if not venue:
            raise PeerReviewError("Say where the training takes place (the venue).")
        with self.db.session() as session:
            event = ReviewTrainingEvent(event_date=day, end_date=end, venue=venue[:200], places=places,
                                        created_by=actor.label)
            session.add(event)
            session.flush()
            AuditTrail.record(
                session, actor, batch=AuditTrail.new_batch(), action="training.add",
                subject_type="training", subject_key=str(event.id),
                summary=f"Added review-team training #{event.id}: {fmt_short_date(day)} at {venue}, {places} places",
                row=event, before=None,
            )
            return _training_item(session, event)

    def take_place(self, actor: Actor, event_id: int, name: str) -> TrainingEventItem:
        """Give a named applicant a place on a training event, if one is left."""
        self.actors.require_writer(actor, "allocate training places")
        name = " ".join(name.split())
        if not name:
            raise PeerReviewError("Whose place is it? Give the applicant's name.")
        with self.db.session() as session:
            event = session.get(ReviewTrainingEvent, event_id)
            if event is None:
                raise NotFound(f"There is no training event #{event_id}: see /peerreview training list.")
            item = _training_item(session, event)
            if name.lower() in (t.lower() for t in item.taken):
                raise PeerReviewError(f"{name} already has a place on training #{event_id}.")
            if item.places_left == 0:
                raise PeerReviewError(f"Training #{event_id} is full ({event.places} places taken).")
            place = ReviewTrainingPlace(event_id=event_id, name=name[:128])
            session.add(place)
            session.flush()
            AuditTrail.record(
                session, actor, batch=AuditTrail.new_batch(), action="training.place",
                subject_type="training", subject_key=str(event_id),
                summary=f"Gave {name} a place on review-team training #{event_id} ({fmt_short_date(event.event_date)})",
                row=place, before=None,
            )
            return _training_item(session, event)

    def release_place(self, actor: Actor, event_id: int, name: str) -> TrainingEventItem:
        """Give up a named applicant's place on a training event."""
        self.actors.require_writer(actor, "allocate training places")
        with self.db.session() as session:
            event = session.get(ReviewTrainingEvent, event_id)
            if event is None:
                raise NotFound(f"There is no training event #{event_id}: see /peerreview training list.")
            places = session.exec(select(ReviewTrainingPlace).where(ReviewTrainingPlace.event_id == event_id)).all()
            place = next((p for p in places if p.name.lower() == " ".join(name.split()).lower()), None)
            if place is None:
                raise PeerReviewError(f"{name} has no place on training #{event_id}.")
            AuditTrail.record(
                session, actor, batch=AuditTrail.new_batch(), action="training.release",
                subject_type="training", subject_key=str(event_id),
                summary=f"Released {place.name}'s place on review-team training #{event_id}",
                row=place, before=snapshot(place), deleted=True,
            )
            session.delete(place)
            session.flush()
            return _training_item(session, event)


def _training_item(session: Session, event: ReviewTrainingEvent) -> TrainingEventItem:
    taken = session.exec(
        select(ReviewTrainingPlace.name)
        .where(ReviewTrainingPlace.event_id == event.id)
        .order_by(ReviewTrainingPlace.id)  # type: ignore[arg-type]
    ).all()
    return TrainingEventItem(
        id=event.id or 0, day=event.event_date, end=event.end_date, venue=event.venue, places=event.places,
        taken=tuple(taken),
    )
