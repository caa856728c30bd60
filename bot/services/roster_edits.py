"""Administration of the roster from chat: link and unlink chat identities, set roles, access and
councils, edit contacts, remove people.

Admins only (`BOT_ADMINS` or the admin role). Every change is audited in one batch, so the admin's
`/undo` reverts it; what is hard to take back (an unlink, a lower access level, removing someone)
raises NeedsConfirmation unless `confirmed`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlmodel import Session, col, select

from bot.core.errors import AlreadyDone, BrokerError, NeedsConfirmation, NotFound
from bot.services.actors import ADMIN, BROKER, VIEWER, Actor, ActorDirectory
from bot.services.audit import AuditTrail, snapshot
from bot.services.identities import Identities, platform_name
from bot.services.roster import ACCESS_LEVELS, ROLE_WORDS, ROLES
from storage.db import Database
from storage.tables import BrokerAssignment, Contact, Council, PeerReviewTeamMember, Person

ACCESS_RANK = {VIEWER: 0, BROKER: 1, ADMIN: 2}
EMAIL = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+")
PHONE = re.compile(r"\+?[0-9][0-9 ()-]{5,30}")
CONTACT_FIELDS = ("email", "phone", "title")


class BadInput(BrokerError):
    """Input the command cannot use (an unknown role, a malformed email): said, nothing changed."""


@dataclass(frozen=True)
class Change:
    """What a chat administration command did, for its reply."""

    person: str
    summary: str


def normalise_role(text: str) -> str:
    role = text.strip().lower().replace("-", "_").replace(" ", "_")
    role = ROLE_WORDS.get(role, role)
    if role not in ROLES:
        raise BadInput(f"A role is one of {', '.join(ROLES)}; “{text}” is not.")
    return role


def default_access(role: str) -> str:
    return BROKER if role.endswith("broker") else VIEWER


class RosterEdits:
    def __init__(self, db: Database, actors: ActorDirectory, identities: Identities) -> None:
        self.db = db
        self.actors = actors
        self.identities = identities

    # --- names ------------------------------------------------------------------------------

    def split_name(self, text: str) -> tuple[str, str]:
        """`Paul Curran @U123` -> ("Paul Curran", "@U123"): the longest run of leading words that
        is a roster name (or everything before a comma). NotFound, with the nearest names, else."""
        text = " ".join(text.split())
        if "," in text:
            head, _, rest = text.partition(",")
            return self._known(head.strip()), rest.strip()
        with self.db.session() as session:
            names = {n.casefold(): n for n in session.exec(select(Person.name)).all()}
        words = text.split(" ")
        for end in range(len(words), 0, -1):
            found = names.get(" ".join(words[:end]).casefold())
            if found is not None:
                return found, " ".join(words[end:])
        raise self._unknown(text, list(names.values()))

    def _known(self, name: str) -> str:
        with self.db.session() as session:
            names = list(session.exec(select(Person.name)).all())
        for known in names:
            if known.casefold() == name.casefold():
                return known
        raise self._unknown(name, names)

    @staticmethod
    def _unknown(text: str, names: list[str]) -> NotFound:
        matches = process.extract(text, names, scorer=fuzz.WRatio, limit=3)
        close = [match for match, score, _index in matches if score > 70]
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        return NotFound(f"Nobody called “{text}” is on the roster.{hint} Add them with `/people add NAME, ROLE`.",
                        query=text)

    # --- identities -------------------------------------------------------------------------

    def link(self, actor: Actor, name: str, platform: str, user_id: str, tenant: str = "") -> Change:
        """Tie `name` to a chat user id on `platform` (a mention the admin made there)."""
        self.actors.require_admin(actor, "link chat accounts to people")
        column = Person.account_id_column(platform)
        with self.db.session() as session:
            person = _person(session, name)
            other = session.exec(select(Person).where(column == user_id).where(Person.id != person.id)).first()
            if other is not None:
                raise BadInput(f"That {platform_name(platform)} account is linked to {other.name}; "
                               f"unlink them first with `/people unlink {other.name} {platform}`.")
            if person.account_id(platform) == user_id:
                raise AlreadyDone(f"{person.name} is already linked to that {platform_name(platform)} account.")
            before = snapshot(person)
            person.set_account_id(platform, user_id, tenant)
            summary = f"Linked {person.name} to {platform_name(platform)} {user_id}"
            self._record(session, actor, person, before, "person.link", summary)
            self.identities.forget(session, platform, user_id, unlinked=False)
            return Change(person.name, summary)

    def unlink(self, actor: Actor, name: str, platform: str | None, *, confirmed: bool) -> Change:
        """Untie `name` from their Slack and/or Teams account; asks first. Unlinked users are not
        linked again by email until an admin links them."""
        self.actors.require_admin(actor, "unlink chat accounts")
        with self.db.session() as session:
            person = _person(session, name)
            platforms = [p for p in ("slack", "teams") if (platform in (None, p)) and person.account_id(p)]
            if not platforms:
                where = platform_name(platform) + " " if platform else ""
                raise AlreadyDone(f"{person.name} has no {where}chat account linked.")
            ids = ", ".join(f"{platform_name(p)} {person.account_id(p)}" for p in platforms)
            if not confirmed:
                raise NeedsConfirmation(f"Unlink {person.name} from {ids}? They can no longer write as "
                                        f"{person.name} until an admin links them again.",
                                        concern=f"unlinking {ids}")
            before = snapshot(person)
            for p in platforms:
                self.identities.forget(session, p, person.account_id(p) or "", unlinked=True)
                person.set_account_id(p, None)
            summary = f"Unlinked {person.name} from {ids}"
            self._record(session, actor, person, before, "person.unlink", summary)
            return Change(person.name, summary)

    # --- role, access, council, contact -------------------------------------------------------

    def set_role(self, actor: Actor, name: str, role_text: str, *, confirmed: bool) -> Change:
        """A new role; access follows it (brokers write, others read) unless they are an admin.
        Someone who stops being a broker stops covering their regions. Asks when access drops."""
        self.actors.require_admin(actor, "change roles")
        role = normalise_role(role_text)
        with self.db.session() as session:
            person = _person(session, name)
            if person.role == role:
                raise AlreadyDone(f"{person.name} is already {role.replace('_', ' ')}.")
            access = person.access if person.access == ADMIN else default_access(role)
            assignments = [] if role.endswith("broker") else list(
                session.exec(select(BrokerAssignment).where(BrokerAssignment.person_id == person.id)).all()
            )
            lower = ACCESS_RANK[access] < ACCESS_RANK.get(person.access, 0)
            if (lower or assignments) and not confirmed:
                what = [f"access drops from {person.access} to {access}"] if lower else []
                what += ["they stop covering their regions"] if assignments else []
                raise NeedsConfirmation(f"Make {person.name} {role.replace('_', ' ')}? " + " and ".join(what) + ".",
                                        concern=" and ".join(what))
            batch = AuditTrail.new_batch()
            for assignment in assignments:
                AuditTrail.record(session, actor, batch=batch, action="person.unassign", subject_type="person",
                                  subject_key=person.name, summary=f"{person.name} no longer covers a region",
                                  row=assignment, before=snapshot(assignment), deleted=True)
                session.delete(assignment)
            before = snapshot(person)
            person.role, person.access = role, access
            summary = f"{person.name} is now {role.replace('_', ' ')} ({access})"
            self._record(session, actor, person, before, "person.role", summary, batch=batch)
            return Change(person.name, summary)

    def set_access(self, actor: Actor, name: str, level: str, *, confirmed: bool) -> Change:
        self.actors.require_admin(actor, "change access")
        level = level.strip().lower()
        if level not in ACCESS_LEVELS:
            raise BadInput(f"Access is one of {', '.join(ACCESS_LEVELS)}; “{level}” is not.")
        with self.db.session() as session:
            person = _person(session, name)
            if person.access == level:
                raise AlreadyDone(f"{person.name} already has {level} access.")
            if ACCESS_RANK[level] < ACCESS_RANK.get(person.access, 0) and not confirmed:
                raise NeedsConfirmation(f"Lower {person.name}'s access from {person.access} to {level}?",
                                        concern=f"access drops from {person.access} to {level}")
            before = snapshot(person)
            person.access = level
            summary = f"{person.name} now has {level} access"
            self._record(session, actor, person, before, "person.access", summary)
            return Change(person.name, summary)

    def set_council(self, actor: Actor, name: str, council_id: int | None) -> Change:
        """The council someone works for (a director's council is what makes them "our DCS")."""
        self.actors.require_admin(actor, "set people's councils")
        with self.db.session() as session:
            person = _person(session, name)
            if person.council_id == council_id:
                raise AlreadyDone(f"{person.name}'s council is already set to that.")
            council = session.get(Council, council_id) if council_id is not None else None
            before = snapshot(person)
            person.council_id = council_id
            summary = f"{person.name} works for {council.name}" if council else f"{person.name} has no council"
            self._record(session, actor, person, before, "person.council", summary)
            return Change(person.name, summary)

    def set_contact(self, actor: Actor, name: str, field: str, value: str) -> Change:
        """Email, phone or title; an empty value clears it. A new email also lets its owner be
        linked by email the next time they write."""
        self.actors.require_admin(actor, "edit contact details")
        value = " ".join(value.split())
        if field not in CONTACT_FIELDS:
            raise BadInput(f"Contact details are {', '.join(CONTACT_FIELDS)}.")
        if field == "email" and value and not EMAIL.fullmatch(value):
            raise BadInput(f"“{value}” is not an email address (name@example.org).")
        if field == "phone" and value and not PHONE.fullmatch(value):
            raise BadInput(f"“{value}” is not a phone number (digits, spaces, +, brackets and dashes).")
        if len(value) > (256 if field != "phone" else 64):
            raise BadInput(f"That {field} is too long.")
        with self.db.session() as session:
            person = _person(session, name)
            if field == "email" and value:
                other = next((p for p in session.exec(select(Person).where(Person.id != person.id)).all()
                              if p.email.casefold() == value.casefold()), None)
                if other is not None:
                    raise BadInput(f"{value} is {other.name}'s email on the roster.")
            if getattr(person, field) == value:
                raise AlreadyDone(f"{person.name}'s {field} is already {value or 'empty'}.")
            before = snapshot(person)
            setattr(person, field, value)
            summary = f"{person.name}'s {field}: {value or 'cleared'}"
            self._record(session, actor, person, before, f"person.{field}", summary)
            return Change(person.name, summary)

    def remove(self, actor: Actor, name: str, *, confirmed: bool) -> Change:
        """Take someone off the roster, with their regions and contact topics; asks first."""
        self.actors.require_admin(actor, "remove people from the roster")
        with self.db.session() as session:
            person = _person(session, name)
            if person.id == actor.person_id:
                raise BadInput("You cannot remove yourself; ask another admin.")
            reviews = session.exec(
                select(PeerReviewTeamMember).where(PeerReviewTeamMember.person_id == person.id)
            ).first()
            if reviews is not None:
                raise BadInput(f"{person.name} is on a peer review team; take them off it first.")
            assignments = list(session.exec(select(BrokerAssignment).where(BrokerAssignment.person_id == person.id)))
            contacts = list(session.exec(select(Contact).where(Contact.person_id == person.id)))
            if not confirmed:
                extra = []
                if assignments:
                    extra.append(f"{len(assignments)} region(s) they cover")
                if contacts:
                    extra.append(f"{len(contacts)} contact topic(s)")
                also = f" (with {' and '.join(extra)})" if extra else ""
                raise NeedsConfirmation(f"Remove {person.name} from the roster{also}?",
                                        concern=f"removing {person.name}")
            batch = AuditTrail.new_batch()
            summary = f"Removed {person.name} from the roster"
            for row in [*assignments, *contacts]:
                AuditTrail.record(session, actor, batch=batch, action="person.remove", subject_type="person",
                                  subject_key=person.name, summary=summary, row=row, before=snapshot(row),
                                  deleted=True)
                session.delete(row)
            session.flush()
            AuditTrail.record(session, actor, batch=batch, action="person.remove", subject_type="person",
                              subject_key=person.name, summary=summary, row=person, before=snapshot(person),
                              deleted=True)
            session.delete(person)
            return Change(person.name, summary)

    @staticmethod
    def _record(session: Session, actor: Actor, person: Person, before: dict[str, object], action: str,
                summary: str, *, batch: str | None = None) -> None:
        session.add(person)
        AuditTrail.record(session, actor, batch=batch or AuditTrail.new_batch(), action=action,
                          subject_type="person", subject_key=person.name, summary=summary, row=person,
                          before=before)


def _person(session: Session, name: str) -> Person:
    for person in session.exec(select(Person).order_by(col(Person.id))).all():
        if person.name.casefold() == name.casefold():
            return person
    raise NotFound(f"Nobody called “{name}” is on the roster.", query=name)
