"""The command registry. A feature adds its `Command` to `COMMANDS`; help lists them all."""

from __future__ import annotations

from bot.commands.base import Command, CommandContext
from bot.commands.broker import BROKER, CONTACTS
from bot.commands.council import COUNCIL
from bot.commands.digest import DIGEST, REMINDER
from bot.commands.funding import FUNDING
from bot.commands.help import make_help
from bot.commands.peerchallenge import PEERCHALLENGE
from bot.commands.peerreview import PEERREVIEW
from bot.commands.workflow_commands import WORKFLOW_A_COMMANDS

COMMANDS: list[Command] = [COUNCIL, BROKER, CONTACTS]
COMMANDS.extend(WORKFLOW_A_COMMANDS)
COMMANDS.extend([PEERREVIEW, PEERCHALLENGE, FUNDING])
COMMANDS.extend([DIGEST, REMINDER])
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
