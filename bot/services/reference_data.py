"""One immutable picture of the reference data, read from the database in a handful of queries:
regions, councils and their other names, Ofsted judgements and visits, the interventions on the
ladder and in the documents, programme memberships, people, broker assignments and contacts,
with the name indexes the resolver and the NL spotter use.

`bot.services.reference_cache` decides when a picture is current; everything here is plain
values built once, so answering from it costs no query."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from threading import Lock
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, SQLModel

from bot.domain.judgements import ILACS, SUB_JUDGEMENTS
from bot.services.peer_reviews import SCHEDULED
from bot.services.resolver import NameIndex
from bot.services.values import (
    BookedReview,
    ContactInfo,
    CouncilInfo,
    CouncilStatus,
    JudgementInfo,
    PersonInfo,
    RegionInfo,
    ReportedInterventionInfo,
    VisitInfo,
)
from storage.tables import (
    BrokerAssignment,
    Contact,
    Council,
    CouncilAlias,
    CouncilSuccession,
    InterventionEvent,
    OfstedJudgement,
    OfstedVisit,
    PeerReview,
    PeerReviewTeamMember,
    Person,
    ProgrammeMembership,
    Region,
    RegionAlias,
    ReportedIntervention,
)


@dataclass(frozen=True)
class Vocabulary:
    """Normalised names and aliases -> ids, as the resolver knows them."""

    councils: dict[str, int]
    councils_stripped: dict[str, int]
    regions: dict[str, int]
    people: dict[str, int]
    current_names: dict[int, str]  # current council id -> its name (for names shared by several)


@dataclass(frozen=True)
class EventRow:
    """A step on a council's intervention ladder (`InterventionEvent`), as the status card needs it."""

    stage: str
    event_date: date
    deadline: date | None
    note: str


@dataclass(frozen=True)
class ProgrammeRow:
    council_id: int
    council: str
    programme: str
    note: str


@dataclass
class ReferenceData:
    """Everything answers read about places and people, as of one reference version."""

    version: int | None
    regions: dict[int, RegionInfo]
    councils: dict[int, CouncilInfo]
    people: dict[int, PersonInfo]
    person_council: dict[int, int | None]  # person id -> the council a director belongs to
    people_by_chat_id: dict[tuple[str, str], int]  # ("slack" | "teams", user id) -> person id
    brokers: dict[int, tuple[PersonInfo, ...]]  # region id -> its brokers, lead first, then by name
    council_counts: dict[int, int]  # region id -> number of current councils
    contacts: tuple[ContactInfo, ...]  # by topic, then person
    judgements: dict[int, tuple[JudgementInfo, ...]]  # council id -> every judgement, oldest first
    latest_ilacs: dict[int, JudgementInfo]  # council id -> most recent ILACS judgement (by inspection date)
    events: dict[int, tuple[EventRow, ...]]  # council id -> ladder steps by date
    programmes: tuple[ProgrammeRow, ...]  # every membership, in the order they were recorded
    visits: dict[int, tuple[VisitInfo, ...]]
    reported: tuple[ReportedInterventionInfo, ...]  # in date order
    reported_by_council: dict[int, tuple[ReportedInterventionInfo, ...]]
    booked_reviews: dict[int, tuple[BookedReview, ...]]  # council id -> scheduled peer reviews by start
    council_names: NameIndex[int]
    region_names: NameIndex[int]
    people_names: NameIndex[int]
    vocabulary: Vocabulary
    # Council statuses worked out on first use (the values are immutable, so sharing them is safe).
    statuses: dict[int, CouncilStatus] = field(default_factory=dict)
    status_lock: Lock = field(default_factory=Lock)

    def regions_by_name(self) -> list[RegionInfo]:
        return sorted(self.regions.values(), key=lambda r: r.name)

    def reported_for(self, council_id: int | None) -> list[ReportedInterventionInfo]:
        if council_id is None:
            return list(self.reported)
        return list(self.reported_by_council.get(council_id, ()))


def _rows(session: Session, model: type[SQLModel], *order: str) -> list[Any]:
    """Every row of a table as plain tuples with named fields (no ORM objects: quicker to build)."""
    table = model.__table__  # type: ignore[attr-defined]
    statement = select(table).order_by(*(table.c[name] for name in order or ("id",)))
    return list(session.connection().execute(statement).all())


