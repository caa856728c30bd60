"""The router: one incoming message -> one neutral reply.

Slash-style commands ("/council Harrow", or "council Harrow" typed as text) go to the command
grammar; anything else goes to the natural-language engine. Every failure becomes a short
apology: never a stack trace in chat.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from bot.commands import CommandContext, command_table
from bot.core.message import Message
from bot.core.reply import Reply
from bot.nlu.engine import Engine
from bot.services import Services
from bot.services.actors import PermissionDenied

log = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, something went wrong on my side while answering that. It has been logged; "
    "please try again in a moment."
)


def split_command(text: str) -> tuple[str, str] | None:
    """`/council Harrow` or `council Harrow` -> ("council", "Harrow"); None if not a command."""
    stripped = text.strip()
    if not stripped:
        return None
    head, _, rest = stripped.partition(" ")
    name = head.lstrip("/").lower()
    if head.startswith("/") or name in command_table():
        return name, rest.strip()
    return None


class Router:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.engine = Engine(services.directory)

    def today(self, message: Message) -> date:
        return message.as_of or datetime.now(self.services.settings.tz).date()

    def handle(self, message: Message) -> Reply:
        try:
            return self._handle(message)
        except PermissionDenied as refusal:
            return Reply(text=str(refusal), kind="error", ephemeral=True, intent="permission_denied")
        except Exception:
            log.exception("Failed to answer %r from %s", message.text, message.user)
            return Reply(text=APOLOGY, kind="error", ephemeral=True, intent="error")

    def run_command(self, message: Message, name: str, args: str) -> Reply:
        command = command_table().get(name)
        if command is None:
            return unknown_command(name)
        context = CommandContext(services=self.services, message=message, today=self.today(message))
        return command.handler(context, args)

    def _handle(self, message: Message) -> Reply:
        parsed = split_command(message.text)
        if parsed is not None:
            reply = self.run_command(message, *parsed)
            if reply.kind == "error" and not message.text.lstrip().startswith("/"):
                # "help and protection in Croydon" starts with a command word but is a question:
                # a bare command word whose arguments don't parse goes to the NL engine instead.
                # Errors change nothing, so trying the command first is safe.
                understood = self._understand(message)
                if understood is not None:
                    return understood
            return reply
        return self.engine(self, message, self.today(message))

    def _understand(self, message: Message) -> Reply | None:
        """The NL engine's answer when it understood the message confidently, else None."""
        reply = self.engine(self, message, self.today(message))
        if reply.kind == "error" or reply.intent in UNSURE_INTENTS:
            return None
        return reply


# NL intents that mean "not sure what you meant": not better than a command's specific error.
UNSURE_INTENTS = frozenset({"clarify", "clarify_home", "out_of_domain", "unknown"})


def unknown_command(name: str) -> Reply:
    known = ", ".join(f"/{n}" for n in sorted({c.name for c in command_table().values()}))
    return Reply(
        text=f"I don't know the command /{name}. Commands I know: {known}. Try /help.",
        kind="error",
        ephemeral=True,
        intent="unknown_command",
        entities={"command": name},
    )
