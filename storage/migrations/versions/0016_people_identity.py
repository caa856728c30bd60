"""people identity: Teams tenant of a linked person, where roster entries come from, and what
the bot found out about unlinked chat users' emails

Revision ID: 0016_people_identity
Revises: 0015_scheduler_indexes
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0016_people_identity"
down_revision: str | None = "0015_scheduler_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("teams_tenant_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch.add_column(
            sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("source_date", sa.Date(), nullable=True))
    with op.batch_alter_table("contact") as batch:
        batch.add_column(
            sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("source_date", sa.Date(), nullable=True))
    op.create_table(
        "chatidentitycheck",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("workspace", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("checked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("notice", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("chatidentitycheck")
    with op.batch_alter_table("contact") as batch:
        batch.drop_column("source_date")
        batch.drop_column("source")
    with op.batch_alter_table("person") as batch:
        batch.drop_column("source_date")
        batch.drop_column("source")
        batch.drop_column("teams_tenant_id")
