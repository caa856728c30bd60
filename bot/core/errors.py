"""Every error a broker may see, in one place.

Services raise these; the router turns each into one reply shape (an ephemeral error, or a
question for NeedsConfirmation) whose `intent` is the class's `intent`, so `ask --json`, tests
and every platform see the same refusal. The message is written for the person asking: it says
what went wrong and what to do instead, never a stack trace.

    BrokerError
    ├── PermissionDenied    the asker may not write this (the message says who can)
    ├── NeedsConfirmation   an unusual write: ask before doing it
    ├── BadDate             a date that is clearly meant but impossible or ambiguous
    ├── NotFound            no such record (review #12, training #3)
    ├── AlreadyDone         the write would change nothing (already subscribed, acknowledged)
    └── NothingToUndo       /undo with no change of the asker's left to undo
"""

from __future__ import annotations

from typing import Any, ClassVar

from bot.core import intents


class BrokerError(Exception):
    """A refusal shown to the asker as is; `entities` travel with the reply."""

    intent: ClassVar[str] = intents.ERROR

    def __init__(self, message: str, **entities: Any) -> None:
        super().__init__(message)
        self.entities = {k: v for k, v in entities.items() if v is not None}


class PermissionDenied(BrokerError):
    intent = intents.PERMISSION_DENIED


class NeedsConfirmation(BrokerError):
    """`concern` says what is unusual; the command that knows how to repeat the write re-raises
    with the full question and the Confirm / Cancel commands."""

    intent = intents.NEEDS_CONFIRMATION

    def __init__(
        self,
        message: str,
        *,
        concern: str | None = None,
        title: str | None = None,
        confirm_command: str | None = None,
        cancel_command: str | None = None,
        **entities: Any,
    ) -> None:
        super().__init__(message, **entities)
        self.concern = concern or message
        self.title = title
        self.confirm_command = confirm_command
        self.cancel_command = cancel_command


class BadDate(BrokerError, ValueError):
    intent = intents.BAD_DATE


class NotFound(BrokerError):
    intent = intents.NOT_FOUND


class AlreadyDone(BrokerError):
    intent = intents.ALREADY_DONE


class NothingToUndo(BrokerError):
    intent = intents.NOTHING_TO_UNDO
