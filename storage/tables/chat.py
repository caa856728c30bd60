"""What the chat adapters must remember across restarts.

Slack's slash commands, button presses and events are written to the inbox before Slack gets
its 200, and worked from there: a request acknowledged just before a crash is still answered
after the restart, and a redelivery (Slack's retry of an event, or a replayed signed request)
finds its row by `request_key` instead of running twice.

Teams (the Bot Connector) only lets a bot post into a conversation it has been told about: the
reference (service URL, conversation id, tenant, bot account) arrives with the install event
and with every message. The newest one per conversation is kept so digests and reminders reach
a Teams channel, group chat or personal chat after a restart."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Column, Field, SQLModel

from storage.tables.timestamps import utc_now


class SlackInboxItem(SQLModel, table=True):
    """One acknowledged Slack request and how far its work has got.

    status: `pending` (acknowledged, not started) -> `running` (claimed until `lease_until` by
    `claimed_by`) -> `answering` (the work committed, its reply in `reply` not yet sent) ->
    `done`. A `running` or `answering` row whose lease has passed belongs to a process that
    died: any worker may claim it again."""

    __tablename__ = "slack_inbox"

    id: int | None = Field(default=None, primary_key=True)
    # event_id for events, trigger_id for commands and buttons, else a hash of the signed body.
    request_key: str = Field(max_length=200, unique=True)
    kind: str = Field(max_length=16)  # command | action | event
    payload: str = Field(sa_column=Column(Text, nullable=False))  # the request body as JSON
    status: str = Field(default="pending", max_length=16, index=True)
    attempts: int = 0
    claimed_by: str = Field(default="", max_length=64)
    lease_until: datetime | None = None
    reply: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))  # reply_codec JSON
    deliveries: int = 1  # how many times Slack (or a replay) delivered it
    received_at: datetime = Field(default_factory=utc_now, index=True)
    finished_at: datetime | None = None


class TeamsConversationRef(SQLModel, table=True):
    """The newest Bot Framework ConversationReference for one Teams conversation."""

    __tablename__ = "teams_conversation_ref"

    # Base conversation id (a channel's id without any ";messageid=" reply-chain suffix).
    conversation_id: str = Field(primary_key=True, max_length=200)
    conversation_type: str = Field(default="", max_length=32)  # personal | channel | groupChat
    tenant_id: str = Field(default="", max_length=64, index=True)
    service_url: str = Field(max_length=300)
    bot_id: str = Field(default="", max_length=200)
    name: str = Field(default="", max_length=200)  # channel / team / chat name when Teams sends it
    reference: str = Field(sa_column=Column(Text, nullable=False))  # ConversationReference JSON
    source: str = Field(default="message", max_length=32)  # install | message | ...
    active: bool = True  # False once the bot is removed or the app uninstalled
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now, index=True)


class ConversationContext(SQLModel, table=True):
    """What one person's conversation (in one channel or chat, in one thread) was last about, so a
    follow-up ("who's their broker?") can lean on it whichever server process answers, and after a
    restart. Rows idle for longer than the engine's expiry are treated as absent and pruned."""

    __tablename__ = "conversation_context"

    platform: str = Field(primary_key=True, max_length=32)
    conversation: str = Field(primary_key=True, max_length=200)
    thread: str = Field(primary_key=True, max_length=200, default="")  # "" outside a thread
    user_id: str = Field(primary_key=True, max_length=200)
    state: str = Field(sa_column=Column(Text, nullable=False))  # the context as JSON
    updated_at: datetime = Field(default_factory=utc_now, index=True)
