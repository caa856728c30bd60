"""Conversation context in the database: what each person's conversation was last about.

Kept in a table, not in process memory, so a follow-up ("who's their broker?") is understood
after a restart and whichever of several server processes answers it. Keyed by platform,
conversation, thread and user: two people in one channel, or one person in two threads, never
share context. A context idle for longer than `ttl` is treated as absent (and pruned now and then).
The state itself is an opaque JSON object owned by the NL engine.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from sqlalchemy import bindparam, select, text
from sqlmodel import col, delete

from storage.db import Database
from storage.tables import ConversationContext, utc_now

ContextKey = tuple[str, str, str | None, str]  # platform, conversation, thread (None outside one), user

DEFAULT_TTL = timedelta(minutes=30)
PRUNE_EVERY = 500  # saves between two deletions of expired rows


_TABLE = ConversationContext.__table__  # type: ignore[attr-defined]
_KEY_COLUMNS = ("platform", "conversation", "thread", "user_id")
# Built once: a statement made afresh on every message costs more to key and compile than to run.
_LOAD = select(_TABLE.c.state, _TABLE.c.updated_at).where(*(_TABLE.c[name] == bindparam(name) for name in _KEY_COLUMNS))


# An upsert: two processes answering the same conversation at once both succeed, the later wins.
# As text (the same on SQLite and PostgreSQL) because SQLAlchemy does not cache the compiled form
# of its dialects' ON CONFLICT constructs, and compiling it anew on every message is the costliest
# part of saving.
_SAVE = text(
    f"INSERT INTO {_TABLE.name} ({', '.join(_KEY_COLUMNS)}, state, updated_at) "
    f"VALUES ({', '.join(':' + name for name in _KEY_COLUMNS)}, :state, :updated_at) "
    f"ON CONFLICT ({', '.join(_KEY_COLUMNS)}) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at"
).bindparams(bindparam("updated_at", type_=_TABLE.c.updated_at.type))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class ConversationContexts:
    """Load and save one conversation's context; see the module docstring."""

    def __init__(self, db: Database, ttl: timedelta = DEFAULT_TTL,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.db = db
        self.ttl = ttl
        self.clock = clock
        self._saves = count(1)

    @staticmethod
    def _columns(key: ContextKey) -> dict[str, str]:
        platform, conversation, thread, user = key
        return {"platform": platform[:32], "conversation": conversation[:200], "thread": (thread or "")[:200],
                "user_id": user[:200]}

    def load(self, key: ContextKey) -> dict[str, Any] | None:
        """The saved state, or None when there is none or it has been idle longer than the expiry."""
        # One indexed read on every message, a statement built once (no ORM objects); through the
        # unit of work's own session (its own connection would wait on the unit's SQLite write lock).
        with self.db.joined() as session:
            row = session.connection().execute(_LOAD, self._columns(key)).first()
        if row is None or self.clock() - _aware(row.updated_at) > self.ttl:
            return None
        state = json.loads(row.state)
        return state if isinstance(state, dict) else None

    def save(self, key: ContextKey, state: dict[str, Any]) -> None:
        """Store the state and mark the conversation used now (an upsert: two processes answering
        the same conversation at once both succeed, the later write wins)."""
        values = {**self._columns(key), "state": json.dumps(state, sort_keys=True), "updated_at": self.clock()}
        with self.db.joined() as session:  # one statement: no savepoint needed around it
            session.connection().execute(_SAVE, values)
        if next(self._saves) % PRUNE_EVERY == 0:
            self.prune()

    def forget(self, key: ContextKey) -> None:
        columns = self._columns(key)
        with self.db.session() as session:
            row = session.get(ConversationContext, tuple(columns.values()))
            if row is not None:
                session.delete(row)

    def prune(self) -> int:
        """Delete contexts idle longer than the expiry; returns how many."""
        cutoff = self.clock() - self.ttl
        with self.db.session() as session:
            result = session.exec(delete(ConversationContext).where(col(ConversationContext.updated_at) < cutoff))
            return int(result.rowcount or 0)
