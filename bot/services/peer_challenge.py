"""Peer challenge: days of senior leadership time councils give each other (bulletin 7).

"It is anticipated that councils will dedicate five days per annum of senior leadership time
(DCSs as well as members of their leadership teams) on a reciprocal basis to undertake this peer
challenge activity." Days are counted per programme year (April to March) and kept in hundredths
so that half and quarter days add up exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import col, func, select

from bot.core.format import fmt_short_date
from bot.domain.calendar import programme_year, programme_year_label
from bot.services.actors import Actor, ActorDirectory
from bot.services.audit import AuditTrail
from storage.db import Database
from storage.tables import Council, PeerChallengeLog, Region

TARGET_DAYS_X100 = 500  # five days per annum
MAX_DAYS_X100_PER_LOG = 3000  # one entry of more than 30 days is surely a typo


class PeerChallengeError(ValueError):
    """A request that breaks a rule; the message is for the user."""


@dataclass(frozen=True)
class PeerChallengeEntry:
    id: int
    giver: str
    receiver: str
    days_x100: int
    given_on: date
    programme_year: str


@dataclass(frozen=True)
class CouncilDays:
    council: str
    region: str
    given_x100: int
    received_x100: int


@dataclass(frozen=True)
class PeerChallengeGaps:
    programme_year: str
    region: str | None
    below_target: tuple[CouncilDays, ...]  # fewest days first
    councils: int  # current councils considered
    total_given_x100: int

    @property
    def meeting_target(self) -> int:
        return self.councils - len(self.below_target)


def fmt_days(days_x100: int) -> str:
    """500 -> `5 days`, 50 -> `0.5 days`, 100 -> `1 day`, 125 -> `1.25 days`."""
    whole, rest = divmod(days_x100, 100)
    number = str(whole) if rest == 0 else f"{whole}.{rest:02d}".rstrip("0")
    return f"{number} day" if days_x100 == 100 else f"{number} days"


class PeerChallengeService:
    def __init__(self, db: Database, actors: ActorDirectory) -> None:
        self.db = db
        self.actors = actors

    def log(
        self, actor: Actor, giver_id: int, receiver_id: int, days_x100: int, day: date, note: str = ""
    ) -> PeerChallengeEntry:
        """Record that `giver` gave `days_x100`/100 days of peer challenge to `receiver` on `day`."""
        self.actors.require_writer(actor, "log peer challenge")
        if giver_id == receiver_id:
            raise PeerChallengeError(
                "A council can't peer-challenge itself: name the giving and the receiving council."
            )
        if days_x100 <= 0:
            raise PeerChallengeError("The number of days must be more than 0 (half days like 0.5 are fine).")
        if days_x100 > MAX_DAYS_X100_PER_LOG:
            raise PeerChallengeError(
                "That is more than 30 days in one entry: log each piece of peer challenge separately."
            )
        with self.db.session() as session:
            giver = session.get_one(Council, giver_id)
            receiver = session.get_one(Council, receiver_id)
            for council in (giver, receiver):
                if not council.current:
                    raise PeerChallengeError(f"{council.name} no longer exists; use its successor council.")
            row = PeerChallengeLog(
                giver_id=giver_id, receiver_id=receiver_id, days_x100=days_x100, given_on=day,
                note=note[:500], logged_by=actor.label,
            )
            session.add(row)
            session.flush()
            batch = AuditTrail.new_batch()
            summary = (
                f"Logged {fmt_days(days_x100)} of peer challenge from {giver.name} to {receiver.name} "
                f"({fmt_short_date(day)})"
            )
            for council in (giver, receiver):
                AuditTrail.record(
                    session, actor, batch=batch, action="peerchallenge.log", subject_type="council",
                    subject_key=council.ons_code, summary=summary, row=row, before=None,
                )
            return PeerChallengeEntry(
                id=row.id or 0, giver=giver.name, receiver=receiver.name, days_x100=days_x100, given_on=day,
                programme_year=programme_year_label(day),
            )

    def given_in_year(self, council_id: int, today: date) -> int:
        """Days (x100) the council has given in the programme year containing `today`."""
        first, last = programme_year(today)
        with self.db.session() as session:
            total = session.exec(
                select(func.coalesce(func.sum(PeerChallengeLog.days_x100), 0))
                .where(PeerChallengeLog.giver_id == council_id)
                .where(PeerChallengeLog.given_on >= first)
                .where(PeerChallengeLog.given_on <= last)
            ).one()
        return int(total)

    def gaps(self, today: date, region_id: int | None = None) -> PeerChallengeGaps:
        """Current councils that have given fewer than five days in this programme year."""
        first, last = programme_year(today)
        with self.db.session() as session:
            in_year = (PeerChallengeLog.given_on >= first, PeerChallengeLog.given_on <= last)
            given = dict(
                session.exec(
                    select(PeerChallengeLog.giver_id, func.sum(PeerChallengeLog.days_x100))
                    .where(*in_year)
                    .group_by(col(PeerChallengeLog.giver_id))
                ).all()
            )
            received = dict(
                session.exec(
                    select(PeerChallengeLog.receiver_id, func.sum(PeerChallengeLog.days_x100))
                    .where(*in_year)
                    .group_by(col(PeerChallengeLog.receiver_id))
                ).all()
            )
            statement = (
                select(Council, Region)
                .join(Region, Region.id == Council.region_id)  # type: ignore[arg-type]
                .where(Council.current == True)  # noqa: E712
            )
            if region_id is not None:
                statement = statement.where(Council.region_id == region_id)
            rows = session.exec(statement.order_by(Council.name)).all()
            region = session.get(Region, region_id) if region_id is not None else None
            region_name = region.name if region else None
        days = [
            CouncilDays(
                council=c.name, region=r.name, given_x100=int(given.get(c.id or 0, 0)),
                received_x100=int(received.get(c.id or 0, 0)),
            )
            for c, r in rows
        ]
        below = sorted((d for d in days if d.given_x100 < TARGET_DAYS_X100), key=lambda d: (d.given_x100, d.council))
        return PeerChallengeGaps(
            programme_year=programme_year_label(today),
            region=region_name,
            below_target=tuple(below),
            councils=len(days),
            total_given_x100=sum(d.given_x100 for d in days),
        )
