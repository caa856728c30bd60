"""Reads of the reference directory: regions, councils, people. The one place that builds the
name indexes and turns ORM rows into plain values."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from threading import Lock

from sqlmodel import Session, col, func, select

from bot.services.resolver import NameIndex, Resolution
from bot.services.values import CouncilInfo, PersonInfo, RegionInfo
from storage.db import Database
from storage.tables import (
    BrokerAssignment,
    Council,
    CouncilAlias,
    CouncilSuccession,
    Person,
    Region,
    RegionAlias,
)


@dataclass(frozen=True)
class Vocabulary:
    """Normalised names and aliases -> ids, as the resolver knows them."""

    councils: dict[str, int]
    councils_stripped: dict[str, int]
    regions: dict[str, int]
    people: dict[str, int]
    current_names: dict[int, str]  # current council id -> its name (for names shared by several)


class Directory:
    """Cached name indexes over councils, regions and people; rebuilt by :meth:`invalidate`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = Lock()
        self._councils: NameIndex[int] | None = None
        self._regions: NameIndex[int] | None = None
        self._people: NameIndex[int] | None = None
        self._current_names: dict[int, str] = {}

    def invalidate(self) -> None:
        with self._lock:
            self._councils = self._regions = self._people = None

    def _build(self) -> None:
        with self._lock:
            if self._councils is not None:
                return
            councils: NameIndex[int] = NameIndex()
            regions: NameIndex[int] = NameIndex()
            people: NameIndex[int] = NameIndex()
            current_names: dict[int, str] = {}
            with self.db.session() as session:
                rows = session.exec(select(Council).order_by(Council.current.desc())).all()  # type: ignore[attr-defined]
                for council in rows:
                    assert council.id is not None
                    councils.add(council.name, council.id, primary=council.current)
                    if council.current:
                        current_names[council.id] = council.name
                for alias in session.exec(select(CouncilAlias)).all():
                    councils.add(alias.alias, alias.council_id)
                for region in session.exec(select(Region)).all():
                    assert region.id is not None
                    regions.add(region.name, region.id)
                for region_alias in session.exec(select(RegionAlias)).all():
                    regions.add(region_alias.alias, region_alias.region_id)
                for person in session.exec(select(Person)).all():
                    assert person.id is not None
                    people.add(person.name, person.id)
                    people.add(person.name.split()[-1], person.id, primary=False)
            self._councils, self._regions, self._people = councils, regions, people
            self._current_names = current_names

    def resolve_council(self, text: str) -> Resolution[int]:
        self._build()
        assert self._councils is not None
        return self._councils.resolve(text)

    def resolve_region(self, text: str) -> Resolution[int]:
        self._build()
        assert self._regions is not None
        return self._regions.resolve(text)

    def resolve_person(self, text: str) -> Resolution[int]:
        self._build()
        assert self._people is not None
        return self._people.resolve(text)

    def vocabulary(self) -> Vocabulary:
        """Every normalised council, region and person name and alias -> id, for scanning free
        text for mentions (the NL engine precomputes its n-gram index from this once)."""
        self._build()
        assert self._councils is not None and self._regions is not None and self._people is not None
        return Vocabulary(
            councils=self._councils.exact_keys(),
            councils_stripped=self._councils.keys(),
            regions=self._regions.keys(),
            people=self._people.exact_keys(),
            current_names=dict(self._current_names),
        )

    def linked_council_for_user(self, platform: str, user_id: str) -> CouncilInfo | None:
        """The council a chat user is linked to (a director's `Person.council_id`), if any."""
        column = Person.slack_user_id if platform == "slack" else Person.teams_user_id
        with self.db.session() as session:
            person = session.exec(select(Person).where(column == user_id)).first()
            if person is None or person.council_id is None:
                return None
            return council_info(session, session.get_one(Council, person.council_id))

    # --- plain values -------------------------------------------------------------------

    def region(self, region_id: int) -> RegionInfo:
        with self.db.session() as session:
            return region_info(session.get_one(Region, region_id))

    def regions(self) -> list[RegionInfo]:
        with self.db.session() as session:
            return [region_info(r) for r in session.exec(select(Region).order_by(Region.name)).all()]

    def council(self, council_id: int) -> CouncilInfo:
        with self.db.session() as session:
            return council_info(session, session.get_one(Council, council_id))

    def councils(self, ids: list[int] | tuple[int, ...]) -> list[CouncilInfo]:
        with self.db.session() as session:
            return [council_info(session, session.get_one(Council, i)) for i in ids]

    def person(self, person_id: int) -> PersonInfo:
        with self.db.session() as session:
            return person_info(session, session.get_one(Person, person_id))

    def people(self, ids: list[int] | tuple[int, ...]) -> list[PersonInfo]:
        with self.db.session() as session:
            return [person_info(session, session.get_one(Person, i)) for i in ids]

    def person_for_user(self, platform: str, user_id: str) -> PersonInfo | None:
        column = Person.slack_user_id if platform == "slack" else Person.teams_user_id
        with self.db.session() as session:
            person = session.exec(select(Person).where(column == user_id)).first()
            return person_info(session, person) if person else None


