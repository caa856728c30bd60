"""join the parallel migration branches into one head

The Slack, audit, workflow, peer-review, scheduler and Teams tables were each added by a
migration branching off 0001. This revision joins them so the next migration has a single
parent: write new migrations with `down_revision = "0008_merge_features"`.

Revision ID: 0008_merge_features
Revises: 0002_slack, 0003_audit, 0004_workflows, 0005_peer, 0006_scheduler, 0007_teams
"""
from collections.abc import Sequence

revision: str = "0008_merge_features"
down_revision: str | Sequence[str] | None = (
    "0002_slack",
    "0003_audit",
    "0004_workflows",
    "0005_peer",
    "0006_scheduler",
    "0007_teams",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
