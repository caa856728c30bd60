"""The broker workflow commands of part A, registered together in `bot.commands.COMMANDS`."""

from __future__ import annotations

from bot.commands.audit import AUDIT, UNDO
from bot.commands.base import Command
from bot.commands.deadlines import DEADLINES
from bot.commands.escalate import ESCALATE
from bot.commands.signup import SIGNUP

WORKFLOW_A_COMMANDS: tuple[Command, ...] = (SIGNUP, ESCALATE, DEADLINES, AUDIT, UNDO)
