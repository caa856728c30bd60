"""Council status and lists: Ofsted judgements, intervention stage, brokers, programmes."""

from __future__ import annotations

from sqlalchemy.exc import NoResultFound

from bot.core.format import fmt_short_date
from bot.domain.judgements import ILACS, count_by_grade, framework_label
from bot.domain.ladder import STAGES_BY_KEY
from bot.services.reference_cache import ReferenceCache
from bot.services.reference_data import ReferenceData
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


class CouncilService:
    """Council statuses and lists, from the reference data in memory (`ReferenceCache`)."""

    def __init__(self, db: Database, reference: ReferenceCache) -> None:
        self.db = db
        self.reference = reference

    def status(self, council_id: int) -> CouncilStatus:
        data = self.reference.current()
        status = data.statuses.get(council_id)
        if status is None:
            status = council_status(data, council_id)
            with data.status_lock:
                data.statuses[council_id] = status
        return status

    def list(self, region_id: int | None = None, grade: str | None = None) -> CouncilList:
        """Current councils, optionally in one region and/or with one latest overall grade."""
        data = self.reference.current()
        region = data.regions.get(region_id) if region_id else None
        if region_id and region is None:
            raise NoResultFound(f"No region with id {region_id}")
        councils = sorted(
            (c for c in data.councils.values() if c.current and (region_id is None or c.region.id == region_id)),
            key=lambda c: c.name,
        )
        items = []
        for council in councils:
            judgement = data.latest_ilacs.get(council.id)
            items.append(
                CouncilListItem(
                    name=council.name,
                    region=council.region.name,
                    overall=judgement.overall if judgement else None,
                    published=judgement.publication_date if judgement else None,
                )
            )
        ordered_counts = count_by_grade(item.overall for item in items)
        if grade is not None:
            items = [item for item in items if item.overall == grade]
        return CouncilList(region=region, grade=grade, items=tuple(items), counts=ordered_counts)


def council_status(data: ReferenceData, council_id: int) -> CouncilStatus:
    """A council's card: judgements, the stage on the ladder, brokers, programmes and timeline."""
    info = data.councils.get(council_id)
    if info is None:
        raise NoResultFound(f"No council with id {council_id}")
    history = list(data.judgements.get(council_id, ()))
    events = data.events.get(council_id, ())
    visits = list(data.visits.get(council_id, ()))
    reported = data.reported_for(council_id)
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
        brokers=data.brokers.get(info.region.id, ()),
        programmes=tuple(sorted(m.programme for m in data.programmes if m.council_id == council_id)),
        timeline=tuple(timeline),
        visits=tuple(visits),
        reported_interventions=tuple(reported),
        peer_reviews=data.booked_reviews.get(council_id, ()),
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
