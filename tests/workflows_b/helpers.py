"""Helpers for the Workflows B tests: acting as a linked broker, reading rows straight from the DB."""

from __future__ import annotations

from sqlmodel import select

from bot.services import Services
from storage.models import Person

BROKER_USER = "slack:UBROKERB"  # linked to Paul Curran (London's lead broker, CIB lead on peer reviews)
VIEWER_USER = "slack:UVIEWERB"  # not linked to anyone: a viewer


def link_broker(services: Services, name: str = "Paul Curran", slack_id: str = "UBROKERB") -> None:
    """Tie a roster person to a Slack user id with a direct write (test set-up only)."""
    with services.db.session() as session:
        person = session.exec(select(Person).where(Person.name == name)).one()
        person.slack_user_id = slack_id
        person.access = "broker"
        session.add(person)
