"""The regional sign-up log (bulletin 7): who has agreed, which local arrangements are in place,
and whom the lead broker has contacted. Reads return plain values; each write is one
transaction with its audit entry, by a broker or admin only.

Interfaces other features use (keep them stable):
- :meth:`SignupService.board` (scheduler digests, `/signup`),
- :meth:`SignupService.region` (`/signup REGION`, a Slack modal's initial values),
- :meth:`SignupService.record` (`/signup REGION PARTY STATUS`, the Slack modal's submission),
- :func:`form_options` (the modal's party and status choices).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import select

from bot.config import Settings
from bot.core.format import fmt_short_date
from bot.domain.signup import (
    AGREED,
    DEFAULT_STATUS,
    PARTIES,
    PARTIES_BY_KEY,
    SIGNATORY,
    STATUSES,
    default_target_date,
    status_label,
)
from bot.services.actors import Actor, ActorDirectory
from bot.services.audit import AuditTrail, snapshot
from bot.services.directory import brokers_by_region, region_info
from bot.services.values import RegionInfo
from storage.db import Database
from storage.tables import Region, SignupItem


@dataclass(frozen=True)
class PartyStatus:
    key: str
    kind: str  # signatory | arrangement | contact
    label: str
    status: str  # pending until someone logs progress
    status_label: str
    day: date | None = None
    note: str = ""
    updated_by: str = ""


@dataclass(frozen=True)
class RegionSignup:
    region: RegionInfo
    signed: bool  # all three signatories agreed
    signatories: tuple[PartyStatus, ...]
    arrangements: tuple[PartyStatus, ...]
    contacts: tuple[PartyStatus, ...]
    target: date
    brokers: tuple[str, ...] = ()

    @property
    def agreed_count(self) -> int:
        return sum(1 for s in self.signatories if s.status == AGREED)

    def party(self, key: str) -> PartyStatus:
        for item in (*self.signatories, *self.arrangements, *self.contacts):
            if item.key == key:
                return item
        raise KeyError(key)


@dataclass(frozen=True)
class SignupChange:
    region: RegionInfo
    party: PartyStatus
    previous_status: str
    became_signed: bool
    summary: str


@dataclass(frozen=True)
class FormOption:
    """One choice for a modal: the short name the service takes, and its label."""

    value: str
    label: str
    kind: str
    statuses: tuple[str, ...]


def form_options() -> list[FormOption]:
    """Parties with their allowed statuses, in display order (signatories first)."""
    return [FormOption(p.key, p.label, p.kind, STATUSES[p.kind]) for p in PARTIES]


class SignupService:
    def __init__(self, db: Database, settings: Settings, actors: ActorDirectory) -> None:
        self.db = db
        self.settings = settings
        self.actors = actors

    def target_date(self, today: date) -> date:
        return self.settings.signup_target_date or default_target_date(today)

    def board(self, today: date) -> list[RegionSignup]:
        """All nine regions, in name order, with every party's status."""
        with self.db.session() as session:
            regions = session.exec(select(Region).order_by(Region.name)).all()
            items = session.exec(select(SignupItem)).all()
            brokers = brokers_by_region(session)
        by_region: dict[int, dict[str, SignupItem]] = {}
        for item in items:
            by_region.setdefault(item.region_id, {})[item.party] = item
        target = self.target_date(today)
        return [
            _region_signup(
                region_info(region),
                by_region.get(region.id or 0, {}),
                target,
                tuple(b.name for b in brokers.get(region.id or 0, [])),
            )
            for region in regions
        ]

    def region(self, region_id: int, today: date) -> RegionSignup:
        for entry in self.board(today):
            if entry.region.id == region_id:
                return entry
        raise LookupError(f"no region {region_id}")

    def record(
        self,
        actor: Actor,
        region_id: int,
        party_key: str,
        status: str,
        day: date | None = None,
        note: str = "",
        *,
        today: date,
    ) -> SignupChange:
        """Log progress for one party of a region in one transaction, with its audit entry.

        `party_key` is a short name from :data:`bot.domain.signup.PARTIES` and `status` one of
        that party's statuses (canonical form: parse with `parse_party`/`parse_status` first).
        `day` defaults to `today`. Raises PermissionDenied for viewers and ValueError for a
        party or status that does not exist.
        """
        self.actors.require_writer(actor, "log regional sign-up progress", region_id)
        party = PARTIES_BY_KEY.get(party_key)
        if party is None:
            raise ValueError(f"Unknown party {party_key!r}")
        if status not in STATUSES[party.kind]:
            raise ValueError(f"{party.label} can be {', '.join(STATUSES[party.kind])}, not {status!r}")
        day = day or today
        with self.db.session() as session:
            region = session.get_one(Region, region_id)
            rows = {r.party: r for r in session.exec(select(SignupItem).where(SignupItem.region_id == region_id)).all()}
            was_signed = _all_agreed(rows)
            row = rows.get(party.key)
            before = snapshot(row) if row is not None else None
            previous = row.status if row is not None else DEFAULT_STATUS
            if row is None:
                row = SignupItem(region_id=region_id, party=party.key, kind=party.kind, status=status)
            row.status = status
            row.status_date = day
            row.note = note.strip()
            row.updated_by = actor.label
            row.updated_at = datetime.now(UTC)
            session.add(row)
            rows[party.key] = row
            now_signed = _all_agreed(rows)
            summary = f"{region.name}: {party.label} {status_label(previous).lower()} → {status_label(status).lower()}"
            summary += f" ({fmt_short_date(day)})"
            if note.strip():
                summary += f": {note.strip()}"
            AuditTrail.record(
                session,
                actor,
                batch=AuditTrail.new_batch(),
                action="signup.update",
                subject_type="region",
                subject_key=region.code,
                summary=summary[:500],
                row=row,
                before=before,
            )
            info = region_info(region)
            party_status = _party_status(party.key, row)
        return SignupChange(
            region=info,
            party=party_status,
            previous_status=previous,
            became_signed=now_signed and not was_signed,
            summary=summary,
        )


def _all_agreed(rows: dict[str, SignupItem]) -> bool:
    return all(rows.get(p.key) is not None and rows[p.key].status == AGREED for p in PARTIES if p.kind == SIGNATORY)


def _party_status(key: str, row: SignupItem | None) -> PartyStatus:
    party = PARTIES_BY_KEY[key]
    status = row.status if row is not None else DEFAULT_STATUS
    return PartyStatus(
        key=party.key,
        kind=party.kind,
        label=party.label,
        status=status,
        status_label=status_label(status),
        day=row.status_date if row is not None else None,
        note=row.note if row is not None else "",
        updated_by=row.updated_by if row is not None else "",
    )


def _region_signup(
    region: RegionInfo, rows: dict[str, SignupItem], target: date, brokers: tuple[str, ...]
) -> RegionSignup:
    statuses = [_party_status(p.key, rows.get(p.key)) for p in PARTIES]
    signatories = tuple(s for s in statuses if s.kind == SIGNATORY)
    return RegionSignup(
        region=region,
        signed=all(s.status == AGREED for s in signatories),
        signatories=signatories,
        arrangements=tuple(s for s in statuses if s.kind == "arrangement"),
        contacts=tuple(s for s in statuses if s.kind == "contact"),
        target=target,
        brokers=brokers,
    )
