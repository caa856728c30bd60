"""The neutral reply model that every renderer (Block Kit, Adaptive Card, text) draws.

A reply always carries `text`: the fact-first plain-text answer used as the notification
fallback and by the console. Actions carry a command string that the router runs when the button
is pressed, so buttons work the same way on every platform.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bot.core.intents import ERROR_INTENTS

ReplyKind = Literal["answer", "error", "question", "help", "confirmation"]


@dataclass(frozen=True)
class Fact:
    """A labelled value shown side by side with others (Block Kit fields, FactSet)."""

    label: str
    value: str


@dataclass(frozen=True)
class Section:
    """A block of content: an optional heading, facts and lines of text."""

    heading: str | None = None
    facts: tuple[Fact, ...] = ()
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Action:
    """A button. Pressing it runs `command` through the router as the presser."""

    label: str
    command: str
    style: Literal["default", "primary", "danger"] = "default"


@dataclass(frozen=True)
class Reply:
    text: str
    title: str | None = None
    facts: tuple[Fact, ...] = ()
    sections: tuple[Section, ...] = ()
    actions: tuple[Action, ...] = ()
    kind: ReplyKind = "answer"
    ephemeral: bool = False
    intent: str = "unknown"
    entities: dict[str, Any] = field(default_factory=dict)
    footer: str | None = None

    @property
    def ok(self) -> bool:
        """False for errors, refusals and questions the bot could not answer (scripts rely on it)."""
        return self.kind != "error" and self.intent not in ERROR_INTENTS


def error(text: str, *, intent: str = "error", hint: str | None = None, **entities: Any) -> Reply:
    """A specific, friendly error shown only to the asker."""
    sections = (Section(lines=(hint,)),) if hint else ()
    return Reply(
        text=text, kind="error", ephemeral=True, intent=intent, entities=entities, sections=sections
    )
