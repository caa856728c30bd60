"""Council status and lists: Ofsted judgements, intervention stage, brokers, programmes."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.core.format import fmt_short_date
from bot.domain.judgements import ILACS, SUB_JUDGEMENTS, count_by_grade, framework_label
from bot.domain.ladder import STAGES_BY_KEY
from bot.services.directory import brokers_by_region, council_info, region_info
from bot.services.values import (
    CouncilList,
    CouncilListItem,
    CouncilStatus,
    JudgementInfo,
    ReportedInterventionInfo,
    StageInfo,
    TimelineEntry,
    VisitInfo,
)
from storage.db import Database
from storage.tables import (
    Council,
    InterventionEvent,
    OfstedJudgement,
    OfstedVisit,
    ProgrammeMembership,
    Region,
    ReportedIntervention,
)


class CouncilService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def status(self, council_id: int) -> CouncilStatus:
        with self.db.session() as session:
            council = session.get_one(Council, council_id)
            info = council_info(session, council)
            history = judgements_for(session, council_id)
            events = session.exec(
                select(InterventionEvent)
                .where(InterventionEvent.council_id == council_id)
                .order_by(InterventionEvent.event_date, InterventionEvent.id)  # type: ignore[arg-type]
            ).all()
            brokers = brokers_by_region(session).get(council.region_id, [])
            programmes = session.exec(
                select(ProgrammeMembership.programme)
                .where(ProgrammeMembership.council_id == council_id)
                .order_by(ProgrammeMembership.programme)
            ).all()
            visits = visits_for(session, council_id)
            reported = reported_interventions(session, council_id)
        stage = None
        if events:
            last = events[-1]
            stage = StageInfo(
                key=last.stage,
                label=STAGES_BY_KEY[last.stage].label if last.stage in STAGES_BY_KEY else last.stage,
                since=last.event_date,
                deadline=last.deadline,
                note=last.note,
            )
        timeline = [judgement_entry(j) for j in history] + [
            TimelineEntry(
                day=e.event_date,
                kind="intervention",
                text=(STAGES_BY_KEY[e.stage].label if e.stage in STAGES_BY_KEY else e.stage)
                + (f"; next deadline {fmt_short_date(e.deadline)}" if e.deadline else "")
                + (f". {e.note}" if e.note else ""),
            )
            for e in events
        ] + [visit_entry(v) for v in visits] + [reported_entry(r) for r in reported]
        # On the same day the judgement comes first: it is what opens the escalation.
        timeline.sort(key=lambda entry: (entry.day, entry.kind != "judgement"))
        ilacs = [j for j in history if j.framework == ILACS]
        return CouncilStatus(
            council=info,
            latest=ilacs[-1] if ilacs else None,
            history=tuple(history),
            stage=stage,
            brokers=tuple(brokers),
            programmes=tuple(programmes),
            timeline=tuple(timeline),
            visits=tuple(visits),
            reported_interventions=tuple(reported),
        )

    def list(self, region_id: int | None = None, grade: str | None = None) -> CouncilList:
        """Current councils, optionally in one region and/or with one latest overall grade."""
        with self.db.session() as session:
            statement = select(Council, Region).join(Region, Region.id == Council.region_id)  # type: ignore[arg-type]
            statement = statement.where(Council.current == True)  # noqa: E712
            if region_id is not None:
                statement = statement.where(Council.region_id == region_id)
            rows = session.exec(statement.order_by(Council.name)).all()
            latest = latest_judgements(session)
            region = region_info(session.get_one(Region, region_id)) if region_id else None
        items = []
        for council, council_region in rows:
            judgement = latest.get(council.id or 0)
            items.append(
                CouncilListItem(
                    name=council.name,
                    region=council_region.name,
                    overall=judgement.overall if judgement else None,
                    published=judgement.publication_date if judgement else None,
                )
            )
        ordered_counts = count_by_grade(item.overall for item in items)
        if grade is not None:
            items = [item for item in items if item.overall == grade]
        return CouncilList(region=region, grade=grade, items=tuple(items), counts=ordered_counts)


def judgement_info(row: OfstedJudgement) -> JudgementInfo:
    return JudgementInfo(
        inspection_type=row.inspection_type,
        inspection_date=row.inspection_date,
        publication_date=row.publication_date,
        overall=row.overall,
        sub_judgements={key: getattr(row, key) for key in SUB_JUDGEMENTS},
        framework=row.framework,
    )


def judgements_for(session: Session, council_id: int) -> list[JudgementInfo]:
    """Every judgement since 2009, every framework, oldest first (by publication date)."""
    rows = session.exec(select(OfstedJudgement).where(OfstedJudgement.council_id == council_id)).all()
    return sorted((judgement_info(r) for r in rows), key=lambda j: (j.day, j.framework != ILACS))


def latest_judgements(session: Session) -> dict[int, JudgementInfo]:
    """Council id -> its most recent ILACS judgement (by inspection date)."""
    rows = session.exec(
        select(OfstedJudgement).where(OfstedJudgement.framework == ILACS)
        .order_by(OfstedJudgement.inspection_date)  # type: ignore[arg-type]
    ).all()
    return {row.council_id: judgement_info(row) for row in rows}


def visits_for(session: Session, council_id: int) -> list[VisitInfo]:
    rows = session.exec(select(OfstedVisit).where(OfstedVisit.council_id == council_id)).all()
    return sorted((VisitInfo(r.visit_type, r.visit_date, r.publication_date, r.theme) for r in rows),
                  key=lambda v: v.visit_date)


def reported_interventions(session: Session, council_id: int | None = None) -> list[ReportedInterventionInfo]:
    """Interventions the source documents report, for one council or all, in date order."""
    statement = select(ReportedIntervention, Council).join(
        Council, Council.id == ReportedIntervention.council_id)  # type: ignore[arg-type]
    if council_id is not None:
        statement = statement.where(ReportedIntervention.council_id == council_id)
    return sorted(
        (ReportedInterventionInfo(council=c.name, kind=r.kind, month=r.month, when_text=r.when_text,
                                  summary=r.summary, source=r.source, source_date=r.source_date)
         for r, c in session.exec(statement).all()),
        key=lambda r: (r.month or r.source_date, r.council),
    )


def judgement_entry(j: JudgementInfo) -> TimelineEntry:
    if j.framework == ILACS:
        text = f"Ofsted {j.inspection_type}: {j.overall} (inspected {fmt_short_date(j.inspection_date)})"
    else:
        text = f"Ofsted {framework_label(j.framework)}: {j.overall} (published)"
    return TimelineEntry(day=j.day, kind="judgement", text=text)


def visit_entry(v: VisitInfo) -> TimelineEntry:
    theme = f" ({v.theme})" if v.theme else ""
    published = f", published {fmt_short_date(v.publication_date)}" if v.publication_date else ""
    return TimelineEntry(day=v.visit_date, kind="visit", text=f"Ofsted {v.visit_type}{theme}: no judgement{published}")


def reported_entry(r: ReportedInterventionInfo) -> TimelineEntry:
    """A past event from a document, dated as the document dates it (often only the month)."""
    return TimelineEntry(day=r.month or r.source_date, kind="reported", when=r.when_text,
                         text=f"{r.summary[:1].upper()}{r.summary[1:]} (past event; {r.source})")
