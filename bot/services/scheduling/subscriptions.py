"""Which channels get which region's (or the national) digest and reminders."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from bot.core.errors import AlreadyDone
from bot.services.actors import Actor
from bot.services.audit import AuditTrail, snapshot
from bot.services.scheduling.cancellation import cancel_pending
from bot.services.scheduling.values import PLATFORMS, SubscriptionView, aware
from bot.services.values import RegionInfo
from storage.db import Database
from storage.tables import (
    NATIONAL_SCOPE,
    OutboxItem,
    Region,
    Subscription,
)


class SubscriptionService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def subscribe(
        self, actor: Actor, platform: str, destination: str, region: RegionInfo | None, now: datetime | None = None,
        *, workspace: str = "",
    ) -> SubscriptionView:
        """Subscribe `destination` to `region` (None: national). Raises AlreadyDone if it is.
        `workspace`: the Slack team whose token posts there ("" for the single-token workspace)."""
        if platform not in PLATFORMS:
            raise ValueError(f"platform must be one of {', '.join(PLATFORMS)}, not {platform!r}")
        scope = region.code if region else NATIONAL_SCOPE
        with self.db.session() as session:
            existing = _find_subscription(session, platform, destination, scope)
            if existing is not None:
                raise AlreadyDone(f"This channel is already subscribed to {_label(region)} digests and reminders.")
            row = Subscription(
                platform=platform,
                destination=destination,
                workspace=workspace,
                scope=scope,
                region_id=region.id if region else None,
                created_by=actor.label,
                created_at=now or datetime.now(UTC),
            )
            session.add(row)
            session.flush()
            AuditTrail.record(
                session, actor, batch=AuditTrail.new_batch(), action="digest.subscribe",
                subject_type="subscription", subject_key=f"{platform}:{destination}",
                summary=f"Subscribed {platform}:{destination} to {_label(region)} digests and reminders",
                row=row, before=None,
            )
            return _subscription_view(session, row)

    def unsubscribe(self, actor: Actor, platform: str, destination: str, region: RegionInfo | None) -> int:
        """Remove the subscription and cancel its pending notifications; returns how many were cancelled."""
        scope = region.code if region else NATIONAL_SCOPE
        with self.db.session() as session:
            row = _find_subscription(session, platform, destination, scope)
            if row is None:
                raise AlreadyDone(f"This channel is not subscribed to {_label(region)} digests and reminders.")
            before = snapshot(row)
            batch = AuditTrail.new_batch()
            subject_key = f"{platform}:{destination}"
            summary = f"Unsubscribed {platform}:{destination} from {_label(region)} digests and reminders"
            AuditTrail.record(
                session, actor, batch=batch, action="digest.unsubscribe", subject_type="subscription",
                subject_key=subject_key, summary=summary, row=row, before=before, deleted=True,
            )
            session.delete(row)
            return cancel_pending(
                session, actor, batch=batch, action="digest.unsubscribe", subject_type="subscription",
                subject_key=subject_key, summary=summary, reason="unsubscribed",
                where=[col(OutboxItem.platform) == platform, col(OutboxItem.destination) == destination,
                       col(OutboxItem.scope) == scope],
            )

    def for_destination(self, platform: str, destination: str) -> list[SubscriptionView]:
        with self.db.session() as session:
            rows = session.exec(
                select(Subscription)
                .where(Subscription.platform == platform)
                .where(Subscription.destination == destination)
                .order_by(Subscription.scope)
            ).all()
            return [_subscription_view(session, r) for r in rows]

    def all(self) -> list[SubscriptionView]:
        with self.db.session() as session:
            rows = session.exec(select(Subscription).order_by(Subscription.id)).all()  # type: ignore[arg-type]
            regions = {r.id: r for r in session.exec(select(Region)).all()}
            return [_subscription_view(session, r, regions) for r in rows]


def _label(region: RegionInfo | None) -> str:
    return region.name if region else "national"


def _subscription_view(
    session: Session, row: Subscription, regions: dict[Any, Region] | None = None
) -> SubscriptionView:
    assert row.id is not None
    region = None
    if row.region_id is not None:
        found = regions.get(row.region_id) if regions is not None else session.get(Region, row.region_id)
        if found is not None and found.id is not None:
            region = RegionInfo(id=found.id, code=found.code, name=found.name)
    return SubscriptionView(
        id=row.id,
        platform=row.platform,
        destination=row.destination,
        scope=row.scope,
        region=region,
        created_by=row.created_by,
        created_at=aware(row.created_at) or datetime.now(UTC),
        checked_until=aware(row.checked_until),
        workspace=row.workspace,
    )


def _find_subscription(session: Session, platform: str, destination: str, scope: str) -> Subscription | None:
    return session.exec(
        select(Subscription)
        .where(Subscription.platform == platform)
        .where(Subscription.destination == destination)
        .where(Subscription.scope == scope)
    ).first()
