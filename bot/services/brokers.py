"""Who covers what: brokers by region, council or person, and the contacts directory, answered
from the reference data in memory (`ReferenceCache`)."""

from __future__ import annotations

from sqlalchemy.exc import NoResultFound

from bot.services.reference_cache import ReferenceCache
from bot.services.values import ContactInfo, PersonInfo, RegionBrokers
from storage.db import Database


class BrokerService:
    def __init__(self, db: Database, reference: ReferenceCache) -> None:
        self.db = db
        self.reference = reference

    def by_region(self, region_id: int | None = None) -> list[RegionBrokers]:
        """Every region (or one) with its brokers and number of current councils."""
        data = self.reference.current()
        return [
            RegionBrokers(
                region=region,
                brokers=data.brokers.get(region.id, ()),
                council_count=data.council_counts.get(region.id, 0),
            )
            for region in data.regions_by_name()
            if region_id is None or region.id == region_id
        ]

    def person(self, person_id: int) -> PersonInfo:
        person = self.reference.current().people.get(person_id)
        if person is None:
            raise NoResultFound(f"No person with id {person_id}")
        return person

    def contacts(self, topic: str | None = None) -> list[ContactInfo]:
        return [c for c in self.reference.current().contacts if not topic or c.topic == topic]
