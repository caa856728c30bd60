"""Reads of the reference directory: regions, councils, people, answered from the reference data in
memory; and the helpers other services use to turn ORM rows into the same plain values."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import TypeVar

from sqlalchemy.exc import NoResultFound
from sqlmodel import Session, col, func, select

from bot.services.reference_cache import ReferenceCache
from bot.services.reference_data import Vocabulary
from bot.services.resolver import Resolution
from bot.services.values import CouncilInfo, PersonInfo, RegionInfo
from storage.db import Database
from storage.tables import (
    BrokerAssignment,
    Council,
    CouncilSuccession,
    Person,
    Region,
)

V = TypeVar("V")

__all__ = ["Directory", "Vocabulary", "brokers_by_region", "council_counts_by_region", "council_info",
           "person_info", "region_info"]


class Directory:
    """Name resolution and plain values for regions, councils and people, answered from the
    reference data in memory (`ReferenceCache`: current as of this answer's unit of work)."""

    def __init__(self, db: Database, reference: ReferenceCache) -> None:
        self.db = db
        self.reference = reference

    def invalidate(self) -> None:
        """Drop the in-memory reference data (the version check already catches every write)."""
        self.reference.invalidate()

    def resolve_council(self, text: str) -> Resolution[int]:
        return self.reference.current().council_names.resolve(text)

    def resolve_region(self, text: str) -> Resolution[int]:
        return self.reference.current().region_names.resolve(text)

    def resolve_person(self, text: str) -> Resolution[int]:
        return self.reference.current().people_names.resolve(text)

    def vocabulary(self) -> Vocabulary:
        """Every normalised council, region and person name and alias -> id, for scanning free
        text for mentions. The same object while the reference data is unchanged, so the NL
        spotter can tell at a glance whether to rebuild its n-gram index."""
        return self.reference.current().vocabulary

    def linked_council_for_user(self, platform: str, user_id: str) -> CouncilInfo | None:
        """The council a chat user is linked to (a director's `Person.council_id`), if any."""
        data = self.reference.current()
        person_id = data.people_by_chat_id.get((chat_platform(platform), user_id))
        council_id = data.person_council.get(person_id) if person_id is not None else None
        return data.councils[council_id] if council_id is not None else None

    # --- plain values -------------------------------------------------------------------

    def region(self, region_id: int) -> RegionInfo:
        return _known(self.reference.current().regions, region_id, "region")

    def regions(self) -> list[RegionInfo]:
        return self.reference.current().regions_by_name()

    def council(self, council_id: int) -> CouncilInfo:
        return _known(self.reference.current().councils, council_id, "council")

    def councils(self, ids: list[int] | tuple[int, ...]) -> list[CouncilInfo]:
        councils = self.reference.current().councils
        return [_known(councils, i, "council") for i in ids]

    def person(self, person_id: int) -> PersonInfo:
        return _known(self.reference.current().people, person_id, "person")

    def people(self, ids: list[int] | tuple[int, ...]) -> list[PersonInfo]:
        people = self.reference.current().people
        return [_known(people, i, "person") for i in ids]

    def person_for_user(self, platform: str, user_id: str) -> PersonInfo | None:
        data = self.reference.current()
        person_id = data.people_by_chat_id.get((chat_platform(platform), user_id))
        return data.people[person_id] if person_id is not None else None


def chat_platform(platform: str) -> str:
    """Which chat identity column a platform's user ids are kept in (anything not Slack is Teams's)."""
    return "slack" if platform == "slack" else "teams"


def _known(values: Mapping[int, V], key: int, kind: str) -> V:
    """`values[key]`, or the error a database `get_one` raises for a missing row."""
    try:
        return values[key]
    except KeyError:
        raise NoResultFound(f"No {kind} with id {key}") from None


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
