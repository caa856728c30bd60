"""scheduler indexes: a partial index of pending outbox rows in the order they are claimed,
replacing the (status, next_attempt_at) index; the unused index on kind goes (each index costs
every row a pass marks sent)

Revision ID: 0015_scheduler_indexes
Revises: 0014_reference_version
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_scheduler_indexes"
down_revision: str | None = "0014_reference_version"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    with op.batch_alter_table("outboxitem", schema=None) as batch_op:
        batch_op.drop_index("ix_outboxitem_status_next")
        batch_op.drop_index("ix_outboxitem_kind")
        batch_op.create_index(
            "ix_outboxitem_pending_due", ["due_at", "id"], unique=False, sqlite_where=PENDING,
            postgresql_where=PENDING,
        )


def downgrade() -> None:
    with op.batch_alter_table("outboxitem", schema=None) as batch_op:
        batch_op.drop_index("ix_outboxitem_pending_due")
        batch_op.create_index("ix_outboxitem_kind", ["kind"], unique=False)
        batch_op.create_index("ix_outboxitem_status_next", ["status", "next_attempt_at"], unique=False)
