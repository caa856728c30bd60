"""What the reminders are about, read through the workflow services and flattened into one shape."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.core import format as wording
from bot.core.format import join_names
from bot.domain.signup import AGREED
from bot.scheduler.plan import (
    ESCALATION,
    FOLLOW_UP,
    FOLLOW_UP_AFTER_DAYS,
    PEER_REVIEW,
    SIGNUP,
    SIGNUP_OFFSETS,
    series_key,
)
from bot.services import Services
from bot.services.escalations import DueItem

# A pass words thousands of reminders about a few hundred distinct dates.
fmt_date = functools.lru_cache(maxsize=4096)(wording.fmt_date)
ESCALATION_LOOKAHEAD_DAYS = 30
REVIEW_LOOKAHEAD_DAYS = 28


@dataclass(frozen=True)
class Target:
    """One dated thing a reminder series counts down to."""

    kind: str
    subject: str  # stable id of the series within its kind
    region_id: int | None
    region: str
    name: str  # the council (or region, for sign-up)
    day: date  # deadline, review start, follow-up day or sign-up target
    stage: str
    lead_broker: str
    detail: str = ""
    series_key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Asked for many times per target in a pass: worked out once here (Python 3.11's
        # cached_property takes a lock on every first use, a tenth of the pass's reminder reading).
        object.__setattr__(self, "series_key", series_key(self.kind, self.subject))


def _lead(brokers: tuple[str, ...]) -> str:
    """The first of a region's brokers (lead brokers come first), or "" when there is none."""
    return brokers[0] if brokers else ""


class Sources:
    """Reads the services once per scheduler pass and turns their items into reminder targets."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._leads: dict[int, str] | None = None
        self.escalation_items: list[DueItem] | None = None  # as last read by `escalations`

    def lead_for(self, region_id: int) -> str:
        if self._leads is None:
            self._leads = self.services.scheduling.reads.lead_brokers()
        return self._leads.get(region_id, "")

    def escalations(self, first: date, last: date) -> list[Target]:
        """Open escalations with a reminder day in [first, last]: deadlines up to 30 days after
        `last`, and every overdue one (weekly reminders)."""
        items = self.services.escalations.due_items(first, last + timedelta(days=ESCALATION_LOOKAHEAD_DAYS))
        self.escalation_items = items
        return [
            Target(
                kind=ESCALATION,
                subject=f"council-{item.council_id}:{item.stage_key}:{item.deadline.isoformat()}",
                region_id=item.region_id,
                region=item.region,
                name=item.council,
                day=item.deadline,
                stage=f"{item.stage_label} (since {fmt_date(item.since)})",
                lead_broker=_lead(item.brokers) or self.lead_for(item.region_id),
            )
            for item in items
        ]

    def reviews(self, first: date, last: date) -> list[Target]:
        items = self.services.scheduling.reads.scheduled_reviews(first, last + timedelta(days=REVIEW_LOOKAHEAD_DAYS))
        return [
            Target(
                kind=PEER_REVIEW,
                subject=f"review-{item.id}:{item.start.isoformat()}",
                region_id=item.region_id,
                region=item.region,
                name=item.council,
                day=item.start,
                stage="Safeguarding peer review scheduled",
                lead_broker=self.lead_for(item.region_id),
                detail=f"Review {fmt_date(item.start)} to {fmt_date(item.end)}"
                + (f"; team: {join_names(list(item.team))}" if item.team else "; no team recorded yet"),
            )
            for item in items
        ]

    def follow_ups(self, first: date, last: date) -> list[Target]:
        items = self.services.scheduling.reads.follow_ups_due(first, last)
        return [
            Target(
                kind=FOLLOW_UP,
                subject=f"review-{item.id}:{item.end.isoformat()}",
                region_id=item.region_id,
                region=item.region,
                name=item.council,
                day=item.end + timedelta(days=FOLLOW_UP_AFTER_DAYS),
                stage="Peer review done; follow-up due",
                lead_broker=self.lead_for(item.region_id),
                detail=f"The review ended {fmt_date(item.end)}; the follow-up falls due 14 days later.",
            )
            for item in items
        ]

    def signups(self, today: date, last: date) -> list[Target]:
        """Regions not yet signed up, while a sign-up reminder day can still fall due."""
        targets = []
        for entry in self.services.signup.board(today):
            if entry.signed:
                continue
            if entry.target - timedelta(days=max(SIGNUP_OFFSETS)) > last:
                continue
            waiting = [s.label for s in entry.signatories if s.status != AGREED]
            targets.append(
                Target(
                    kind=SIGNUP,
                    subject=f"region-{entry.region.code}:{entry.target.isoformat()}",
                    region_id=entry.region.id,
                    region=entry.region.name,
                    name=entry.region.name,
                    day=entry.target,
                    stage=f"Not yet signed up: {entry.agreed_count} of {len(entry.signatories)} signatories agreed",
                    lead_broker=_lead(entry.brokers) or self.lead_for(entry.region.id),
                    detail=f"Still to agree: {join_names(waiting)}." if waiting else "",
                )
            )
        return targets
