"""Registers Teams subcommands in bot.cli.EXTRA_SUBCOMMANDS (imported from bot/cli_extra.py):

- `teams-package [--out FILE] [--endpoint URL]`: the app package to sideload;
- `teams-conversations [--all]`: conversations the bot was added to, with the ids that
  `python -m bot subscribe --teams-conversation ID` takes.
"""

from __future__ import annotations

import argparse

from bot.adapters.teams.package import configure, run
from bot.cli import EXTRA_SUBCOMMANDS


def configure_conversations(parser: argparse.ArgumentParser) -> None:
    parser.description = "List the Teams conversations the bot can post to (stored on install or first message)."
    parser.add_argument("--all", action="store_true", help="include conversations the bot was removed from")


def run_conversations(args: argparse.Namespace) -> int:
    from bot.bootstrap import open_database
    from bot.config import load_settings
    from bot.services.teams_conversations import TeamsConversations

    settings = load_settings()
    found = TeamsConversations(open_database(settings)).all(active_only=not args.all)
    if not found:
        print("No Teams conversations yet: add the app to a team, group chat or personal chat first.")
        return 0
    for item in found:
        state = "" if item.active else " (removed)"
        label = f" {item.name}" if item.name else ""
        print(f"{item.conversation_id}  {item.conversation_type or '?':9}{label}  [{item.source}]{state}")
    return 0


EXTRA_SUBCOMMANDS["teams-package"] = (configure, run)
EXTRA_SUBCOMMANDS["teams-conversations"] = (configure_conversations, run_conversations)
