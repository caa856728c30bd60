"""What the chat adapters must remember across restarts.

Slack redelivers an Events API event (with `X-Slack-Retry-Num`) when it did not see our 200 in
time, and can deliver the same event twice: claiming the `event_id` in the database means a
restart between two deliveries still answers the event once.

Teams (the Bot Connector) only lets a bot post into a conversation it has been told about: the
reference (service URL, conversation id, tenant, bot account) arrives with the install event
and with every message. The newest one per conversation is kept so digests and reminders reach
a Teams channel, group chat or personal chat after a restart."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Column, Field, SQLModel

from storage.tables.timestamps import utc_now


class SlackProcessedEvent(SQLModel, table=True):
    """One Events API `event_id` that has been claimed for processing (primary key = dedup key)."""

    __tablename__ = "slack_processed_event"

    event_id: str = Field(primary_key=True, max_length=64)
    event_type: str = Field(default="", max_length=64)
    team_id: str = Field(default="", max_length=32)
    retry_num: int = 0
    received_at: datetime = Field(default_factory=utc_now, index=True)


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
