"""Refusals have one shape: the router turns each error a service raises into a reply whose
intent names the error, and `Reply.ok` is false exactly for the error intents."""

from __future__ import annotations

import pytest

from bot.core.errors import (
    AlreadyDone,
    BadDate,
    BrokerError,
    NeedsConfirmation,
    NotFound,
    NothingToUndo,
    PermissionDenied,
)
from bot.core.intents import ERROR_INTENTS
from bot.core.reply import Reply

VIEWER = "slack:UNOTLINKED"  # not on the roster: a viewer


@pytest.mark.parametrize(
    "error", [PermissionDenied, NeedsConfirmation, BadDate, NotFound, AlreadyDone, NothingToUndo]
)
def test_every_error_names_an_error_intent(error: type[BrokerError]) -> None:
    assert error.intent in ERROR_INTENTS
    assert not Reply(text="x", intent=error.intent).ok


def test_an_answer_is_ok() -> None:
    assert Reply(text="Harrow is judged Good.", intent="council_status").ok


def test_a_viewer_is_refused_with_permission_denied(ask) -> None:  # type: ignore[no-untyped-def]
    refused = ask("/signup London dcs agreed", user=VIEWER)
    assert refused.intent == "permission_denied" and not refused.ok
    assert refused.kind == "error" and refused.ephemeral
    assert "Ask" in refused.text  # says who can make the change


def test_undo_with_nothing_to_undo(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/undo")
    assert reply.intent == "nothing_to_undo" and not reply.ok
    assert "no change to undo" in reply.text


def test_an_impossible_date_is_bad_date_and_names_the_formats(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/escalate Harrow commissioner_appointed 31/02/2026")
    assert reply.intent == "bad_date" and not reply.ok
    assert "There is no such date" in reply.text and "30/11/2025" in reply.text
