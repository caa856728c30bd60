"""The brokers' workflows: the intervention ladder, programme memberships, the regional sign-up
log, safeguarding peer reviews with their teams and review-team training, and peer challenge.

Bulletin 7: "Safeguarding peer reviews are now on offer ... no charge to individual councils";
"Free training places are also available for people who wish to join review teams"; councils
"dedicate five days per annum of senior leadership time ... on a reciprocal basis" to peer
challenge. Only councils, people in professional roles, dates and statuses are stored."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.tables.timestamps import utc_now


class InterventionEvent(SQLModel, table=True):
    """A dated step on a council's intervention ladder (its timeline)."""

    id: int | None = Field(default=None, primary_key=True)
    council_id: int = Field(foreign_key="council.id", index=True)
    stage: str = Field(max_length=40)
    event_date: date
    deadline: date | None = None
    note: str = Field(default="", max_length=1000)
    created_by: str = Field(default="system", max_length=128)
    created_at: datetime = Field(default_factory=utc_now)


class ProgrammeMembership(SQLModel, table=True):
    """A council's membership of a programme (Partners in Practice, demonstrator site, PbR trial)."""

    __table_args__ = (UniqueConstraint("council_id", "programme"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int = Field(foreign_key="council.id", index=True)
    programme: str = Field(max_length=64)
    since: date | None = None
    note: str = Field(default="", max_length=500)


class SignupItem(SQLModel, table=True):
    """One line of a region's sign-up record (bulletin 7): a signatory (lead chief executive,
    DCS, lead member for children), a local arrangement, or a contact on the lead broker's
    checklist. One row per region and party; a row exists once someone has logged progress,
    and is updated in place (the audit trail keeps its history)."""

    __table_args__ = (UniqueConstraint("region_id", "party"),)

    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    party: str = Field(max_length=32)  # short name: ce, dcs, member, challenge, riep, ...
    kind: str = Field(max_length=16)  # signatory | arrangement | contact
    status: str = Field(max_length=16)
    status_date: date | None = None
    note: str = Field(default="", max_length=1000)
    updated_by: str = Field(default="", max_length=128)
    updated_at: datetime = Field(default_factory=utc_now)


class PeerReview(SQLModel, table=True):
    """A safeguarding peer review booked by a council: dates, status and who booked it."""

    id: int | None = Field(default=None, primary_key=True)
    council_id: int = Field(foreign_key="council.id", index=True)
    start_date: date = Field(index=True)
    end_date: date
    status: str = Field(default="scheduled", index=True, max_length=16)  # scheduled | done | cancelled
    completed_on: date | None = None
    cancelled_on: date | None = None
    note: str = Field(default="", max_length=500)
    booked_by: str = Field(default="", max_length=128)
    created_at: datetime = Field(default_factory=utc_now)


class PeerReviewTeamMember(SQLModel, table=True):
    """One member of a review's team (a person in a professional role, by name)."""

    __table_args__ = (UniqueConstraint("review_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="peerreview.id", index=True)
    name: str = Field(max_length=128)
    person_id: int | None = Field(default=None, foreign_key="person.id")


class ReviewTrainingEvent(SQLModel, table=True):
    """A review-team training event: date, venue and places (bulletin: "February 8/9 ... Warwick")."""

    id: int | None = Field(default=None, primary_key=True)
    event_date: date = Field(index=True)
    end_date: date | None = None
    venue: str = Field(max_length=200)
    places: int
    created_by: str = Field(default="", max_length=128)
    created_at: datetime = Field(default_factory=utc_now)


class ReviewTrainingPlace(SQLModel, table=True):
    """A place taken on a training event by a named applicant."""

    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="reviewtrainingevent.id", index=True)
    name: str = Field(max_length=128)
    created_at: datetime = Field(default_factory=utc_now)


class PeerChallengeLog(SQLModel, table=True):
    """Days of senior leadership time one council gave to peer challenge of another.

    Days are kept in hundredths (`days_x100`, 50 = half a day) so sums are exact on every database.
    """

    id: int | None = Field(default=None, primary_key=True)
    giver_id: int = Field(foreign_key="council.id", index=True)
    receiver_id: int = Field(foreign_key="council.id", index=True)
    days_x100: int
    given_on: date = Field(index=True)
    note: str = Field(default="", max_length=500)
    logged_by: str = Field(default="", max_length=128)
    created_at: datetime = Field(default_factory=utc_now)
