"""outbox instant text: on SQLite, instants the scheduler wrote through the driver's own
executemany were stored as sqlite3 writes them ("2026-11-30 12:00:00+00:00"), not as SQLAlchemy
does ("2026-11-30 12:00:00.000000"); SQLite compares them as text, so the two forms of one instant
sorted apart. They are rewritten in SQLAlchemy's form. Every such value is UTC, so the offset is
always "+00:00". PostgreSQL stores timestamptz and needs nothing.

Revision ID: 0018_outbox_instant_text
Revises: 0017_slack_installations
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_outbox_instant_text"
down_revision: str | None = "0017_slack_installations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INSTANTS = {
    "outboxitem": ("due_at", "next_attempt_at", "created_at", "claimed_until", "sent_at"),
    "digestrecord": ("created_at",),
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, columns in INSTANTS.items():
        for column in columns:
            # "YYYY-MM-DD HH:MM:SS+00:00" (25 characters) gains ".000000"; with microseconds
            # (32 characters) only the offset goes.
            op.execute(sa.text(
                f"UPDATE {table} SET {column} = CASE WHEN length({column}) = 25 "
                f"THEN substr({column}, 1, 19) || '.000000' ELSE substr({column}, 1, 26) END "
                f"WHERE {column} LIKE '%+00:00'"
            ))


def downgrade() -> None:
    """Nothing to undo: the rewritten text is what SQLAlchemy itself writes."""
