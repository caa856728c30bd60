"""The roster: people, their roles and access, and the chat identities tied to them.

Every change is checked against the actor's access (`ActorDirectory.require_writer`) and audited
in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from rapidfuzz import fuzz, process
from sqlmodel import Session, col, select

from bot.core.errors import PermissionDenied
from bot.core.format import fmt_date
from bot.domain.dated_notes import dated_note
from bot.services.actors import ADMIN, BROKER, VIEWER, Actor, ActorDirectory
from bot.services.audit import AuditTrail, snapshot
from storage.db import Database
from storage.tables import AuditEntry, BrokerAssignment, Contact, Council, Person, Region


class Roster:
    def __init__(self, db: Database, actors: ActorDirectory) -> None:
        self.db = db
        self.actors = actors

    def people(self) -> list[PersonRow]:
        """Everyone on the roster, by name, with access and linked identities."""
        with self.db.session() as session:
            rows = session.exec(select(Person).order_by(Person.name)).all()
            regions = _regions_by_person(session)
            return [_person_row(p, regions.get(p.id or 0, ()), session) for p in rows]

    def contact_sources(self, topic: str | None = None) -> list[str]:
        """Where the contacts (of `topic`, or all) come from: "CIB bulletin 7, 4 November 2011", or
        "added through the bot" for contacts without a source; each source once."""
        with self.db.session() as session:
            statement = select(Contact)
            if topic:
                statement = statement.where(Contact.topic == topic)
            rows = session.exec(statement.order_by(col(Contact.id))).all()
            sources = [
                f"{c.source}, {fmt_date(c.source_date)}" if c.source and c.source_date
                else (c.source or "added through the bot")
                for c in rows
            ]
        return list(dict.fromkeys(sources))

    def add_person(
        self,
        actor: Actor,
        name: str,
        *,
        role: str,
        access: str | None = None,
        email: str = "",
        phone: str = "",
        region_id: int | None = None,
        title: str = "",
        council_id: int | None = None,
    ) -> PersonRow:
        """Add someone to the roster, audited: a broker may cover `region_id`; a director (or
        anyone else) may belong to `council_id`, which gives them "my council" and "our broker"."""
        self.actors.require_writer(actor, "add people to the roster")
        name = " ".join(name.split())
        role = role.strip().lower().replace("-", "_").replace(" ", "_")
        role = ROLE_WORDS.get(role, role)
        if role not in ROLES:
            raise ValueError(f"Role must be one of {', '.join(ROLES)}, not {role!r}.")
        access = (access or (BROKER if role.endswith("broker") else VIEWER)).lower()
        if access not in ACCESS_LEVELS:
            raise ValueError(f"Access must be one of {', '.join(ACCESS_LEVELS)}, not {access!r}.")
        if access == ADMIN and actor.access != ADMIN:
            raise PermissionDenied("Only an admin can make someone else an admin.")
        if not name:
            raise ValueError("A person needs a name.")
        if region_id is not None and not role.endswith("broker"):
            raise ValueError(
                "Only brokers cover regions. Give a director their council instead (--council NAME): "
                "their region follows from it."
            )
        batch = AuditTrail.new_batch()
        with self.db.session() as session:
            if _find_person(session, name) is not None:
                raise ValueError(f"{name} is already on the roster; use `people link` to add chat identities.")
            person = Person(
                name=name, role=role, title=title, email=email, phone=phone, access=access, council_id=council_id
            )
            session.add(person)
            AuditTrail.record(
                session, actor, batch=batch, action="person.add", subject_type="person", subject_key=name,
                summary=f"Added {name} ({role}, {access})", row=person, before=None,
            )  # fmt: skip
            if region_id is not None:
                assignment = BrokerAssignment(
                    person_id=person.id or 0, region_id=region_id, is_lead=role == "lead_broker"
                )
                session.add(assignment)
                AuditTrail.record(
                    session, actor, batch=batch, action="person.assign", subject_type="person", subject_key=name,
                    summary=f"{name} covers region {region_id}", row=assignment, before=None,
                )  # fmt: skip
            session.flush()
            regions = _regions_by_person(session)
            return _person_row(person, regions.get(person.id or 0, ()), session)

    def link(
        self, actor: Actor, name: str, *, slack_user: str | None = None, teams_user: str | None = None,
        teams_tenant: str | None = None,
    ) -> PersonRow:
        """Tie a roster person to their Slack and/or Teams user ids, audited. An id already tied
        to someone else is refused (unlink them first by linking that person to another id)."""
        self.actors.require_writer(actor, "link chat accounts to people")
        if not slack_user and not teams_user:
            raise ValueError("Give --slack-user ID and/or --teams-user ID.")
        with self.db.session() as session:
            person = _find_person(session, name)
            if person is None:
                names = list(session.exec(select(Person.name)).all())
                matches = process.extract(name, names, scorer=fuzz.WRatio, limit=3)
                close = [match for match, score, _index in matches if score > 60]
                hint = f" Did you mean {' or '.join(close)}?" if close else ""
                raise ValueError(f"Nobody called “{name}” is on the roster.{hint} Add them with `people add`.")
            for column, value in ((Person.slack_user_id, slack_user), (Person.teams_user_id, teams_user)):
                if value:
                    other = session.exec(select(Person).where(column == value).where(Person.id != person.id)).first()
                    if other is not None:
                        raise ValueError(f"{value} is already linked to {other.name}.")
            before = snapshot(person)
            if slack_user:
                person.set_account_id("slack", slack_user.strip())
            if teams_user:
                person.set_account_id("teams", teams_user.strip(), (teams_tenant or "").strip())
            session.add(person)
            ids = ", ".join(f"{p} {v}" for p, v in (("Slack", slack_user), ("Teams", teams_user)) if v)
            AuditTrail.record(
                session, actor, batch=AuditTrail.new_batch(), action="person.link", subject_type="person",
                subject_key=person.name, summary=f"Linked {person.name} to {ids}", row=person, before=before,
            )  # fmt: skip
            regions = _regions_by_person(session)
            return _person_row(person, regions.get(person.id or 0, ()), session)


ROLES = ("lead_broker", "associate_broker", "central_contact", "director")
ROLE_WORDS = {"broker": "lead_broker", "lead": "lead_broker", "associate": "associate_broker",
              "contact": "central_contact", "dcs": "director"}  # fmt: skip
ACCESS_LEVELS = (ADMIN, BROKER, VIEWER)


@dataclass(frozen=True)
class PersonRow:
    name: str
    role: str
    access: str
    email: str
    phone: str
    slack_user_id: str | None
    teams_user_id: str | None
    regions: tuple[str, ...]
    title: str = ""
    teams_tenant_id: str | None = None
    council: str | None = None
    provenance: str = ""  # "CIB bulletin 7, 4 November 2011; changed by Jo Admin via slack on 24 November 2026"


def _find_person(session: Session, name: str) -> Person | None:
    wanted = " ".join(name.split()).casefold()
    for person in session.exec(select(Person)).all():
        if person.name.casefold() == wanted:
            return person
    return None


def _regions_by_person(session: Session) -> dict[int, tuple[str, ...]]:
    result: dict[int, list[str]] = {}
    rows = session.exec(
        select(BrokerAssignment.person_id, Region.name)
        .join(Region, col(Region.id) == BrokerAssignment.region_id)
        .order_by(Region.name)
    ).all()
    for person_id, region_name in rows:
        result.setdefault(person_id, []).append(region_name)
    return {k: tuple(v) for k, v in result.items()}


def provenance(session: Session, person: Person) -> str:
    """Where the entry comes from ("CIB bulletin 7, 4 November 2011", or who added it through the
    bot and when), then who last changed it through the bot and when. An entry with neither (a
    database seeded before sources were kept) says so rather than guess."""
    entries = session.exec(
        select(AuditEntry)
        .where(AuditEntry.subject_type == "person")
        .where(AuditEntry.subject_key == person.name)
        .where(col(AuditEntry.undone_at).is_(None))
        .order_by(col(AuditEntry.at), col(AuditEntry.id))
    ).all()
    added = next((e for e in entries if e.action == "person.add"), None)
    if person.source:
        source = person.source + (f", {fmt_date(person.source_date)}" if person.source_date else "")
    elif added is not None:
        source = f"added by {_who_when(added)}"
    else:
        source = "source not recorded"
    changes = [e for e in entries if e.action not in {"person.add", "person.assign"}]
    return f"{source}; changed by {_who_when(changes[-1])}" if changes else source


def _who_when(entry: AuditEntry) -> str:
    at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=UTC)
    who = entry.actor_name or f"{entry.actor_platform}:{entry.actor_id}"
    return f"{who} via {entry.actor_platform} on {fmt_date(at.date())}"


def _person_row(person: Person, regions: tuple[str, ...], session: Session) -> PersonRow:
    council = session.get(Council, person.council_id) if person.council_id is not None else None
    return PersonRow(
        title=dated_note(person.title, person.source_date),
        teams_tenant_id=person.teams_tenant_id,
        council=council.name if council is not None else None,
        provenance=provenance(session, person),
        name=person.name,
        role=person.role,
        access=person.access,
        email=person.email,
        phone=person.phone,
        slack_user_id=person.slack_user_id,
        teams_user_id=person.teams_user_id,
        regions=regions,
    )
