"""The command registry: every slash command, in the order /help lists them.

A new command is one module here with its `Command`, and one line in `COMMANDS`."""

from __future__ import annotations

from bot.commands.audit import AUDIT, UNDO
from bot.commands.base import Command, CommandContext
from bot.commands.broker import BROKER, CONTACTS
from bot.commands.council import COUNCIL
from bot.commands.deadlines import DEADLINES
from bot.commands.digest import DIGEST
from bot.commands.escalate import ESCALATE
from bot.commands.funding import FUNDING
from bot.commands.help import make_help
from bot.commands.peerchallenge import PEERCHALLENGE
from bot.commands.peerreview import PEERREVIEW
from bot.commands.people import PEOPLE
from bot.commands.reminder import REMINDER
from bot.commands.signup import SIGNUP

COMMANDS: list[Command] = [
    COUNCIL,
    BROKER,
    CONTACTS,
    SIGNUP,
    ESCALATE,
    DEADLINES,
    AUDIT,
    UNDO,
    PEERREVIEW,
    PEERCHALLENGE,
    FUNDING,
    DIGEST,
    REMINDER,
    PEOPLE,
]
COMMANDS.append(make_help(lambda: COMMANDS))


def command_table() -> dict[str, Command]:
    """Name and alias -> command."""
    table: dict[str, Command] = {}
    for command in COMMANDS:
        table[command.name] = command
        for alias in command.aliases:
            table.setdefault(alias, command)
    return table


__all__ = ["COMMANDS", "Command", "CommandContext", "command_table"]
