"""scheduler: subscriptions, outbox, reminder series, digest records

Revision ID: 0006_scheduler
Revises: 0001
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006_scheduler"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", S(length=16), nullable=False),
        sa.Column("destination", S(length=200), nullable=False),
        sa.Column("scope", S(length=16), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("created_by", S(length=128), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("checked_until", T(), nullable=True),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "destination", "scope"),
    )
    op.create_index("ix_subscription_destination", "subscription", ["destination"], unique=False)
    op.create_index("ix_subscription_region_id", "subscription", ["region_id"], unique=False)

    op.create_table(
        "outboxitem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", S(length=400), nullable=False),
        sa.Column("platform", S(length=16), nullable=False),
        sa.Column("destination", S(length=200), nullable=False),
        sa.Column("scope", S(length=16), nullable=False),
        sa.Column("kind", S(length=32), nullable=False),
        sa.Column("subject", S(length=200), nullable=False),
        sa.Column("series_key", S(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("due_at", T(), nullable=False),
        sa.Column("payload", S(), nullable=False),
        sa.Column("status", S(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", T(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("claimed_by", S(length=64), nullable=True),
        sa.Column("claimed_until", T(), nullable=True),
        sa.Column("sent_at", T(), nullable=True),
        sa.Column("message_id", S(length=128), nullable=True),
        sa.Column("last_error", S(length=1000), nullable=True),
        sa.Column("created_at", T(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_outboxitem_kind", "outboxitem", ["kind"], unique=False)
    op.create_index("ix_outboxitem_series_key", "outboxitem", ["series_key"], unique=False)
    op.create_index("ix_outboxitem_due_date", "outboxitem", ["due_date"], unique=False)
    op.create_index("ix_outboxitem_status_next", "outboxitem", ["status", "next_attempt_at"], unique=False)

    op.create_table(
        "reminderseries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series_key", S(length=200), nullable=False),
        sa.Column("acknowledged_at", T(), nullable=True),
        sa.Column("acknowledged_by", S(length=128), nullable=True),
        sa.Column("snoozed_at", sa.Date(), nullable=True),
        sa.Column("snoozed_until", sa.Date(), nullable=True),
        sa.Column("snoozed_by", S(length=128), nullable=True),
        sa.Column("updated_at", T(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("series_key"),
    )

    op.create_table(
        "digestrecord",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("covers_from", sa.Date(), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subscription_id", "due_date"),
    )
    op.create_index("ix_digestrecord_subscription_id", "digestrecord", ["subscription_id"], unique=False)


def downgrade() -> None:
    op.drop_table("digestrecord")
    op.drop_table("reminderseries")
    op.drop_table("outboxitem")
    op.drop_table("subscription")
