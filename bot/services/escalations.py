"""The intervention ladder (seed `002_...`): recording a council's next stage and listing what
falls due. Each stage sets the next deadline: six months from publication of an inadequate
judgement (INADEQUATE_IMPROVEMENT_MONTHS), and a configurable period for the others
(LADDER_MONTHS, defaults in `bot.domain.ladder`).

Interfaces other features use (keep them stable):
- :meth:`EscalationService.due_items` (scheduler reminders, `/deadlines`),
- :meth:`EscalationService.escalate` (`/escalate`; the Ofsted import may call it too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy
from sqlmodel import Session, col, func, select

from bot.config import Settings
from bot.core.errors import NeedsConfirmation
from bot.core.format import fmt_date, fmt_short_date
from bot.domain.escalation_rules import transition_concern
from bot.domain.judgements import INADEQUATE
from bot.domain.ladder import STAGES, STAGES_BY_KEY, Stage, next_deadline
from bot.services.actors import Actor, ActorDirectory
from bot.services.audit import AuditTrail
from bot.services.directory import brokers_by_region, council_info
from bot.services.values import CouncilInfo, StageInfo
from storage.db import Database
from storage.tables import ILACS, Council, InterventionEvent, OfstedJudgement, Region

CLOSED = "improving"


@dataclass(frozen=True)
class DueItem:
    """An open escalation's next deadline (the latest stage per council; closed ones excluded)."""

    council_id: int
    council: str
    region: str
    region_id: int
    stage_key: str
    stage_label: str
    since: date
    deadline: date
    brokers: tuple[str, ...]
    overdue: bool


@dataclass(frozen=True)
class EscalationResult:
    council: CouncilInfo
    stage: StageInfo
    previous: StageInfo | None
    summary: str
    confirmed_concern: str | None = None


