"""Tables for the broker workflows (part A): the regional sign-up log.

Intervention-ladder events live in `storage.models.InterventionEvent` (the skeleton's table);
this module only adds what sign-up needs.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models import utc_now


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