def judgement_info(row: Any) -> JudgementInfo:
    return JudgementInfo(
        inspection_type=row.inspection_type,
        inspection_date=row.inspection_date,
        publication_date=row.publication_date,
        overall=row.overall,
        sub_judgements={key: getattr(row, key) for key in SUB_JUDGEMENTS},
        framework=row.framework,
    )


def build(session: Session, version: int | None) -> ReferenceData:
    """Read the whole picture in this session's transaction (read `version` first, in the same
    transaction: then the data is at least as new as the version it is labelled with)."""
    regions = {r.id: RegionInfo(id=r.id, code=r.code, name=r.name) for r in _rows(session, Region)}
    council_rows = _rows(session, Council)
    names = {c.id: c.name for c in council_rows}
    predecessors: dict[int, list[str]] = defaultdict(list)
    successors: dict[int, list[str]] = defaultdict(list)
    for link in _rows(session, CouncilSuccession):
        predecessors[link.successor_id].append(names[link.predecessor_id])
        successors[link.predecessor_id].append(names[link.successor_id])
    councils = {
        c.id: CouncilInfo(
            id=c.id, name=c.name, la_type=c.la_type, region=regions[c.region_id], dfe_code=c.dfe_code,
            ons_code=c.ons_code, current=c.current, first_year=c.first_year, last_year=c.last_year,
            population_0_17=c.population_0_17,
            predecessors=tuple(dict.fromkeys(sorted(predecessors[c.id]))),
            successors=tuple(dict.fromkeys(sorted(successors[c.id]))),
        )
        for c in council_rows
    }  # fmt: skip
    people, person_council, chat_ids, brokers = _people(session, regions)
    judgement_rows = _rows(session, OfstedJudgement)
    judgements: dict[int, list[JudgementInfo]] = defaultdict(list)
    for row in judgement_rows:
        judgements[row.council_id].append(judgement_info(row))
    latest_ilacs: dict[int, JudgementInfo] = {}
    ilacs_rows = [row for row in judgement_rows if row.framework == ILACS]
    for row in sorted(ilacs_rows, key=lambda r: (r.inspection_date is not None, r.inspection_date or date.min)):
        latest_ilacs[row.council_id] = judgement_info(row)
    events: dict[int, list[EventRow]] = defaultdict(list)
    for e in _rows(session, InterventionEvent, "event_date", "id"):
        events[e.council_id].append(EventRow(e.stage, e.event_date, e.deadline, e.note))
    visits: dict[int, list[VisitInfo]] = defaultdict(list)
    for v in _rows(session, OfstedVisit):
        visits[v.council_id].append(VisitInfo(v.visit_type, v.visit_date, v.publication_date, v.theme))
    reported = sorted(
        ((r.council_id, ReportedInterventionInfo(
            council=names[r.council_id], kind=r.kind, month=r.month, when_text=r.when_text, summary=r.summary,
            source=r.source, source_date=r.source_date))
         for r in _rows(session, ReportedIntervention)),
        key=lambda pair: (pair[1].month or pair[1].source_date, pair[1].council),
    )  # fmt: skip
    reported_by_council: dict[int, list[ReportedInterventionInfo]] = defaultdict(list)
    for council_id, info in reported:
        reported_by_council[council_id].append(info)
    programmes = tuple(
        ProgrammeRow(m.council_id, names[m.council_id], m.programme, m.note)
        for m in _rows(session, ProgrammeMembership)
    )
    contacts = tuple(
        sorted(
            (ContactInfo(topic=c.topic, person=people[c.person_id], note=c.note) for c in _rows(session, Contact)),
            key=lambda c: (c.topic, c.person.name),
        )
    )
    team: dict[int, list[str]] = defaultdict(list)
    for member in _rows(session, PeerReviewTeamMember):
        team[member.review_id].append(member.name)
    booked: dict[int, list[BookedReview]] = defaultdict(list)
    for review in _rows(session, PeerReview, "start_date", "id"):
        if review.status == SCHEDULED:
            booked[review.council_id].append(BookedReview(review.start_date, review.end_date, tuple(team[review.id])))
    counts: dict[int, int] = defaultdict(int)
    for c in council_rows:
        if c.current:
            counts[c.region_id] += 1
    council_names, region_names, people_names, vocabulary = _indexes(session, council_rows, regions, people)
    return ReferenceData(
        version=version, regions=regions, councils=councils, people=people, person_council=person_council,
        people_by_chat_id=chat_ids, brokers=brokers, council_counts=dict(counts), contacts=contacts,
        judgements={k: tuple(sorted(v, key=lambda j: (j.day, j.framework != ILACS))) for k, v in judgements.items()},
        latest_ilacs=latest_ilacs, events={k: tuple(v) for k, v in events.items()}, programmes=programmes,
        visits={k: tuple(sorted(v, key=lambda x: x.visit_date)) for k, v in visits.items()},
        reported=tuple(info for _, info in reported),
        reported_by_council={k: tuple(v) for k, v in reported_by_council.items()},
        booked_reviews={k: tuple(v) for k, v in booked.items()},
        council_names=council_names, region_names=region_names, people_names=people_names, vocabulary=vocabulary,
    )  # fmt: skip


