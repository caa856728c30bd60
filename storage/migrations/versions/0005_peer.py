"""peer reviews, review teams, review-team training, peer challenge

Revision ID: 0005_peer
Revises: 0001
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005_peer"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "peerreview",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("status", S(length=16), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("cancelled_on", sa.Date(), nullable=True),
        sa.Column("note", S(length=500), nullable=False),
        sa.Column("booked_by", S(length=128), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["council_id"], ["council.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("council_id", "start_date", "status"):
        op.create_index(f"ix_peerreview_{column}", "peerreview", [column], unique=False)

    op.create_table(
        "peerreviewteammember",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("name", S(length=128), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["review_id"], ["peerreview.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("review_id", "name"),
    )
    op.create_index("ix_peerreviewteammember_review_id", "peerreviewteammember", ["review_id"], unique=False)

    op.create_table(
        "reviewtrainingevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("venue", S(length=200), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("created_by", S(length=128), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_reviewtrainingevent_event_date", "reviewtrainingevent", ["event_date"], unique=False)

    op.create_table(
        "reviewtrainingplace",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", S(length=128), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["reviewtrainingevent.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "name"),
    )
    op.create_index("ix_reviewtrainingplace_event_id", "reviewtrainingplace", ["event_id"], unique=False)

    op.create_table(
        "peerchallengelog",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("giver_id", sa.Integer(), nullable=False),
        sa.Column("receiver_id", sa.Integer(), nullable=False),
        sa.Column("days_x100", sa.Integer(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("note", S(length=500), nullable=False),
        sa.Column("logged_by", S(length=128), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["giver_id"], ["council.id"]),
        sa.ForeignKeyConstraint(["receiver_id"], ["council.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("giver_id", "receiver_id", "given_on"):
        op.create_index(f"ix_peerchallengelog_{column}", "peerchallengelog", [column], unique=False)


def downgrade() -> None:
    op.drop_table("peerchallengelog")
    op.drop_table("reviewtrainingplace")
    op.drop_table("reviewtrainingevent")
    op.drop_table("peerreviewteammember")
    op.drop_table("peerreview")
