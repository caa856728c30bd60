"""The home service's plain values: national summary for anyone, regions for a linked broker."""

from __future__ import annotations

from pathlib import Path

from bot.services import Services
from bot.services.home import HomeService
from tests.conftest import TODAY
from tests.slack.test_buttons_and_home import link_slack_user


def test_national_summary_for_someone_unlinked(services: Services) -> None:
    summary = HomeService(services).summary("slack", "U0NOBODY1", TODAY)
    assert summary.person is None and not summary.is_broker and summary.extras == ()
    (england,) = summary.areas
    assert england.name == "England"
    assert england.councils == sum(england.by_judgement.values()) > 140
    deadlines = [e.deadline for e in england.escalations if e.deadline]
    assert deadlines == sorted(deadlines) and england.escalations


def test_linked_broker_sees_only_their_regions(db_path: Path, services: Services) -> None:
    link_slack_user(db_path, "Paul Curran", "U0CURRAN1")
    summary = HomeService(services).summary("slack", "U0CURRAN1", TODAY)
    assert summary.is_broker and [a.name for a in summary.areas] == ["London"]
    assert all(e.region == "London" for e in summary.areas[0].escalations)
    headings = [heading for heading, _ in summary.extras]
    assert "Sign-up progress" in headings
