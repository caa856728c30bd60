"""outbox pacing: when each channel may next be posted to, shared by every delivering process

Revision ID: 0013_outbox_pacing
Revises: 0012_inbox
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013_outbox_pacing"
down_revision: str | None = "0012_inbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "channelpacing",
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=240), nullable=False),
        sa.Column("next_free_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("channel"),
    )


def downgrade() -> None:
    op.drop_table("channelpacing")
