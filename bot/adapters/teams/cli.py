"""Registers `python -m bot teams-package` in bot.cli.EXTRA_SUBCOMMANDS (imported from bot/cli_extra.py)."""

from __future__ import annotations

from bot.adapters.teams.package import configure, run
from bot.cli import EXTRA_SUBCOMMANDS

EXTRA_SUBCOMMANDS["teams-package"] = (configure, run)
