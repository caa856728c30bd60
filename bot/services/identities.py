"""People known by email: an unlinked chat user whose verified email is on the roster is linked
to that person the first time they write, with no operator step.

The platform tells us the email (Slack `users.info` with `users:read.email`; Teams' conversation
member lookup: email or userPrincipalName) through the :class:`EmailLookup` port, which the
adapters implement and the wiring point hands over. Asking costs a network round trip, so:

- linked users are never looked up;
- the answer is kept in `chatidentitycheck`: a miss is not asked again for `MISS_TTL` (a failure
  or timeout for `FAILURE_TTL`), but an email seen earlier is matched against the roster again on
  every message, so adding someone's email links them on their next message without asking again;
- the lookup never runs inside a database unit of work (on SQLite that holds the write lock): the
  router calls :meth:`Identities.recognise` before opening its unit;
- a failed or slow lookup (over `timeout` seconds) leaves the user a reader; it is never an error.

A link is audited (actor "the bot, by email match") and leaves a one-time notice ("You are linked
as Paul Curran, lead broker for London.") that the router puts in front of the user's next reply.
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import Row, bindparam
from sqlmodel import Session, col, func, select

from bot.core.message import UserRef
from bot.services.actors import ADMIN, Actor
from bot.services.audit import AuditTrail, snapshot
from storage.db import Database
from storage.tables import BrokerAssignment, ChatIdentityCheck, Council, Person, Region

log = logging.getLogger(__name__)

MISS_TTL = timedelta(hours=6)
FAILURE_TTL = timedelta(minutes=10)
LOOKUP_SECONDS = 3.0
LINKED, NO_MATCH, NO_EMAIL, FAILED, UNLINKED = "linked", "no_match", "no_email", "failed", "unlinked"
EMAIL_MATCH_ACTOR_ID = "email-match"
EMAIL_MATCH_NAME = "the bot, by email match"
ACCOUNT_MATCH_NAME = "the bot, by Teams account"


@dataclass(frozen=True)
class ChatProfile:
    """What a platform says about a user: their verified email (None: none to give) and any other
    ids it knows them by (Teams: the Bot Framework id `29:...` that mentions carry)."""

    email: str | None
    other_ids: tuple[str, ...] = ()


class EmailLookup(Protocol):
    """A platform's answer to "what is this user's verified email?". Raises on failure (no scope,
    unreachable): the caller treats that as "not now"."""

    def profile_of(self, user: UserRef, conversation: str) -> ChatProfile | None: ...


class Identities:
    def __init__(self, db: Database, *, timeout: float = LOOKUP_SECONDS,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.db = db
        self.timeout = timeout
        self.clock = clock
        # Platform -> lookup; bot.bootstrap fills it for the platforms that are configured.
        self.lookups: Mapping[str, EmailLookup] = {}
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="email-lookup")

    def recognise(self, user: UserRef, conversation: str = "") -> str | None:
        """Link `user` to the roster person with their email, if there is one; the person's name
        when a link was made now. Never raises: any failure leaves them unlinked (a reader)."""
        lookup = self.lookups.get(user.platform)
        if lookup is None or not user.id:
            return None
        if self.db.in_unit_of_work:
            # Inside a transaction (the Slack inbox's, which already recognised the user before
            # opening it) nothing here may wait: not on the network, nor on a second write lock.
            return None
        try:
            return self._recognise(lookup, user, conversation)
        except Exception:
            log.exception("Could not recognise %s:%s by email", user.platform, user.id)
            return None

    def _recognise(self, lookup: EmailLookup, user: UserRef, conversation: str) -> str | None:
        now = self.clock()
        with self.db.session() as session:
            if _is_linked(session, user):
                return None
            check = _check_summary(session, user)
            if check is not None:
                if check.outcome == UNLINKED:
                    return None  # an admin unlinked them: only an admin links them again
                fresh = now - _aware(check.checked_at) < (FAILURE_TTL if check.outcome == FAILED else MISS_TTL)
                if fresh:
                    if check.email and _person_with_email(session, check.email) is not None:
                        email = check.email  # their email was added to the roster since: no need to ask
                    else:
                        return None
                else:
                    email = ""
            else:
                email = ""
        if not email:
            profile, outcome = self._ask(lookup, user, conversation)
            if profile is not None and profile.other_ids:
                rekeyed = self._link_by_other_id(user, profile.other_ids)
                if rekeyed is not None:
                    return rekeyed
            email = (profile.email or "").strip() if profile is not None else ""
            if not email:
                self._remember(user, email, outcome)
                return None
        return self._link_by_email(user, email)

    def _ask(self, lookup: EmailLookup, user: UserRef, conversation: str) -> tuple[ChatProfile | None, str]:
        future = self._pool.submit(lookup.profile_of, user, conversation)
        try:
            profile = future.result(timeout=self.timeout)
        except concurrent.futures.TimeoutError:
            log.warning("Email lookup for %s:%s took over %.1fs; treated as a reader", user.platform, user.id,
                        self.timeout)
            return None, FAILED
        except Exception as exc:
            log.warning("Email lookup for %s:%s failed: %s", user.platform, user.id, exc)
            return None, FAILED
        return profile, (NO_MATCH if profile is not None and profile.email else NO_EMAIL)

    def _link_by_other_id(self, user: UserRef, other_ids: tuple[str, ...]) -> str | None:
        """An admin linked this user by a Teams mention, which names them by their Bot Framework
        id; the bot knows them by their Entra object id: the link moves to that, audited."""
        column = Person.account_id_column(user.platform)
        with self.db.write_transaction() as session:
            person = session.exec(select(Person).where(col(column).in_(other_ids))).first()
            if person is None:
                return None
            before = snapshot(person)
            old = person.teams_user_id
            person.set_account_id(user.platform, user.id, user.workspace or person.teams_tenant_id)
            session.add(person)
            actor = Actor(user.platform, EMAIL_MATCH_ACTOR_ID, ACCOUNT_MATCH_NAME, ADMIN)
            AuditTrail.record(
                session, actor, batch=AuditTrail.new_batch(), action="person.link", subject_type="person",
                subject_key=person.name, row=person, before=before,
                summary=f"Linked {person.name} to Teams {user.id} (the account linked as {old})",
            )  # fmt: skip
            self._remember(user, "", LINKED, session=session)
            return person.name

    def _remember(self, user: UserRef, email: str, outcome: str, notice: str = "",
                  session: Session | None = None) -> None:
        def write(session: Session) -> None:
            check = _check_of(session, user) or ChatIdentityCheck(
                platform=user.platform, user_id=user.id, outcome=outcome
            )
            check.workspace = user.workspace
            check.email = email
            check.outcome = outcome
            check.checked_at = self.clock()
            check.notice = notice
            session.add(check)

        if session is not None:
            write(session)
            return
        with self.db.write_transaction() as own:
            write(own)

    def _link_by_email(self, user: UserRef, email: str) -> str | None:
        with self.db.write_transaction() as session:
            if _is_linked(session, user):
                return None  # linked meanwhile (another message, an admin)
            person = _person_with_email(session, email)
            taken = person is not None and bool(person.account_id(user.platform))
            if person is None or taken or (person.role == "director" and person.council_id is None):
                # Nobody with that email; or their person is already linked to another account on
                # this platform (an admin decides which is theirs); or a director whose council is
                # not set yet (their council is what their access means).
                self._remember(user, email, NO_MATCH, session=session)
                return None
            before = snapshot(person)
            person.set_account_id(user.platform, user.id, user.workspace)
            session.add(person)
            actor = Actor(user.platform, EMAIL_MATCH_ACTOR_ID, EMAIL_MATCH_NAME, ADMIN)
            AuditTrail.record(
                session, actor, batch=AuditTrail.new_batch(), action="person.link", subject_type="person",
                subject_key=person.name, row=person, before=before,
                summary=f"Linked {person.name} to {platform_name(user.platform)} {user.id} (email {email} matched)",
            )  # fmt: skip
            notice = f"You are linked as {person.name}, {describe(session, person)}."
            self._remember(user, email, LINKED, notice=notice, session=session)
            log.info("Linked %s:%s to %s by email", user.platform, user.id, person.name)
            return person.name

    def take_notice(self, user: UserRef) -> str | None:
        """The one-time "you are linked" notice for `user`, cleared as it is taken (inside the
        router's unit of work, so it is cleared only together with the reply it goes out with)."""
        if user.platform not in {"slack", "teams"} or not user.id:
            return None
        with self.db.session() as session:
            if not session.connection().execute(_NOTICE, {"platform": user.platform, "user_id": user.id}).scalar():
                return None  # every message asks: one prepared single-column query, no row loaded
            check = _check_of(session, user)
            if check is None or not check.notice:
                return None
            notice = check.notice
            check.notice = ""
            session.add(check)
            return notice

    def forget(self, session: Session, platform: str, user_id: str, *, unlinked: bool) -> None:
        """After an admin links (`unlinked=False`) or unlinks a chat user: an unlinked user is never
        linked again by email until an admin links them; a linked one starts afresh."""
        user = UserRef(platform, user_id)
        check = _check_of(session, user)
        if unlinked:
            self._remember(user, check.email if check else "", UNLINKED, session=session)
            return
        if check is not None:
            session.delete(check)
        if platform == "teams":
            # A Teams mention names the account by an id the user's own messages do not carry:
            # whoever it is must be looked up afresh to be recognised, so earlier misses go.
            for miss in session.exec(
                select(ChatIdentityCheck)
                .where(ChatIdentityCheck.platform == "teams")
                .where(col(ChatIdentityCheck.outcome).in_((NO_MATCH, NO_EMAIL, FAILED)))
            ).all():
                session.delete(miss)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def platform_name(platform: str) -> str:
    return {"slack": "Slack", "teams": "Teams"}.get(platform, platform)


def describe(session: Session, person: Person) -> str:
    """"lead broker for London", "director of children's services at Harrow", "central contact"."""
    regions = list(
        session.exec(
            select(Region.name)
            .join(BrokerAssignment, col(BrokerAssignment.region_id) == Region.id)
            .where(BrokerAssignment.person_id == person.id)
            .order_by(Region.name)
        ).all()
    )
    role = person.role.replace("_", " ")
    if person.role == "director":
        role = "director of children's services"
    if regions:
        return f"{role} for {' and '.join(regions)}"
    council = session.get(Council, person.council_id) if person.council_id is not None else None
    return f"{role} at {council.name}" if council is not None else role


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# Asked of every message, so built once (SQLAlchemy then reuses their compiled form): whether the
# user is linked, what was last found out about them, and whether a notice waits for them.
_LINKED = {
    platform: select(Person.id).where(Person.account_id_column(platform) == bindparam("user_id")).limit(1)
    for platform in ("slack", "teams")
}
_OF_USER = (ChatIdentityCheck.platform == bindparam("platform"), ChatIdentityCheck.user_id == bindparam("user_id"))
_SUMMARY = select(ChatIdentityCheck.outcome, ChatIdentityCheck.checked_at, ChatIdentityCheck.email).where(*_OF_USER)
_NOTICE = select(ChatIdentityCheck.notice).where(*_OF_USER)


def _is_linked(session: Session, user: UserRef) -> bool:
    statement = _LINKED["slack" if user.platform == "slack" else "teams"]
    return session.connection().execute(statement, {"user_id": user.id}).first() is not None


def _check_summary(session: Session, user: UserRef) -> Row[tuple[str, datetime, str]] | None:
    """The outcome, time and email of the last check of `user` (no ORM row: read on every message)."""
    return session.connection().execute(_SUMMARY, {"platform": user.platform, "user_id": user.id}).first()


def _check_of(session: Session, user: UserRef) -> ChatIdentityCheck | None:
    return session.exec(
        select(ChatIdentityCheck)
        .where(ChatIdentityCheck.platform == user.platform)
        .where(ChatIdentityCheck.user_id == user.id)
    ).first()


def _person_with_email(session: Session, email: str) -> Person | None:
    wanted = email.strip().casefold()
    if not wanted:
        return None
    return session.exec(select(Person).where(func.lower(func.trim(Person.email)) == wanted)).first()
