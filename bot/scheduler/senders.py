"""How a notification reaches a platform: the Sender protocol and its two kinds of failure.

A sender posts one neutral Reply to one destination (Slack channel id, Teams conversation id)
and returns the platform's message id. It raises RateLimited for a 429 (with its Retry-After: a
wait, not a failure), PlatformUnreachable when the platform cannot be reached at all,
RetryableSendError for other failures worth trying again (5xx) and PermanentSendError for the
rest (channel not found, bot not in channel, bad token): the outbox records each.

The Slack sender lives in bot/adapters/slack/sender.py, the Teams one in
bot/adapters/teams/sender.py; bot.bootstrap.build_senders picks the configured ones.
"""

from __future__ import annotations

from typing import Protocol

from bot.core.reply import Reply


class SendError(Exception):
    pass


class RetryableSendError(SendError):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RateLimited(RetryableSendError):
    """The platform asked us to slow down (HTTP 429, Retry-After): wait, it is not a failure."""


class PlatformUnreachable(RetryableSendError):
    """The platform could not be reached at all (connection refused, DNS, timeout): every other
    message to it would fail the same way, so the pass stops for that platform."""


class PermanentSendError(SendError):
    pass


class Sender(Protocol):
    def send(self, destination: str, reply: Reply) -> str | None: ...


class MessageUpdater(Protocol):
    """A sender that can also replace a message it posted (Slack chat.update, Teams PUT activity)."""

    def update(self, destination: str, message_id: str, reply: Reply) -> None: ...
