"""SQLModel tables: the domain store.

No child-level personal data is ever stored: only councils, people in professional roles,
dates and statuses (DESIGN.md).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


def utc_now() -> datetime:
    return datetime.now(UTC)


class Region(SQLModel, table=True):
    """One of the nine former Government Office Regions (bulletin 7: "all nine regions")."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=9)  # ONS E12...
    name: str = Field(unique=True, max_length=64)


class RegionAlias(SQLModel, table=True):
    """Another name users type for a region ("Eastern", "NW", "Yorkshire & Humber")."""

    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    alias: str = Field(unique=True, max_length=64)  # stored normalised


class Council(SQLModel, table=True):
    """A local authority with children's services, current or historical (one row per code)."""

    id: int | None = Field(default=None, primary_key=True)
    ons_code: str = Field(index=True, unique=True, max_length=9)
    dfe_code: str = Field(index=True, max_length=3)
    name: str = Field(max_length=128)
    la_type: str = Field(max_length=64)
    region_id: int = Field(foreign_key="region.id", index=True)
    current: bool = Field(default=True, index=True)
    first_year: int | None = None
    last_year: int | None = None
    population_0_17: int | None = None


class CouncilAlias(SQLModel, table=True):
    """Short or informal names ("Hull", "B&NES") and other sources' spellings of a council."""

    id: int | None = Field(default=None, primary_key=True)
    council_id: int = Field(foreign_key="council.id", index=True)
    alias: str = Field(unique=True, max_length=128)  # stored normalised


class CouncilSuccession(SQLModel, table=True):
    """A reorganisation: the predecessor's area passed (wholly or partly) to the successor."""

    __table_args__ = (UniqueConstraint("predecessor_id", "successor_id"),)

    id: int | None = Field(default=None, primary_key=True)
    predecessor_id: int = Field(foreign_key="council.id", index=True)
    successor_id: int = Field(foreign_key="council.id", index=True)
    year: int | None = None


class Person(SQLModel, table=True):
    """Someone in a professional role: lead/associate broker, central contact or director."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=128)
    role: str = Field(max_length=32)  # lead_broker | associate_broker | central_contact | director
    title: str = Field(default="", max_length=256)
    email: str = Field(default="", max_length=256)
    phone: str = Field(default="", max_length=64)
    slack_user_id: str | None = Field(default=None, index=True, max_length=32)
    teams_user_id: str | None = Field(default=None, index=True, max_length=128)
    access: str = Field(default="viewer", max_length=16)  # admin | broker | viewer
    council_id: int | None = Field(default=None, foreign_key="council.id")
    starts_on: date | None = None  # e.g. Howard Cooper "joining in January"


class BrokerAssignment(SQLModel, table=True):
    """A broker covering a region (one broker may cover several regions)."""

    __table_args__ = (UniqueConstraint("person_id", "region_id"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    is_lead: bool = True


class OfstedJudgement(SQLModel, table=True):
    """One ILACS judgement: overall effectiveness plus the four sub-judgements."""

    __table_args__ = (UniqueConstraint("council_id", "inspection_date", "inspection_type"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int = Field(foreign_key="council.id", index=True)
    inspection_type: str = Field(default="ILACS Standard Inspection", max_length=64)
    inspection_date: date
    publication_date: date | None = None
    overall: str = Field(max_length=40)
    leaders: str | None = Field(default=None, max_length=40)
    help_and_protection: str | None = Field(default=None, max_length=40)
    children_in_care: str | None = Field(default=None, max_length=40)
    care_leavers: str | None = Field(default=None, max_length=40)
    source: str = Field(default="", max_length=128)


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


class Contact(SQLModel, table=True):
    """Who to ask about what (bulletin 7: bookings, training applications, general queries)."""

    __table_args__ = (UniqueConstraint("topic", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    topic: str = Field(index=True, max_length=64)
    person_id: int = Field(foreign_key="person.id", index=True)
    note: str = Field(default="", max_length=500)


class SeedState(SQLModel, table=True):
    """Which version of the bundled data the database holds (a hash of the files), so a release
    that updates the data refreshes it on the next start without a manual `python -m bot seed`."""

    id: int | None = Field(default=None, primary_key=True)
    data_hash: str = Field(max_length=64)
    loaded_at: datetime = Field(default_factory=utc_now)
