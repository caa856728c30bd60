"""conversation context: what each person's conversation was last about, shared by every process

Revision ID: 0010_conversation_context
Revises: 0009_seed_state
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010_conversation_context"
down_revision: str | None = "0009_seed_state"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conversation_context",
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("conversation", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("thread", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "conversation", "thread", "user_id"),
    )
    with op.batch_alter_table("conversation_context", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversation_context_updated_at"), ["updated_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("conversation_context", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_context_updated_at"))
    op.drop_table("conversation_context")
