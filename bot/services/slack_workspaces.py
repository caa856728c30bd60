"""Which Slack workspace a subscribed channel belongs to, and what uninstalling the app from a
workspace does to its subscriptions.

With Slack's OAuth flow the bot serves many workspaces, each with its own bot token; a
subscription records the workspace it was made in (the team id, "" for the single
SLACK_BOT_TOKEN workspace), so a scheduled post is sent with that workspace's token.

When a workspace uninstalls the app (or revokes its bot token) its subscriptions are removed,
not paused: the bot can no longer post there, and a reinstall is a fresh start in which a channel
subscribes again. Their pending notifications are cancelled with the reason recorded on each row.
Both are in the audit trail, by "Slack (workspace uninstalled)".
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from bot.services.actors import VIEWER, Actor
from bot.services.audit import AuditTrail, snapshot
from bot.services.scheduling.cancellation import cancel_pending
from storage.db import Database
from storage.tables import OutboxItem, Subscription

PLATFORM = "slack"
UNINSTALLED_BY = Actor(platform=PLATFORM, user_id="", name="Slack (workspace uninstalled)", access=VIEWER)


@dataclass(frozen=True)
class WorkspaceRemoved:
    """What uninstalling the app from one workspace removed."""

    workspace: str
    subscriptions: int
    cancelled: int


class SlackWorkspaces:
    def __init__(self, db: Database) -> None:
        self.db = db

    def workspace_of(self, channel: str) -> str:
        """The workspace whose token posts to a subscribed Slack channel ("" when the channel was
        subscribed in single-token mode, or is not subscribed)."""
        with self.db.session() as session:
            found = session.exec(
                select(Subscription.workspace)
                .where(Subscription.platform == PLATFORM, Subscription.destination == channel)
                .where(Subscription.workspace != "")
            ).first()
        return found or ""

    def uninstalled(self, workspace: str) -> WorkspaceRemoved:
        """Remove the workspace's subscriptions and cancel their pending notifications."""
        if not workspace:
            raise ValueError("an uninstalled workspace has a team id")
        with self.db.session() as session:
            rows = session.exec(
                select(Subscription).where(Subscription.platform == PLATFORM, Subscription.workspace == workspace)
            ).all()
            batch = AuditTrail.new_batch()
            summary = f"Slack workspace {workspace} uninstalled the app: its subscriptions removed"
            cancelled = 0
            for row in rows:
                subject_key = f"{PLATFORM}:{row.destination}"
                AuditTrail.record(
                    session, UNINSTALLED_BY, batch=batch, action="digest.unsubscribe", subject_type="subscription",
                    subject_key=subject_key, summary=summary, row=row, before=snapshot(row), deleted=True,
                )
                session.delete(row)
                cancelled += cancel_pending(
                    session, UNINSTALLED_BY, batch=batch, action="digest.unsubscribe", subject_type="subscription",
                    subject_key=subject_key, summary=summary, reason="Slack workspace uninstalled the app",
                    where=[col(OutboxItem.platform) == PLATFORM, col(OutboxItem.destination) == row.destination,
                           col(OutboxItem.scope) == row.scope],
                )
        return WorkspaceRemoved(workspace, len(rows), cancelled)
