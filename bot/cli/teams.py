"""`python -m bot teams-package|teams-conversations`: the Teams app package to sideload, and the
conversations the bot was added to (the ids `subscribe --teams-conversation ID` takes)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.config import load_settings


def configure_package(parser: argparse.ArgumentParser) -> None:
    from bot.adapters.teams.package import DEFAULT_OUT

    parser.description = "Write the Teams app package (manifest.json + icons) to upload in Teams."
    parser.add_argument("--out", default=DEFAULT_OUT, help=f"zip file to write (default {DEFAULT_OUT})")
    parser.add_argument("--endpoint", default="", help="public base URL of the bot, added to validDomains")


def run_package(args: argparse.Namespace) -> int:
    from bot.adapters.teams.package import PLACEHOLDER_ID, build_package

    settings = load_settings()
    out = Path(args.out)
    out.write_bytes(build_package(settings, endpoint=args.endpoint))
    note = "" if settings.teams_app_id else " (TEAMS_APP_ID is not set: the bot id is a placeholder)"
    print(f"Wrote {out} with bot id {settings.teams_app_id or PLACEHOLDER_ID}{note}.")
    return 0


def configure_conversations(parser: argparse.ArgumentParser) -> None:
    parser.description = "List the Teams conversations the bot can post to (stored on install or first message)."
    parser.add_argument("--all", action="store_true", help="include conversations the bot was removed from")


def run_conversations(args: argparse.Namespace) -> int:
    from bot.bootstrap import open_database
    from bot.services.teams_conversations import TeamsConversations

    settings = load_settings()
    found = TeamsConversations(open_database(settings)).all(active_only=not args.all)
    if not found:
        print("No Teams conversations yet: add the app to a team, group chat or personal chat first.")
        return 0
    for item in found:
        state = "" if item.active else " (removed)"
        label = f" {item.name}" if item.name else ""
        tenant = f"  tenant {item.tenant_id}" if item.tenant_id else ""
        print(f"{item.conversation_id}  {item.conversation_type or '?':9}{label}  [{item.source}]{tenant}{state}")
    return 0
