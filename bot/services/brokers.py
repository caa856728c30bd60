"""Who covers what: brokers by region, council or person, and the contacts directory."""

from __future__ import annotations

from sqlmodel import select

from bot.services.directory import brokers_by_region, council_counts_by_region, person_info, region_info
from bot.services.values import ContactInfo, PersonInfo, RegionBrokers
from storage.db import Database
from storage.tables import Contact, Person, Region


class BrokerService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def by_region(self, region_id: int | None = None) -> list[RegionBrokers]:
        """Every region (or one) with its brokers and number of current councils."""
        with self.db.session() as session:
            statement = select(Region).order_by(Region.name)
            if region_id is not None:
                statement = statement.where(Region.id == region_id)
            regions = session.exec(statement).all()
            brokers = brokers_by_region(session)
            counts = council_counts_by_region(session)
            return [
                RegionBrokers(
                    region=region_info(r),
                    brokers=tuple(brokers.get(r.id or 0, [])),
                    council_count=counts.get(r.id or 0, 0),
                )
                for r in regions
            ]

    def person(self, person_id: int) -> PersonInfo:
        with self.db.session() as session:
            return person_info(session, session.get_one(Person, person_id))

    def contacts(self, topic: str | None = None) -> list[ContactInfo]:
        with self.db.session() as session:
            statement = select(Contact, Person).join(Person, Person.id == Contact.person_id)  # type: ignore[arg-type]
            if topic:
                statement = statement.where(Contact.topic == topic)
            rows = session.exec(statement.order_by(Contact.topic, Person.name)).all()
            return [
                ContactInfo(topic=c.topic, person=person_info(session, p), note=c.note)
                for c, p in rows
            ]
