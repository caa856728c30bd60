"""Test set-up: tying chat users to roster people, through the service as an admin does it, or with
a direct write when the test is about something else."""

from __future__ import annotations

from sqlmodel import select

from bot.core.message import CONSOLE_USER
from bot.services import Services
from storage.tables import Person

BROKER_USER = "slack:UPAUL"  # linked to Paul Curran: London's lead broker, CIB lead on peer reviews
VIEWER_USER = "slack:UNOBODY"  # not linked to anyone: a viewer


def link(services: Services, name: str, slack_user: str) -> None:
    """Link a roster person to a Slack user id the way an operator does (`people link`)."""
    operator = services.actors.actor_for(CONSOLE_USER)
    services.roster.link(operator, name, slack_user=slack_user)


def link_paul(services: Services) -> None:
    link(services, "Paul Curran", BROKER_USER.split(":", 1)[1])


def link_broker(services: Services, name: str = "Paul Curran", slack_id: str = "UPAUL") -> None:
    """Tie a roster person to a Slack user id with a direct write (test set-up only)."""
    with services.db.session() as session:
        person = session.exec(select(Person).where(Person.name == name)).one()
        person.slack_user_id = slack_id
        person.access = "broker"
        session.add(person)
