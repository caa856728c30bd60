"""What a command is, and what it is handed: services, the message and "today"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bot.core.message import Message
from bot.core.reply import Reply
from bot.services import Services


@dataclass(frozen=True)
class CommandContext:
    services: Services
    message: Message
    today: date


Handler = Callable[[CommandContext, str], Reply]


@dataclass(frozen=True)
class Command:
    """A slash command. `usage` and `examples` feed `/help` and usage hints."""

    name: str
    summary: str
    usage: tuple[str, ...]
    examples: tuple[str, ...]
    handler: Handler
    aliases: tuple[str, ...] = ()
    writes: bool = False

    def usage_hint(self) -> str:
        lines = ["Usage: " + " | ".join(f"`{u}`" for u in self.usage)]
        if self.examples:
            lines.append("Example: " + ", ".join(f"`{e}`" for e in self.examples))
        return "\n".join(lines)