class EscalationService:
    def __init__(self, db: Database, settings: Settings, actors: ActorDirectory) -> None:
        self.db = db
        self.settings = settings
        self.actors = actors

    # --- rules ---------------------------------------------------------------------------

    def months_for(self, stage: Stage) -> int | None:
        """Months to the next deadline after `stage`; None for the closed stage."""
        if stage.default_months is None:
            return None
        if stage.key == "judged_inadequate":
            return self.settings.inadequate_improvement_months
        return dict(self.settings.ladder_months).get(stage.key, stage.default_months)

    def periods(self) -> list[tuple[Stage, int | None]]:
        return [(stage, self.months_for(stage)) for stage in STAGES]

    def deadline_for(self, stage: Stage, day: date) -> date | None:
        months = self.months_for(stage)
        return next_deadline(stage, day, months) if months is not None else None

    # --- reads ---------------------------------------------------------------------------

    def current(self, council_id: int) -> StageInfo | None:
        with self.db.session() as session:
            event = _latest_event(session, council_id)
            return _stage_info(event) if event is not None else None

    def default_date(self, council_id: int, stage: Stage, today: date) -> date:
        """When no date is typed: the publication date of the latest judgement for "judged
        inadequate" (if that judgement is Inadequate), otherwise today."""
        if stage.key != "judged_inadequate":
            return today
        with self.db.session() as session:
            latest = session.exec(
                select(OfstedJudgement)
                .where(OfstedJudgement.council_id == council_id)
                .where(OfstedJudgement.framework == ILACS)
                .order_by(col(OfstedJudgement.inspection_date).desc())
            ).first()
        if latest is not None and latest.overall == INADEQUATE:
            return latest.publication_date or latest.inspection_date or today
        return today

    def due_items(self, start: date, end: date, region_id: int | None = None) -> list[DueItem]:
        """Open escalations whose next deadline is on or before `end`, soonest first.

        Deadlines before `start` (normally today) are included and flagged `overdue`: they still
        need action. Only each council's latest stage counts; "improving (closed)" and stages
        without a deadline are left out.

        One set-based query (each council's latest event picked by a window function, filtered
        in the database) returning plain columns: a scheduler pass at thousands of councils
        reads it twice, so no ORM objects are built for it.
        """
        latest = (
            sqlalchemy.select(
                col(InterventionEvent.council_id).label("council_id"),
                col(InterventionEvent.stage).label("stage"),
                col(InterventionEvent.event_date).label("event_date"),
                col(InterventionEvent.deadline).label("deadline"),
                func.row_number()
                .over(
                    partition_by=col(InterventionEvent.council_id),
                    order_by=(col(InterventionEvent.event_date).desc(), col(InterventionEvent.id).desc()),
                )
                .label("newest"),
            )
            .subquery()
        )
        statement = (
            sqlalchemy.select(latest.c.council_id, col(Council.name), col(Region.id), col(Region.name),
                              latest.c.stage, latest.c.event_date, latest.c.deadline)
            .join(Council, col(Council.id) == latest.c.council_id)
            .join(Region, col(Region.id) == Council.region_id)
            .where(latest.c.newest == 1)
            .where(col(Council.current).is_(True))
            .where(latest.c.stage != CLOSED)
            .where(latest.c.deadline.is_not(None))
            .where(latest.c.deadline <= end)
        )
        if region_id is not None:
            statement = statement.where(col(Council.region_id) == region_id)
        with self.db.session() as session:
            rows = session.connection().execute(statement).all()  # plain rows, no ORM loading
            brokers = {rid: tuple(b.name for b in people) for rid, people in brokers_by_region(session).items()}
        items = []
        for council_id, council, region_key, region, stage_key, since, deadline in rows:
            stage = STAGES_BY_KEY.get(stage_key)
            items.append(
                DueItem(
                    council_id=council_id,
                    council=council,
                    region=region,
                    region_id=region_key,
                    stage_key=stage_key,
                    stage_label=stage.label if stage else stage_key,
                    since=since,
                    deadline=deadline,
                    brokers=brokers.get(region_key, ()),
                    overdue=deadline < start,
                )
            )
        items.sort(key=lambda item: (item.deadline, item.council))
        return items

    # --- writes --------------------------------------------------------------------------

    def concern(self, council_id: int, stage: Stage, day: date, today: date) -> str | None:
        """Why recording `stage` on `day` needs confirming, or None."""
        current = self.current(council_id)
        return _concern(current, stage, day, today)

    def escalate(
        self,
        actor: Actor,
        council_id: int,
        stage_key: str,
        day: date | None = None,
        note: str = "",
        *,
        today: date,
        confirmed: bool = False,
    ) -> EscalationResult:
        """Record that `council_id` reached `stage_key` on `day` (one transaction with its audit
        entry). Raises PermissionDenied for viewers, NeedsConfirmation for an unusual step that
        is not `confirmed`, ValueError for an unknown stage."""
        if not actor.can_write:
            with self.db.session() as session:
                region_id = session.get_one(Council, council_id).region_id
            self.actors.require_writer(actor, "record intervention stages", region_id)
        stage = STAGES_BY_KEY.get(stage_key)
        if stage is None:
            raise ValueError(f"Unknown stage {stage_key!r}")
        day = day or self.default_date(council_id, stage, today)
        deadline = self.deadline_for(stage, day)
        with self.db.session() as session:
            council = session.get_one(Council, council_id)
            previous_event = _latest_event(session, council_id)
            previous = _stage_info(previous_event) if previous_event is not None else None
            concern = _concern(previous, stage, day, today)
            if concern is not None and not confirmed:
                raise NeedsConfirmation(concern)
            event = InterventionEvent(
                council_id=council_id,
                stage=stage.key,
                event_date=day,
                deadline=deadline,
                note=note.strip()[:1000],
                created_by=actor.label,
            )
            session.add(event)
            summary = f"{council.name}: {stage.label} on {fmt_short_date(day)}"
            if previous is not None:
                summary += f" (was {previous.label})"
            if deadline is not None:
                summary += f"; next deadline {fmt_short_date(deadline)}"
            if note.strip():
                summary += f". {note.strip()}"
            AuditTrail.record(
                session,
                actor,
                batch=AuditTrail.new_batch(),
                action="escalation.add",
                subject_type="council",
                subject_key=council.ons_code,
                summary=summary[:500],
                row=event,
                before=None,
            )
            info = council_info(session, council)
            stage_info = _stage_info(event)
        return EscalationResult(
            council=info, stage=stage_info, previous=previous, summary=summary, confirmed_concern=concern
        )


def _concern(current: StageInfo | None, stage: Stage, day: date, today: date) -> str | None:
    if day > today:
        return f"the date ({fmt_short_date(day)}) is in the future; stages are recorded when they happen"
    concern = transition_concern(current.key if current else None, stage)
    if concern is None and current is not None and day < current.since:
        concern = f"the date is before the current stage (“{current.label}” since {fmt_date(current.since)})"
    return concern


def _latest_event(session: Session, council_id: int) -> InterventionEvent | None:
    return session.exec(
        select(InterventionEvent)
        .where(InterventionEvent.council_id == council_id)
        .order_by(col(InterventionEvent.event_date).desc(), col(InterventionEvent.id).desc())
    ).first()


def _stage_info(event: InterventionEvent) -> StageInfo:
    stage = STAGES_BY_KEY.get(event.stage)
    return StageInfo(
        key=event.stage,
        label=stage.label if stage else event.stage,
        since=event.event_date,
        deadline=event.deadline,
        note=event.note,
    )
