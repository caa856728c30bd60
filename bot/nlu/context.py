"""What the previous turn was about, per conversation, so follow-ups can lean on it.

Keyed by (platform, conversation, thread or None, user): two people in one channel, or one person
in two threads, never share context. Stored in the database through the conversation-context
service, so a follow-up works after a restart and whichever server process answers it; a context
idle for 30 minutes is gone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from bot.core.message import Message
from bot.services.conversations import ContextKey, ConversationContexts


@dataclass
class Turn:
    """The slots of the last answered question."""

    intent: str
    council_id: int | None = None
    region_id: int | None = None
    person_id: int | None = None
    grade: str | None = None
    sub_judgement: str | None = None
    aspect: str | None = None
    topic: str | None = None
    days: int | None = None


TURN_FIELDS = frozenset(f.name for f in fields(Turn))


@dataclass
class Context:
    last: Turn | None = None
    home_council_id: int | None = None  # "my council", as told in this conversation
    home_region_id: int | None = None
    pending: Turn | None = None  # a question waiting for "which council or region are you with?"

    def to_state(self) -> dict[str, Any]:
        return {"last": asdict(self.last) if self.last else None, "home_council_id": self.home_council_id,
                "home_region_id": self.home_region_id, "pending": asdict(self.pending) if self.pending else None}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Context:
        """A context from a stored state; anything unreadable (an older shape) starts afresh."""
        try:
            return cls(last=_turn(state.get("last")), home_council_id=state.get("home_council_id"),
                       home_region_id=state.get("home_region_id"), pending=_turn(state.get("pending")))
        except (TypeError, ValueError):
            return cls()


def _turn(value: Any) -> Turn | None:
    if not isinstance(value, dict):
        return None
    return Turn(**{k: v for k, v in value.items() if k in TURN_FIELDS})


def context_key(message: Message) -> ContextKey:
    return (message.user.platform, message.conversation, message.thread, message.user.id)


class ContextStore:
    """Contexts by key, read from and written back to the database."""

    def __init__(self, contexts: ConversationContexts) -> None:
        self.contexts = contexts

    def get(self, key: ContextKey) -> Context:
        """The live context for `key`: a fresh one if none was saved or it expired."""
        state = self.contexts.load(key)
        return Context.from_state(state) if state is not None else Context()

    def put(self, key: ContextKey, context: Context) -> None:
        """Save the context and mark the conversation used now."""
        self.contexts.save(key, context.to_state())
