"""What the answer modules need from the answerer, as a protocol, so they can sit beside
`bot.nlu.answer` (which lists them in its HANDLERS table) without importing it."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from bot.core.message import Message
from bot.core.reply import Reply
from bot.nlu.understand import Interpretation
from bot.services import Services


class AnswerTools(Protocol):
    services: Services
    message: Message
    today: date

    def run(self, name: str, args: str = "") -> Reply:
        """Run a command as the asker (its card, its refusals)."""
        ...

    def unknown(self, meaning: Interpretation) -> Reply:
        """Resolve the name the engine could not place, then answer; or say it is not known."""
        ...


def which_council(intent: str, example: str) -> Reply:
    """The question needs a council and none was named (nor is one in the conversation)."""
    return Reply(text=f"Which council? For example \u201c{example}\u201d.", kind="question", intent="clarify",
                 entities={"pending": intent})
