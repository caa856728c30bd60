"""Settled reminders replace every posted copy of their series, in every channel.

When someone presses Acknowledge or Snooze (or types `/reminder ack ...`), the answer is the
reminder with its buttons gone and who settled it when. The platform shows that answer in place of
the pressed message; this replaces the series' other copies too (Slack `chat.update`, Teams
`update_activity`), using the message ids the outbox recorded when it delivered them, so no
channel is left with live buttons on a reminder that is already dealt with.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot.core.message import Message
from bot.core.reply import Reply
from bot.scheduler.senders import MessageUpdater, Sender, SendError
from bot.services import Services

log = logging.getLogger(__name__)

SETTLED_INTENTS = frozenset({"reminder_ack", "reminder_snooze"})


@dataclass
class SeriesCopies:
    """Router hook: after a settled reminder answer, replace its series' posted copies."""

    services: Services
    senders: Callable[[], Mapping[str, Sender]]
    _built: Mapping[str, Sender] | None = field(default=None, init=False)

    def __call__(self, message: Message, reply: Reply) -> None:
        series = reply.entities.get("series")
        if reply.intent not in SETTLED_INTENTS or not isinstance(series, str):
            return
        self.replace_copies(series, reply)

    def replace_copies(self, series: str, reply: Reply) -> int:
        """Replace each delivered copy; returns how many were replaced. A copy that cannot be
        replaced (channel gone, bot removed) is logged and left, never failing the answer."""
        if self._built is None:
            self._built = self.senders()
        replaced = 0
        for copy in self.services.scheduling.series.posted_copies(series):
            sender = self._built.get(copy.platform)
            update = getattr(sender, "update", None)
            if sender is None or update is None:
                continue
            updater: MessageUpdater = sender  # type: ignore[assignment]
            try:
                updater.update(copy.destination, copy.message_id, reply)
                replaced += 1
            except SendError as exc:
                log.warning("Could not replace reminder %s in %s:%s: %s", copy.message_id, copy.platform,
                            copy.destination, exc)
        return replaced
