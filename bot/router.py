"""The router: one incoming message -> one neutral reply.

Slash-style commands ("/council Harrow", or "council Harrow" typed as text) go to the command
grammar; anything else goes to the natural-language engine. Every failure becomes a short
apology: never a stack trace in chat.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from bot.commands import CommandContext, command_table
from bot.core import intents
from bot.core.errors import BrokerError, NeedsConfirmation
from bot.core.message import Message, clean_text
from bot.core.reply import Action, Reply, error
from bot.nlu.engine import Engine
from bot.services import Services

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


AfterReply = Callable[[Message, Reply], None]


UMBRELLA = "brokerbot"


def unwrap_umbrella(text: str) -> str | None:
    """`/brokerbot council Harrow` -> `/council Harrow`: in Slack the app claims one slash command
    (plus the short aliases `/council` and `/broker`) rather than `/undo`, `/audit` and the like in a
    shared workspace. `/brokerbot` alone is help; words after it that name no command are a question.
    None when `text` is not a `/brokerbot` command."""
    head, _, rest = text.strip().partition(" ")
    if head.lower() != f"/{UMBRELLA}":
        return None
    rest = rest.strip()
    if not rest:
        return "/help"
    first = rest.split()[0].lstrip("/").lower()
    return f"/{rest.lstrip('/')}" if first in command_table() else rest


HELP_WORDS = frozenset({"help", "?", "-h", "--help", "usage"})


class Router:
    def __init__(self, services: Services, after_reply: AfterReply | None = None) -> None:
        self.services = services
        self.engine = Engine(services.directory, services.conversations)
        # Called with every answer (the wiring point passes the settled-reminder updater); its
        # failures are logged, never shown: the answer itself already stands.
        self.after_reply = after_reply

    def today(self, message: Message) -> date:
        return message.as_of or datetime.now(self.services.settings.tz).date()

    def handle(self, message: Message) -> Reply:
        """Answer one message in one transaction that commits only once the reply is built, so
        no write is kept without its answer and no apology follows a committed write; then tell
        `after_reply` (outside the transaction: it may call a platform)."""
        message = replace(message, text=clean_text(message.text))
        self.recognise(message)
        reply = self._answer(message)
        if self.after_reply is not None:
            try:
                self.after_reply(message, reply)
            except Exception:
                log.exception("After answering %r from %s", message.text, message.user)
        return reply

    def recognise(self, message: Message) -> None:
        """Link an unlinked chat user whose email is on the roster, before the unit of work: the
        platform lookup is a network call, never made holding the database's write lock. Adapters
        that open their own transaction around `handle` (the Slack inbox) call this first."""
        self.services.identities.recognise(message.user, message.conversation)

    def _answer(self, message: Message) -> Reply:
        try:
            with self.services.db.unit_of_work():
                return with_notice(self.services.identities.take_notice(message.user), self._handle(message))
        except NeedsConfirmation as question:
            return confirmation_question(question)
        except BrokerError as refusal:
            return error(str(refusal), intent=refusal.intent, **refusal.entities)
        except Exception:
            log.exception("Failed to answer %r from %s", message.text, message.user)
            return error(APOLOGY, intent=intents.ERROR)

    def run_command(self, message: Message, name: str, args: str) -> Reply:
        command = command_table().get(name)
        if command is None:
            return unknown_command(name)
        context = CommandContext(services=self.services, message=message, today=self.today(message))
        if args.strip().lower() in HELP_WORDS and name != "help":
            # "/council help" asks how to use /council, not about a council called Help.
            return command_table()["help"].handler(context, name)
        return command.handler(context, args)

    def _handle(self, message: Message) -> Reply:
        unwrapped = unwrap_umbrella(message.text)
        if unwrapped is not None:
            message = replace(message, text=unwrapped)
        parsed = split_command(message.text)
        if parsed is None:
            return self.engine(self, message, self.today(message))
        if message.text.lstrip().startswith("/"):
            return self._remembered(message, self.run_command(message, *parsed))
        # "help and protection in Croydon" starts with a command word but is a question: a bare
        # command word whose arguments don't parse (or are refused, or name no one council) goes to
        # the NL engine instead. Errors and refusals change nothing, so trying the command first is safe.
        try:
            with self.services.db.unit_of_work():  # a savepoint: a refusal leaves nothing behind
                reply = self.run_command(message, *parsed)
        except BrokerError:
            understood = self._understand(message)
            if understood is not None:
                return understood
            raise
        if reply.kind == "error" or reply.intent == "clarify_council":
            understood = self._understand(message)
            if understood is not None:
                return understood
        return self._remembered(message, reply)

    def _remembered(self, message: Message, reply: Reply) -> Reply:
        """A command's reply, after it set the conversation's context (as a question would)."""
        self.engine.remember_command(message, reply)
        return reply

    def _understand(self, message: Message) -> Reply | None:
        """The NL engine's answer when it understood the message confidently, else None."""
        reply = self.engine(self, message, self.today(message))
        if reply.kind == "error" or reply.intent in UNSURE_INTENTS:
            return None
        return reply


def with_notice(notice: str | None, reply: Reply) -> Reply:
    """The one-time "You are linked as ..." in front of the first reply after a link by email."""
    return replace(reply, text=f"{notice}\n\n{reply.text}") if notice else reply


def confirmation_question(question: NeedsConfirmation) -> Reply:
    """An unusual write, asked about before it is done: Confirm repeats it with --confirm."""
    actions = []
    if question.confirm_command:
        actions.append(Action("Confirm", question.confirm_command, style="primary"))
    if question.cancel_command:
        actions.append(Action("Cancel", question.cancel_command))
    return Reply(
        text=str(question),
        title=question.title,
        kind="question",
        ephemeral=True,
        actions=tuple(actions),
        intent=question.intent,
        entities={**question.entities, "concern": question.concern},
    )


# NL intents that mean "not sure what you meant": not better than a command's specific error.
UNSURE_INTENTS = frozenset({"clarify", "clarify_home", "out_of_domain", "unknown"})


def unknown_command(name: str) -> Reply:
    known = ", ".join(f"/{n}" for n in sorted({c.name for c in command_table().values()}))
    return Reply(
        text=f"I don't know the command /{name}. Commands I know: {known}. Try /help.",
        kind="error",
        ephemeral=True,
        intent=intents.UNKNOWN_COMMAND,
        entities={"command": name},
    )
