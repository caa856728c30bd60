"""What the previous turn was about, per conversation, so follow-ups can lean on it.

Keyed by (platform, conversation, thread or None, user): two people in one channel, or one person
in two threads, never share context. Held in memory only, in a bounded LRU with a 30-minute expiry:
contexts do not survive a restart (a follow-up after a restart is answered as a fresh question).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from threading import Lock

from bot.core.message import Message

ContextKey = tuple[str, str, str | None, str]

DEFAULT_TTL_SECONDS = 30 * 60
DEFAULT_MAX_CONTEXTS = 5000


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


@dataclass
class Context:
    last: Turn | None = None
    home_council_id: int | None = None  # "my council", as told in this conversation
    home_region_id: int | None = None
    pending: Turn | None = None  # a question waiting for "which council or region are you with?"
    touched: float = field(default=0.0)


def context_key(message: Message) -> ContextKey:
    return (message.user.platform, message.conversation, message.thread, message.user.id)


class ContextStore:
    """A thread-safe LRU of contexts that expire after `ttl` seconds without use."""

    def __init__(
        self,
        ttl: float = DEFAULT_TTL_SECONDS,
        max_size: int = DEFAULT_MAX_CONTEXTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_size = max_size
        self.clock = clock
        self._items: OrderedDict[ContextKey, Context] = OrderedDict()
        self._lock = Lock()

    def get(self, key: ContextKey) -> Context:
        """The live context for `key` (a fresh one if none or expired); marks it recently used."""
        now = self.clock()
        with self._lock:
            context = self._items.get(key)
            if context is None or now - context.touched > self.ttl:
                context = Context()
            context.touched = now
            self._items[key] = context
            self._items.move_to_end(key)
            while len(self._items) > self.max_size:
                self._items.popitem(last=False)
            return context

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
