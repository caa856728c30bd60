"""What a person sees at a glance on their home screen (Slack App Home, and any other front end).

A linked broker gets their regions: councils counted by latest Ofsted judgement and the open
escalations with their next deadlines, soonest first. Anyone else gets the national picture.
Optional features (peer reviews, sign-ups) add sections when their services exist; the home works
without them, and a failing section is logged and left out rather than breaking the page.
Returns plain values; rendering is the front end's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bot.core.format import fmt_short_date
from bot.domain.judgements import count_by_grade
from bot.domain.ladder import STAGES_BY_KEY
from bot.services.values import CouncilInfo, PersonInfo

if TYPE_CHECKING:
    from bot.services import Services


CLOSED_STAGES = frozenset({"improving"})


@dataclass(frozen=True)
class Escalation:
    council: str
    region: str
    stage: str
    since: date
    deadline: date | None


@dataclass(frozen=True)
class AreaSummary:
    """One region (or the whole country when `name` is "England")."""

    name: str
    councils: int
    by_judgement: dict[str, int]
    escalations: tuple[Escalation, ...]


@dataclass(frozen=True)
class HomeSummary:
    person: PersonInfo | None
    areas: tuple[AreaSummary, ...]  # the broker's regions, or one national summary
    extras: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (heading, lines) from optional features

    @property
    def is_broker(self) -> bool:
        return self.person is not None and bool(self.person.regions)


class HomeService:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.db = services.db

    def summary(self, platform: str, user_id: str, today: date) -> HomeSummary:
        person = self.services.directory.person_for_user(platform, user_id)
        regions = set(person.regions) if person else set()
        areas = self._areas(regions)
        extras = self._extras(person, today) if person else ()
        return HomeSummary(person=person, areas=areas, extras=extras)

    def _areas(self, regions: set[str]) -> tuple[AreaSummary, ...]:
        data = self.services.reference.current()
        by_area: dict[str, list[CouncilInfo]] = {}
        for council in data.councils.values():
            if not council.current or (regions and council.region.name not in regions):
                continue
            by_area.setdefault(council.region.name if regions else "England", []).append(council)
        areas = []
        for name in sorted(by_area):
            members = by_area[name]
            escalations = []
            for council in members:
                steps = data.events.get(council.id)
                if not steps or steps[-1].stage in CLOSED_STAGES:
                    continue
                event = steps[-1]
                label = STAGES_BY_KEY[event.stage].label if event.stage in STAGES_BY_KEY else event.stage
                escalations.append(
                    Escalation(council.name, council.region.name, label, event.event_date, event.deadline)
                )
            escalations.sort(key=lambda e: (e.deadline or date.max, e.council))
            latest = data.latest_ilacs
            areas.append(
                AreaSummary(
                    name=name,
                    councils=len(members),
                    by_judgement=count_by_grade(latest[c.id].overall if c.id in latest else None for c in members),
                    escalations=tuple(escalations),
                )
            )
        return tuple(areas)

    def _extras(self, person: PersonInfo, today: date) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The sections a broker sees for their regions (a section with nothing to say is left out)."""
        found: list[tuple[str, tuple[str, ...]]] = []
        sections = (("Upcoming peer reviews (next 90 days)", self._peer_reviews), ("Sign-up progress", self._signup))
        for heading, section in sections:
            lines = section(set(person.regions), today)
            if lines:
                found.append((heading, lines))
        return tuple(found)

    def _peer_reviews(self, regions: set[str], today: date) -> tuple[str, ...]:
        upcoming = self.services.peer_reviews.upcoming(today, today + timedelta(days=PEER_REVIEW_DAYS))
        items = [i for i in upcoming if i.region in regions]
        if not items:
            return ("None booked in your regions.",)
        return tuple(
            f"{item.council} ({item.region}): {fmt_short_date(item.start)} to {fmt_short_date(item.end)}"
            + (f"; team {', '.join(item.team)}" if item.team else "")
            for item in sorted(items, key=lambda i: (i.start, i.council))[:MAX_LINES]
        )

    def _signup(self, regions: set[str], today: date) -> tuple[str, ...]:
        lines = []
        for entry in self.services.signup.board(today):
            if entry.region.name not in regions:
                continue
            state = "signed up" if entry.signed else (
                f"{entry.agreed_count} of {len(entry.signatories)} signatories agreed; "
                f"target {fmt_short_date(entry.target)}"
            )
            lines.append(f"{entry.region.name}: {state}")
        return tuple(lines)


PEER_REVIEW_DAYS = 90
MAX_LINES = 10
