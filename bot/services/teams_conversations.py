"""Stored Teams conversation references: remember, look up, forget.

The Teams adapter hands over plain dicts (the SDK's ConversationReference dumped to JSON), so this
service stays free of any platform SDK; the sender turns them back into SDK objects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import select

from storage.db import Database
from storage.tables import TeamsConversationRef, utc_now


@dataclass(frozen=True)
class StoredConversation:
    conversation_id: str
    conversation_type: str
    tenant_id: str
    service_url: str
    name: str
    reference: dict[str, Any]
    source: str
    active: bool


def _value(row: TeamsConversationRef) -> StoredConversation:
    return StoredConversation(
        conversation_id=row.conversation_id,
        conversation_type=row.conversation_type,
        tenant_id=row.tenant_id,
        service_url=row.service_url,
        name=row.name,
        reference=json.loads(row.reference),
        source=row.source,
        active=row.active,
    )


class TeamsConversations:
    def __init__(self, db: Database) -> None:
        self.db = db

    def remember(
        self,
        conversation_id: str,
        reference: dict[str, Any],
        *,
        service_url: str,
        conversation_type: str = "",
        tenant_id: str = "",
        bot_id: str = "",
        name: str = "",
        source: str = "message",
    ) -> bool:
        """Store or refresh the reference; True when the conversation was not known (or inactive) before.

        An upsert, because Teams sends installationUpdate and conversationUpdate for one install at
        the same moment: the first insert wins, the other turn finds the row and refreshes it
        instead of failing on the primary key (which used to lose the welcome)."""
        payload = json.dumps(reference, sort_keys=True, ensure_ascii=False)
        now = utc_now()
        with self.db.session() as session:
            insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
            statement = (
                insert(TeamsConversationRef)
                .values(
                    conversation_id=conversation_id, conversation_type=conversation_type,
                    tenant_id=tenant_id, service_url=service_url, bot_id=bot_id, name=name,
                    reference=payload, source=source, active=True, created_at=now, updated_at=now,
                )
                .on_conflict_do_nothing(index_elements=["conversation_id"])
                .returning(TeamsConversationRef.__table__.c.conversation_id)  # type: ignore[attr-defined]
            )
            if session.connection().execute(statement).first() is not None:
                return True
            row = session.get(TeamsConversationRef, conversation_id)
            if row is None:  # removed between the two statements: nothing left to refresh
                return False
            was_inactive = not row.active
            if (row.reference, row.service_url, row.active) == (payload, service_url, True) and (
                not name or name == row.name
            ):
                return False  # unchanged: skip the write on every message
            row.reference, row.service_url, row.active = payload, service_url, True
            row.conversation_type = conversation_type or row.conversation_type
            row.tenant_id = tenant_id or row.tenant_id
            row.bot_id = bot_id or row.bot_id
            row.name = name or row.name
            row.source = source
            row.updated_at = now
            session.add(row)
            return was_inactive

    def get(self, conversation_id: str) -> StoredConversation | None:
        with self.db.session() as session:
            row = session.get(TeamsConversationRef, conversation_id)
            return _value(row) if row is not None else None

    def deactivate(self, conversation_id: str) -> bool:
        """The bot was removed or uninstalled: stop sending there. True if it was active."""
        with self.db.session() as session:
            row = session.get(TeamsConversationRef, conversation_id)
            if row is None or not row.active:
                return False
            row.active = False
            row.updated_at = utc_now()
            session.add(row)
            return True

    def all(self, *, active_only: bool = True) -> list[StoredConversation]:
        with self.db.session() as session:
            query = select(TeamsConversationRef).order_by(TeamsConversationRef.conversation_id)
            if active_only:
                query = query.where(TeamsConversationRef.active == True)  # noqa: E712
            return [_value(row) for row in session.exec(query)]
