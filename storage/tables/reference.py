"""Reference data: regions, councils, their other names and reorganisations, Ofsted judgements,
and which version of the bundled data the database holds.

No child-level personal data is ever stored: only councils, people in professional roles,
dates and statuses."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.tables.timestamps import utc_now


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


ILACS = "ILACS"  # the framework of every judgement since 2018; earlier ones are named in storage.earlier_inspections


class OfstedJudgement(SQLModel, table=True):
    """One Ofsted judgement: overall effectiveness plus the sub-judgements the framework had.

    `framework` says which inspection regime gave it: ILACS (2018 on, the judgement that drives the
    intervention ladder) or an earlier one from `la_inspections_2009-2023.csv` (safeguarding and
    looked after children 2009-12, child protection, the single inspection framework 2013-18).
    The earlier sheet gives publication dates only, so their `inspection_date` is empty."""

    __table_args__ = (UniqueConstraint("council_id", "inspection_date", "inspection_type"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int = Field(foreign_key="council.id", index=True)
    framework: str = Field(default=ILACS, max_length=40, index=True)
    inspection_type: str = Field(default="ILACS Standard Inspection", max_length=64)
    inspection_date: date | None = None
    publication_date: date | None = None
    overall: str = Field(max_length=40)
    leaders: str | None = Field(default=None, max_length=40)
    help_and_protection: str | None = Field(default=None, max_length=40)
    children_in_care: str | None = Field(default=None, max_length=40)
    care_leavers: str | None = Field(default=None, max_length=40)
    source: str = Field(default="", max_length=128)


class SeedState(SQLModel, table=True):
    """Which version of the bundled data the database holds (a hash of the files), so a release
    that updates the data refreshes it on the next start without a manual `python -m bot seed`."""

    id: int | None = Field(default=None, primary_key=True)
    data_hash: str = Field(max_length=64)
    loaded_at: datetime = Field(default_factory=utc_now)


class OfstedVisit(SQLModel, table=True):
    """An ILACS focused or monitoring visit (2024-25 in-year activity): dated, with its theme,
    and no judgement."""

    __table_args__ = (UniqueConstraint("council_id", "visit_date", "visit_type"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int = Field(foreign_key="council.id", index=True)
    visit_type: str = Field(max_length=64)
    visit_date: date
    publication_date: date | None = None
    theme: str = Field(default="", max_length=200)


class ReportedIntervention(SQLModel, table=True):
    """A past government intervention named in a source document (a commissioner appointed, a
    children's services trust started or planned). History only: the intervention ladder's own
    records are `InterventionEvent`, so these never open an escalation or a reminder."""

    __table_args__ = (UniqueConstraint("council_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    council_id: int = Field(foreign_key="council.id", index=True)
    kind: str = Field(max_length=32)  # commissioner | trust | trust_planned
    month: date | None = None  # the first day of the month the document gives, if it gives one
    when_text: str = Field(default="", max_length=64)  # as the document dates it: "March 2014"
    summary: str = Field(max_length=300)
    source: str = Field(max_length=200)  # short citation
    source_date: date


class ReferenceVersion(SQLModel, table=True):
    """One row: the version of the reference data (the tables in `storage.reference_version.WATCHED`).

    Every transaction that writes one of those tables raises it in the same transaction (an engine
    hook does it, so no write can forget), and every process holding the reference data in memory
    compares it with one query per answer: a committed change is seen by all of them, and a
    rolled-back one by none."""

    __tablename__ = "reference_version"

    id: int = Field(default=1, primary_key=True)
    version: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0"))