def region_info(region: Region) -> RegionInfo:
    assert region.id is not None
    return RegionInfo(id=region.id, code=region.code, name=region.name)


def council_info(session: Session, council: Council) -> CouncilInfo:
    assert council.id is not None
    predecessors = session.exec(
        select(Council.name)
        .join(CouncilSuccession, CouncilSuccession.predecessor_id == Council.id)  # type: ignore[arg-type]
        .where(CouncilSuccession.successor_id == council.id)
        .order_by(Council.name)
    ).all()
    successors = session.exec(
        select(Council.name)
        .join(CouncilSuccession, CouncilSuccession.successor_id == Council.id)  # type: ignore[arg-type]
        .where(CouncilSuccession.predecessor_id == council.id)
        .order_by(Council.name)
    ).all()
    return CouncilInfo(
        id=council.id,
        name=council.name,
        la_type=council.la_type,
        region=region_info(session.get_one(Region, council.region_id)),
        dfe_code=council.dfe_code,
        ons_code=council.ons_code,
        current=council.current,
        first_year=council.first_year,
        last_year=council.last_year,
        population_0_17=council.population_0_17,
        predecessors=tuple(dict.fromkeys(predecessors)),
        successors=tuple(dict.fromkeys(successors)),
    )


def person_info(session: Session, person: Person) -> PersonInfo:
    assert person.id is not None
    regions = session.exec(
        select(Region.name)
        .join(BrokerAssignment, BrokerAssignment.region_id == Region.id)  # type: ignore[arg-type]
        .where(BrokerAssignment.person_id == person.id)
        .order_by(Region.name)
    ).all()
    return PersonInfo(
        id=person.id,
        name=person.name,
        role=person.role,
        title=person.title,
        email=person.email,
        phone=person.phone,
        regions=tuple(regions),
        starts_on=person.starts_on,
        slack_user_id=person.slack_user_id,
        teams_user_id=person.teams_user_id,
        access=person.access,
    )


def council_counts_by_region(session: Session) -> dict[int, int]:
    """Region id -> number of current councils."""
    rows = session.exec(
        select(Council.region_id, func.count())
        .where(Council.current == True)  # noqa: E712
        .group_by(col(Council.region_id))
    ).all()
    return dict(rows)


def brokers_by_region(session: Session) -> dict[int, list[PersonInfo]]:
    """Region id -> its brokers (lead first), in one pass."""
    result: dict[int, list[PersonInfo]] = defaultdict(list)
    rows = session.exec(
        select(BrokerAssignment, Person)
        .join(Person, Person.id == BrokerAssignment.person_id)  # type: ignore[arg-type]
        .order_by(BrokerAssignment.is_lead.desc(), Person.name)  # type: ignore[attr-defined]
    ).all()
    for assignment, person in rows:
        result[assignment.region_id].append(person_info(session, person))
    return result
