"""The audit trail: every write records who, when, through which platform, and before/after."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.tables.timestamps import utc_now


class AuditEntry(SQLModel, table=True):
    """One changed row. Entries written by one command share a `batch` so `/undo` reverts them
    together; `table_name`/`row_id` plus the before/after JSON are enough to revert any row."""

    id: int | None = Field(default=None, primary_key=True)
    batch: str = Field(index=True, max_length=36)
    at: datetime = Field(default_factory=utc_now, index=True)
    actor_platform: str = Field(max_length=16)
    actor_id: str = Field(index=True, max_length=128)
    actor_name: str = Field(default="", max_length=128)
    action: str = Field(max_length=64)  # e.g. "signup.update", "escalation.add"
    subject_type: str = Field(index=True, max_length=32)  # "council" | "region" | ...
    subject_key: str = Field(index=True, max_length=128)  # council ONS code, region code, ...
    summary: str = Field(default="", max_length=500)
    table_name: str = Field(max_length=64)
    row_id: int
    before_json: str | None = None  # None: the write inserted the row
    after_json: str | None = None  # None: the write deleted the row
    undone_at: datetime | None = None
    undone_by: str | None = Field(default=None, max_length=128)
