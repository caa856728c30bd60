"""How a notification reaches a platform: the Sender protocol and the per-platform registry.

A sender posts one neutral Reply to one destination (Slack channel id, Teams conversation id)
and returns the platform's message id. It raises RetryableSendError for failures worth trying
again (rate limits with their Retry-After, 5xx, network errors) and PermanentSendError for the
rest (channel not found, bot not in channel, bad token): the outbox records either.

Platforms register a factory in SENDER_FACTORIES (the Slack sender lives in
bot/adapters/slack/sender.py, the Teams one in the Teams adapter).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Protocol

from bot.config import Settings
from bot.core.reply import Reply

log = logging.getLogger(__name__)


class SendError(Exception):
    pass


class RetryableSendError(SendError):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentSendError(SendError):
    pass


class Sender(Protocol):
    def send(self, destination: str, reply: Reply) -> str | None: ...


SENDER_FACTORIES: dict[str, Callable[[Settings], Sender]] = {}

# Modules whose import registers a sender factory; a missing one (feature not built) is skipped.
SENDER_MODULES = ("bot.adapters.slack.sender", "bot.adapters.teams.sender")


def load_sender_modules() -> None:
    for name in SENDER_MODULES:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            log.debug("No sender module %s: %s", name, exc)


def configured_senders(settings: Settings) -> dict[str, Sender]:
    """Platform -> sender, for every registered platform whose factory accepts the settings.

    A factory raises ValueError when its platform is not configured (no token): that platform's
    notifications stay pending until it is."""
    load_sender_modules()
    senders: dict[str, Sender] = {}
    for platform, factory in SENDER_FACTORIES.items():
        try:
            senders[platform] = factory(settings)
        except ValueError as exc:
            log.info("Not sending %s notifications: %s", platform, exc)
    return senders
