"""Weekly digests: per region and national, readable at a glance.

A region's digest: sign-up progress, escalation deadlines in the next 30 days, overdue items,
peer reviews in the next 14 days, training events, and judgements published since the last
digest. The national digest summarises every region in one line each. Long lists fold to a few
lines and a count ("…and 7 more"), so the Slack renderer never produces a wall of text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from functools import cached_property

from bot.core.format import days_phrase, fmt_date, fmt_short_date, plural
from bot.core.reply import Action, Fact, Reply, Section
from bot.services import Services
from bot.services.escalations import DueItem
from bot.services.peer_reviews import PeerReviewItem
from bot.services.review_training import TrainingEventItem
from bot.services.scheduling import JudgementChange
from bot.services.signup import RegionSignup
from bot.services.values import RegionInfo

FOLD_AT = 6
DEADLINE_DAYS = 30
REVIEW_DAYS = 14
TRAINING_DAYS = 60


def fold(lines: Sequence[str], limit: int = FOLD_AT) -> tuple[str, ...]:
    """At most `limit` lines, then "…and N more"."""
    if len(lines) <= limit:
        return tuple(lines)
    return (*lines[:limit], f"…and {len(lines) - limit} more")


class DigestBuilder:
    """Builds digests as of `today`, fetching each source once however many channels subscribe.

    `escalations`: open escalations with deadlines up to DEADLINE_DAYS ahead, when the caller has
    already read them (the scheduler pass reads them for its reminders)."""

    def __init__(self, services: Services, today: date, escalations: Sequence[DueItem] | None = None) -> None:
        self.services = services
        self.today = today
        self._given_escalations = escalations

    # --- sources, each fetched once per builder ----------------------------------------------

    @cached_property
    def _escalations(self) -> list[DueItem]:
        if self._given_escalations is not None:
            end = self.today + timedelta(days=DEADLINE_DAYS)
            return [e for e in self._given_escalations if e.deadline <= end]
        return self.services.escalations.due_items(self.today, self.today + timedelta(days=DEADLINE_DAYS))

    @cached_property
    def _reviews(self) -> list[PeerReviewItem]:
        return self.services.scheduling.reads.scheduled_reviews(self.today, self.today + timedelta(days=REVIEW_DAYS))

    @cached_property
    def _training(self) -> list[TrainingEventItem]:
        end = self.today + timedelta(days=TRAINING_DAYS)
        return [e for e in self.services.review_training.events(self.today) if e.day <= end]

    @cached_property
    def _board(self) -> list[RegionSignup]:
        return self.services.signup.board(self.today)

    def escalations(self) -> list[DueItem]:
        return list(self._escalations)

    def reviews(self) -> list[PeerReviewItem]:
        return list(self._reviews)

    def training(self) -> list[TrainingEventItem]:
        return list(self._training)

    def board(self) -> list[RegionSignup]:
        return list(self._board)

    def judgements(self, since: date, region_id: int | None) -> list[JudgementChange]:
        return self.services.scheduling.reads.judgements_published(since, self.today + timedelta(days=1), region_id)

    # --- digests -------------------------------------------------------------------------------

    def region(self, region: RegionInfo, since: date) -> Reply:
        today = self.today
        mine = [e for e in self.escalations() if e.region_id == region.id]
        overdue = [e for e in mine if e.deadline < today]
        upcoming = [e for e in mine if e.deadline >= today]
        reviews = [r for r in self.reviews() if r.region_id == region.id]
        training = self.training()
        changes = self.judgements(since, region.id)
        signup = next((s for s in self.board() if s.region.id == region.id), None)

        sections: list[Section] = []
        facts = [
            Fact("Deadlines (30 days)", str(len(upcoming))),
            Fact("Overdue", str(len(overdue))),
            Fact("Peer reviews (14 days)", str(len(reviews))),
        ]
        if signup is not None:
            agreed = f"{signup.agreed_count} of {len(signup.signatories)} signatories agreed"
            state = "signed up" if signup.signed else agreed
            facts.insert(0, Fact("Sign-up", state))
            sections.append(
                Section(
                    heading=f"Sign-up progress (target {fmt_date(signup.target)})",
                    lines=tuple(f"{s.label}: {s.status_label}" for s in signup.signatories),
                )
            )
        sections.append(
            Section(
                heading="Escalation deadlines in the next 30 days",
                lines=fold([
                    f"{fmt_short_date(e.deadline)}: {e.council}, {e.stage_label} ({days_phrase(e.deadline, today)})"
                    for e in upcoming
                ]) or ("None.",),
            )
        )
        sections.append(past_deadline_section(overdue, with_region=False))
        sections.append(
            Section(
                heading="Peer reviews in the next 14 days",
                lines=fold([f"{fmt_short_date(r.start)}: {r.council}" for r in reviews]) or ("None scheduled.",),
            )
        )
        if training:
            sections.append(Section(heading="Review-team training", lines=training_lines(training)))
        sections.append(
            Section(
                heading=f"Judgements published since {fmt_date(since)}",
                lines=fold([f"{c.council}: {c.overall} ({fmt_short_date(c.published)})" for c in changes])
                or ("None.",),
            )
        )
        summary = (
            f"{region.name} this week: {plural(len(upcoming), 'deadline')} in the next 30 days, "
            f"{len(overdue)} overdue, {plural(len(reviews), 'peer review')} in the next 14 days"
            + (f"; sign-up: {facts[0].value}" if signup is not None else "")
            + (f"; {plural(len(changes), 'new judgement')}" if changes else "")
            + "."
        )
        return Reply(
            text=summary,
            title=f"{region.name}: weekly digest, {fmt_date(today)}",
            facts=tuple(facts),
            sections=tuple(sections),
            actions=(Action("Inadequate councils", f"/council list {region.name} inadequate"),),
            intent="digest",
            entities={"region": region.name, "since": since.isoformat(), "overdue": len(overdue),
                      "upcoming": len(upcoming), "reviews": len(reviews)},
        )

    def national(self, since: date) -> Reply:
        today = self.today
        escalations = self.escalations()
        overdue = [e for e in escalations if e.deadline < today]
        upcoming = [e for e in escalations if e.deadline >= today]
        reviews = self.reviews()
        board = self.board()
        changes = self.judgements(since, None)
        signed = [s for s in board if s.signed]
        regions = self.services.directory.regions()
        by_region = []
        for region in regions:
            parts = [
                f"{sum(1 for e in overdue if e.region_id == region.id)} overdue",
                f"{sum(1 for e in upcoming if e.region_id == region.id)} due in 30 days",
                f"{sum(1 for r in reviews if r.region_id == region.id)} reviews in 14 days",
            ]
            entry = next((s for s in board if s.region.id == region.id), None)
            if entry is not None:
                parts.append("signed up" if entry.signed else "not signed up")
            by_region.append(f"{region.name}: " + ", ".join(parts))
        facts = [
            Fact("Deadlines (30 days)", str(len(upcoming))),
            Fact("Overdue", str(len(overdue))),
            Fact("Peer reviews (14 days)", str(len(reviews))),
        ]
        if board:
            facts.insert(0, Fact("Regions signed up", f"{len(signed)} of {len(board)}"))
        sections = [
            Section(heading="By region", lines=tuple(by_region)),
            past_deadline_section(overdue, with_region=True),
            Section(
                heading="Next deadlines",
                lines=fold([
                    f"{fmt_short_date(e.deadline)}: {e.council} ({e.region}), {e.stage_label}" for e in upcoming
                ]) or ("None in the next 30 days.",),
            ),
            Section(
                heading=f"Judgements published since {fmt_date(since)}",
                lines=fold([f"{c.council}: {c.overall} ({fmt_short_date(c.published)})" for c in changes])
                or ("None.",),
            ),
        ]
        training = self.training()
        if training:
            sections.append(Section(heading="Review-team training", lines=training_lines(training)))
        text = (
            f"England this week: {plural(len(upcoming), 'escalation deadline')} in the next 30 days, "
            f"{len(overdue)} overdue, {plural(len(reviews), 'peer review')} in the next 14 days"
            + (f", {len(signed)} of {len(board)} regions signed up" if board else "")
            + "."
        )
        return Reply(
            text=text,
            title=f"England: weekly digest, {fmt_date(today)}",
            facts=tuple(facts),
            sections=tuple(sections),
            actions=(Action("Inadequate councils", "/council list inadequate"),),
            intent="digest",
            entities={"region": None, "since": since.isoformat(), "overdue": len(overdue),
                      "upcoming": len(upcoming), "reviews": len(reviews)},
        )


PAST_DEADLINE = "Past deadline, no intervention recorded"


def past_deadline_section(overdue: Sequence[DueItem], *, with_region: bool) -> Section:
    """Passed deadlines live here, week after week, instead of in a post per council: each got
    one reminder of its own when it passed (bot.scheduler.messages.overdue_nudge)."""
    lines = [
        f"{e.council}{f' ({e.region})' if with_region else ''}: {e.stage_label}, deadline passed "
        f"{fmt_date(e.deadline)}"
        for e in sorted(overdue, key=lambda e: e.deadline)
    ]
    if not lines:
        return Section(heading=PAST_DEADLINE, lines=("None.",))
    return Section(heading=PAST_DEADLINE,
                   lines=(*fold(lines), "No intervention recorded since; record one with /escalate."))


def training_lines(events: Sequence[TrainingEventItem]) -> tuple[str, ...]:
    return fold([f"{fmt_short_date(e.day)}: {e.venue} ({plural(e.places_left, 'place')} left)" for e in events])
