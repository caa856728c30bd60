"""People in professional roles, the regions brokers cover, and who to ask about what.

A person's chat identities (Slack and Teams user ids) and access level live on `Person`:
linking a chat user to a roster person is what lets them write."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.tables.timestamps import utc_now


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
    teams_tenant_id: str | None = Field(default=None, max_length=64)  # the Microsoft 365 tenant of that id
    access: str = Field(default="viewer", max_length=16)  # admin | broker | viewer
    council_id: int | None = Field(default=None, foreign_key="council.id")
    starts_on: date | None = None  # e.g. Howard Cooper "joining in January"
    # Where the entry comes from ("bulletin 7" published 4 November 2011); changes after that are
    # in the audit trail. Relative notes in `title` ("joining in January") read against source_date.
    source: str = Field(default="", max_length=128)
    source_date: date | None = None

    @staticmethod
    def account_id_column(platform: str) -> Any:
        """The column holding this platform's account id ("slack"; anything else is Teams)."""
        return Person.slack_user_id if platform == "slack" else Person.teams_user_id

    def account_id(self, platform: str) -> str | None:
        """The person's Slack or Teams account id (None: not linked there)."""
        return self.slack_user_id if platform == "slack" else self.teams_user_id

    def set_account_id(self, platform: str, user_id: str | None, tenant: str | None = None) -> None:
        """Tie the person to a Slack or Teams account, or untie them with None; a Teams id keeps
        the Microsoft 365 tenant it belongs to."""
        if platform == "slack":
            self.slack_user_id = user_id
        else:
            self.teams_user_id = user_id
            self.teams_tenant_id = (tenant or None) if user_id else None


class BrokerAssignment(SQLModel, table=True):
    """A broker covering a region (one broker may cover several regions)."""

    __table_args__ = (UniqueConstraint("person_id", "region_id"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    is_lead: bool = True


class Contact(SQLModel, table=True):
    """Who to ask about what (bulletin 7: bookings, training applications, general queries)."""

    __table_args__ = (UniqueConstraint("topic", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    topic: str = Field(index=True, max_length=64)
    person_id: int = Field(foreign_key="person.id", index=True)
    note: str = Field(default="", max_length=500)
    source: str = Field(default="", max_length=128)
    source_date: date | None = None


class ChatIdentityCheck(SQLModel, table=True):
    """What the bot last found out about an unlinked chat user's verified email, so it asks the
    platform at most once in a while (never on every message), and the one-time "you are linked"
    notice waiting for their next reply.

    outcome: linked | no_match | no_email | failed | unlinked (an admin unlinked them: never
    relinked by email until an admin links them again)."""

    __table_args__ = (UniqueConstraint("platform", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    user_id: str = Field(max_length=128)
    workspace: str = Field(default="", max_length=64)
    email: str = Field(default="", max_length=256)
    outcome: str = Field(max_length=16)
    checked_at: datetime = Field(default_factory=utc_now)
    notice: str = Field(default="", max_length=500)
