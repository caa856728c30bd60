"""teams: stored conversation references for proactive messages

Revision ID: 0007_teams
Revises: 0001
Create Date: 2026-11-24 08:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0007_teams'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('teams_conversation_ref',
    sa.Column('conversation_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('conversation_type', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('tenant_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('service_url', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('bot_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('reference', sa.Text(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('conversation_id')
    )
    with op.batch_alter_table('teams_conversation_ref', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_teams_conversation_ref_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_teams_conversation_ref_updated_at'), ['updated_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('teams_conversation_ref', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_teams_conversation_ref_updated_at'))
        batch_op.drop_index(batch_op.f('ix_teams_conversation_ref_tenant_id'))
    op.drop_table('teams_conversation_ref')
