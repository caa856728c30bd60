"""inspection history since 2009: judgement frameworks, Ofsted visits, interventions from documents

Revision ID: 0011_inspection_history
Revises: 0010_conversation_context
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011_inspection_history"
down_revision: str | None = "0010_conversation_context"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("ofstedjudgement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("framework", S(length=40), nullable=False, server_default="ILACS"))
        batch_op.alter_column("inspection_date", existing_type=sa.Date(), nullable=True)
        batch_op.create_index(batch_op.f("ix_ofstedjudgement_framework"), ["framework"], unique=False)
    with op.batch_alter_table("ofstedjudgement", schema=None) as batch_op:
        batch_op.alter_column("framework", existing_type=S(length=40), server_default=None)

    op.create_table(
        "ofstedvisit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("visit_type", S(length=64), nullable=False),
        sa.Column("visit_date", sa.Date(), nullable=False),
        sa.Column("publication_date", sa.Date(), nullable=True),
        sa.Column("theme", S(length=200), nullable=False),
        sa.ForeignKeyConstraint(["council_id"], ["council.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("council_id", "visit_date", "visit_type"),
    )
    op.create_index("ix_ofstedvisit_council_id", "ofstedvisit", ["council_id"], unique=False)

    op.create_table(
        "reportedintervention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("kind", S(length=32), nullable=False),
        sa.Column("month", sa.Date(), nullable=True),
        sa.Column("when_text", S(length=64), nullable=False),
        sa.Column("summary", S(length=300), nullable=False),
        sa.Column("source", S(length=200), nullable=False),
        sa.Column("source_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["council_id"], ["council.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("council_id", "kind"),
    )
    op.create_index("ix_reportedintervention_council_id", "reportedintervention", ["council_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_reportedintervention_council_id", table_name="reportedintervention")
    op.drop_table("reportedintervention")
    op.drop_index("ix_ofstedvisit_council_id", table_name="ofstedvisit")
    op.drop_table("ofstedvisit")
    op.execute("DELETE FROM ofstedjudgement WHERE inspection_date IS NULL")
    with op.batch_alter_table("ofstedjudgement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ofstedjudgement_framework"))
        batch_op.alter_column("inspection_date", existing_type=sa.Date(), nullable=False)
        batch_op.drop_column("framework")
