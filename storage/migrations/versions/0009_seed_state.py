"""seed state: which version of the bundled data is loaded

Revision ID: 0009_seed_state
Revises: 0008_merge_features
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009_seed_state"
down_revision: str | None = "0008_merge_features"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seedstate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("data_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("loaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("seedstate")
