"""Acceptance-test helpers: chat users tied to roster people the way an admin does it."""

from __future__ import annotations

from collections.abc import Callable

from bot.core.message import CONSOLE_USER
from bot.core.reply import Reply
from bot.services import Services

BROKER = "slack:U0PAULCUR"  # linked to Paul Curran, London's lead broker, in the tests that need one
Ask = Callable[..., Reply]  # the `ask` fixture of tests/conftest.py

DIRECTOR = "slack:U0DIRHULL"  # a director linked to a council's region in the tests that need one


def link(services: Services, name: str, user: str) -> None:
    """`python -m bot people link NAME --slack-user ID` (or `--teams-user`), through the same service."""
    platform, _, user_id = user.partition(":")
    operator = services.actors.actor_for(CONSOLE_USER)
    if platform == "teams":
        services.roster.link(operator, name, teams_user=user_id)
    else:
        services.roster.link(operator, name, slack_user=user_id)