def _people(
    session: Session, regions: dict[int, RegionInfo]
) -> tuple[dict[int, PersonInfo], dict[int, int | None], dict[tuple[str, str], int], dict[int, tuple[PersonInfo, ...]]]:
    person_rows = _rows(session, Person)
    assignments = _rows(session, BrokerAssignment)
    covered: dict[int, list[str]] = defaultdict(list)
    for a in assignments:
        covered[a.person_id].append(regions[a.region_id].name)
    people = {
        p.id: PersonInfo(
            id=p.id, name=p.name, role=p.role, title=p.title, email=p.email, phone=p.phone,
            regions=tuple(sorted(covered[p.id])), starts_on=p.starts_on, slack_user_id=p.slack_user_id,
            teams_user_id=p.teams_user_id, access=p.access,
        )
        for p in person_rows
    }  # fmt: skip
    chat_ids: dict[tuple[str, str], int] = {}
    for p in person_rows:  # the first person with an id wins, as a query's `.first()` would
        if p.slack_user_id:
            chat_ids.setdefault(("slack", p.slack_user_id), p.id)
        if p.teams_user_id:
            chat_ids.setdefault(("teams", p.teams_user_id), p.id)
    by_region: dict[int, list[tuple[bool, str, int]]] = defaultdict(list)
    for a in assignments:
        by_region[a.region_id].append((not a.is_lead, people[a.person_id].name, a.person_id))
    brokers = {region: tuple(people[pid] for _, _, pid in sorted(rows)) for region, rows in by_region.items()}
    return people, {p.id: p.council_id for p in person_rows}, chat_ids, brokers


def _indexes(
    session: Session, council_rows: list[Any], regions: dict[int, RegionInfo], people: dict[int, PersonInfo]
) -> tuple[NameIndex[int], NameIndex[int], NameIndex[int], Vocabulary]:
    """The resolver's indexes: current councils' names first, so a name reused by a successor
    council means the current one; a person is also found by surname (never as the primary key).
    Councils go in newest row first within each group, the order the index had when it was read
    with `ORDER BY current DESC` on SQLite, so fuzzy suggestions that tie come out as they did."""
    councils: NameIndex[int] = NameIndex()
    current_names: dict[int, str] = {}
    for council in sorted(council_rows, key=lambda c: (not c.current, -c.id)):
        councils.add(council.name, council.id, primary=council.current)
        if council.current:
            current_names[council.id] = council.name
    for alias in _rows(session, CouncilAlias):
        councils.add(alias.alias, alias.council_id)
    region_names: NameIndex[int] = NameIndex()
    for region in regions.values():
        region_names.add(region.name, region.id)
    for region_alias in _rows(session, RegionAlias):
        region_names.add(region_alias.alias, region_alias.region_id)
    people_names: NameIndex[int] = NameIndex()
    for person in people.values():
        people_names.add(person.name, person.id)
        people_names.add(person.name.split()[-1], person.id, primary=False)
    vocabulary = Vocabulary(
        councils=councils.exact_keys(),
        councils_stripped=councils.keys(),
        regions=region_names.keys(),
        people=people_names.exact_keys(),
        current_names=current_names,
    )
    return councils, region_names, people_names, vocabulary
