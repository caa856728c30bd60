"""The timestamp default the tables share: timezone-aware UTC, so SQLite and PostgreSQL
store the same instant."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)
