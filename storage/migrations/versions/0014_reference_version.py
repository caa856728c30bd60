"""reference version: one row raised by every write to the reference tables, so each process can
tell with one query whether the reference data it holds in memory is still current

Revision ID: 0014_reference_version
Revises: 0013_outbox_pacing
"""
import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_reference_version"
down_revision: str | None = "0013_outbox_pacing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "reference_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # A random start, so a database dropped and made again under a running process never repeats
    # a version that process may hold data for.
    op.bulk_insert(table, [{"id": 1, "version": secrets.randbits(48)}])


def downgrade() -> None:
    op.drop_table("reference_version")
