"""Helpers for the workflow tests: linking chat users to roster people through the service."""

from __future__ import annotations

from bot.core.message import CONSOLE_USER
from bot.services import Services

BROKER_USER = "slack:UPAUL"  # linked to Paul Curran, London's lead broker
VIEWER_USER = "slack:UNOBODY"  # not linked: a viewer


def link(services: Services, name: str, slack_user: str) -> None:
    operator = services.actors.actor_for(CONSOLE_USER)
    services.roster.link(operator, name, slack_user=slack_user)


def link_paul(services: Services) -> None:
    link(services, "Paul Curran", BROKER_USER.split(":", 1)[1])
