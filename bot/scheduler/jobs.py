"""Deciding what is due at a moment: a pure function of the services' data and `now`.

For every subscription, every reminder and digest whose moment lies between the subscription's
start and `now` becomes an outbox row, inserted if absent together with the subscription's new
watermark in one transaction:
- due within the catch-up horizon (CATCHUP_HORIZON_DAYS): pending, marked late if its day has
  passed (the bot was down, or the item was logged after its reminder day);
- due before the horizon and after the last pass: recorded as skipped, so a long outage never
  floods a channel;
- of several digests due for one channel, only the newest goes out.
Re-running a pass at the same or a later moment inserts nothing new: keys are unique.
"""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from bot.core import reply_codec
from bot.core.reply import Reply
from bot.scheduler.messages import is_overdue_nudge, reminder_reply
from bot.scheduler.plan import (
    DIGEST,
    ESCALATION,
    FOLLOW_UP,
    OVERDUE_EVERY_DAYS,
    PEER_REVIEW,
    SIGNUP,
    Nominal,
    apply_state,
    escalation_days,
    follow_up_days,
    review_days,
    series_key,
    signup_days,
)
from bot.scheduler.sources import Sources, Target
from bot.scheduler.timing import Timing
from bot.services import Services
from bot.services.digests import DigestBuilder
from bot.services.scheduling import NewOutboxRow, SubscriptionRows, SubscriptionView

log = logging.getLogger(__name__)
SHIFT_SLACK = timedelta(days=7)  # a nominal day can move this far forward to a working day


@dataclass
class DecideReport:
    subscriptions: int = 0
    inserted: int = 0
    late: int = 0
    skipped: int = 0
    keys: list[str] = field(default_factory=list)


class Due(NamedTuple):  # a tuple: a pass makes one per reminder of every open item
    target: Target
    nominal: Nominal
    moment: datetime


class Candidate(NamedTuple):
    """A notification a pass may record for one subscription: its outbox key and nominal day,
    pending or skipped, and the reminder (`due`) or digest moment it comes from."""

    key: str
    day: date
    status: str
    due: Due | None = None
    moment: datetime | None = None


def outbox_key(kind: str, subject: str, due: date, platform: str, destination: str) -> str:
    return f"{kind}|{subject}|{due.isoformat()}|{platform}:{destination}"


def nominal_days(target: Target, first: date, last: date) -> list[Nominal]:
    if target.kind == ESCALATION:
        return escalation_days(target.day, first, last)
    if target.kind == PEER_REVIEW:
        return review_days(target.day, first, last)
    if target.kind == FOLLOW_UP:
        return follow_up_days(target.day, first, last)
    if target.kind == SIGNUP:
        return signup_days(target.day, first, last)
    return []


class Decider:
    """One pass's decisions. Build per pass: it caches sources and payloads for that moment.

    A pass is set-based: the sources are read once (a few queries), every subscription's
    candidate keys are computed in memory, the keys already in the outbox are read with one range
    query, and the new rows of every subscription are inserted in one transaction."""

    def __init__(self, services: Services, now: datetime, timing: Timing | None = None) -> None:
        self.services = services
        self.timing = timing or Timing(services.settings)
        self.now = now
        self.today = self.timing.today(now)
        self.recent = now - self.timing.horizon
        self._payloads: dict[tuple[str, date], str] = {}
        self._nudge_days: dict[tuple[datetime, date], date] = {}
        self._late: dict[datetime, bool] = {}
        self.subscribed_at: set[datetime] = set()  # when each subscription began
        self.sources = Sources(services)

    def lower_bound(self, sub: SubscriptionView) -> datetime:
        """The earliest moment this pass may record anything for `sub`."""
        watermark = sub.checked_until or sub.created_at
        return max(sub.created_at, min(watermark, self.recent))

    def status(self, sub: SubscriptionView, moment: datetime) -> str | None:
        """pending / skipped / None (not due, before the subscription, or decided before)."""
        if moment <= sub.created_at or moment > self.now:
            return None
        if moment >= self.recent:
            return "pending"
        if moment > (sub.checked_until or sub.created_at):
            return "skipped"
        return None

    def due_reminders(self, first: date) -> list[Due]:
        sources = self.sources
        targets = (
            sources.escalations(first, self.today)
            + sources.reviews(first, self.today)
            + sources.follow_ups(first, self.today)
            + sources.signups(self.today, self.today)
        )
        states = self.services.scheduling.series.states()
        found: list[Due] = []
        for target in targets:
            days = apply_state(nominal_days(target, first, self.today), states.get(target.series_key), first,
                               self.today)
            if not days:  # most items, on most days
                continue
            # Two reminders moved onto the same working morning (1 day before falls on a Sunday,
            # the deadline on the Monday) go out as one: the later, more urgent one.
            by_moment: dict[datetime, Nominal] = {}
            for nominal in days:
                moment = self.timing.reminder_moment(nominal.day)
                if moment <= self.now and (moment not in by_moment or by_moment[moment].day < nominal.day):
                    by_moment[moment] = nominal
            for moment, nominal in by_moment.items():
                if self.anyone_wants(target, nominal):
                    found.append(Due(target, nominal, moment))
        return found

    def anyone_wants(self, target: Target, nominal: Nominal) -> bool:
        """False for a weekly overdue day that is no subscription's one nudge (`wanted` would
        drop it for every subscription): most of a long-passed deadline's weeks."""
        if not is_overdue_nudge(target, nominal) or nominal.label == "snoozed":
            return True
        return any(nominal.day == self.nudge_day(created, target.day) for created in self.subscribed_at)

    def sent_late(self, moment: datetime) -> bool:
        """True if `moment` fell on an earlier day than this pass (caught up after downtime). A
        pass's thousands of rows share a few moments, so each is worked out once."""
        late = self._late.get(moment)
        if late is None:
            late = self._late[moment] = self.timing.local(moment).date() < self.today
        return late

    def payload(self, due: Due) -> str:
        key = (due.target.series_key, due.nominal.day)
        if key not in self._payloads:
            send_day = self.timing.local(due.moment).date()
            reply = reminder_reply(due.target, due.nominal, send_day, posted_on=self.today)
            self._payloads[key] = reply_codec.dumps(reply)
        return self._payloads[key]

    def nudge_day(self, created: datetime, deadline: date) -> date:
        """The one overdue reminder a subscription begun at `created` gets for a passed deadline:
        the first weekly overdue day whose moment comes after it began. Later weeks are left to
        the digest's "Past deadline" section, so a long-passed deadline is not posted every week."""
        cached = self._nudge_days.get((created, deadline))
        if cached is not None:
            return cached
        week = max(1, -(-(self.timing.local(created).date() - deadline).days // OVERDUE_EVERY_DAYS))
        while self.timing.reminder_moment(day := deadline + timedelta(days=OVERDUE_EVERY_DAYS * week)) <= created:
            week += 1
        self._nudge_days[(created, deadline)] = day
        return day

    def wanted(self, sub: SubscriptionView, due: Due) -> bool:
        if sub.region is not None and due.target.region_id != sub.region.id:
            return False
        if is_overdue_nudge(due.target, due.nominal) and due.nominal.label != "snoozed":
            return due.nominal.day == self.nudge_day(sub.created_at, due.target.day)
        return True

    def reminder_candidates(self, sub: SubscriptionView, dues: list[Due]) -> list[Candidate]:
        """Every reminder this pass may record for `sub` (present in the outbox or not)."""
        found = []
        for due in dues:
            if not self.wanted(sub, due):
                continue
            status = self.status(sub, due.moment)
            if status is not None:
                key = outbox_key(due.target.kind, due.target.subject, due.nominal.day, sub.platform, sub.destination)
                found.append(Candidate(key, due.nominal.day, status, due=due))
        return found

    def digest_candidates(self, sub: SubscriptionView) -> list[Candidate]:
        """The digests whose moment falls in this pass's window for `sub`; of several due, only
        the newest is to be sent (the others are recorded as skipped)."""
        found = []
        for day, moment in self.timing.digest_moments(self.lower_bound(sub), self.now):
            status = self.status(sub, moment)
            if status is not None:
                found.append(Candidate(outbox_key(DIGEST, sub.scope, day, sub.platform, sub.destination), day,
                                       status, moment=moment))
        pending = [c for c in found if c.status == "pending"]
        newest = pending[-1] if pending else None
        return [c if c is newest else c._replace(status="skipped") for c in found]

    def reminder_row(self, sub: SubscriptionView, candidate: Candidate) -> NewOutboxRow:
        due = candidate.due
        assert due is not None
        pending = candidate.status == "pending"
        return NewOutboxRow(
            key=candidate.key,
            platform=sub.platform,
            destination=sub.destination,
            scope=sub.scope,
            kind=due.target.kind,
            subject=due.target.subject,
            series_key=due.target.series_key,
            due_date=due.nominal.day,
            due_at=due.moment,
            payload=self.payload(due) if pending else _skipped_payload(due.target.name),
            status=candidate.status,
            late=pending and self.sent_late(due.moment),
        )

    def digest_row(
        self, sub: SubscriptionView, candidate: Candidate, builder: DigestBuilder
    ) -> tuple[NewOutboxRow, tuple[date, date] | None]:
        """The digest's row; for the one sent, also the note (due day, covers-from) the next
        digest reads to know what "since the last digest" means."""
        day, moment = candidate.day, candidate.moment
        assert moment is not None
        note = None
        if candidate.status == "pending":
            since = self.services.scheduling.outbox.last_digest(sub.id, day) or day - timedelta(days=7)
            reply = builder.region(sub.region, since) if sub.region else builder.national(since)
            payload = reply_codec.dumps(reply)
            note = (day, since)
        else:
            payload = _skipped_payload(f"digest {day.isoformat()}")
        row = NewOutboxRow(
            key=candidate.key,
            platform=sub.platform,
            destination=sub.destination,
            scope=sub.scope,
            kind=DIGEST,
            subject=sub.scope,
            series_key=series_key(DIGEST, f"{sub.scope}:{sub.platform}:{sub.destination}"),
            due_date=day,
            due_at=moment,
            payload=payload,
            status=candidate.status,
            late=candidate.status == "pending" and self.sent_late(moment),
        )
        return row, note

    def run(self) -> DecideReport:
        report = DecideReport()
        subs = self.services.scheduling.subscriptions.all()
        report.subscriptions = len(subs)
        if not subs:
            return report
        first = min(self.timing.local(self.lower_bound(s)).date() for s in subs) - SHIFT_SLACK
        self.subscribed_at = {s.created_at for s in subs}
        dues = self.due_reminders(first)
        by_region: dict[int | None, list[Due]] = {}
        for due in dues:
            by_region.setdefault(due.target.region_id, []).append(due)
        candidates = {
            sub.id: (
                self.reminder_candidates(sub, by_region.get(sub.region.id, []) if sub.region else dues),
                self.digest_candidates(sub),
            )
            for sub in subs
        }
        days = [c.day for reminders, digests in candidates.values() for c in reminders + digests]
        # Rows already in the outbox need no payload; the insert below is still insert-if-absent.
        existing = self.services.scheduling.outbox.keys_due_between(min(days), max(days)) if days else set()
        # The digests list the same open escalations the reminders were read from (deadlines up
        # to 30 days ahead), so they are read once.
        builder = DigestBuilder(self.services, self.today, escalations=self.sources.escalation_items)
        decisions = []
        for sub in subs:
            reminders, digests = candidates[sub.id]
            rows = [self.reminder_row(sub, c) for c in reminders if c.key not in existing]
            note = None
            for candidate in digests:
                if candidate.key not in existing:
                    row, row_note = self.digest_row(sub, candidate, builder)
                    rows.append(row)
                    note = row_note or note
            if rows or sub.checked_until is None or sub.checked_until < self.now:
                decisions.append(SubscriptionRows(sub.id, rows, note))
            report.late += sum(1 for r in rows if r.late)
            report.skipped += sum(1 for r in rows if r.status == "skipped")
            report.keys += [r.key for r in rows if r.status == "pending"]
        report.inserted = self.services.scheduling.outbox.enqueue_pass(decisions, self.now)
        return report

def _skipped_payload(what: str) -> str:
    return reply_codec.dumps(Reply(text=f"Skipped (older than the catch-up horizon): {what}", intent="skipped"))


@contextlib.contextmanager
def collection_postponed() -> Iterator[None]:
    """A pass builds tens of thousands of short-lived objects (reminders, rows) and no cycles:
    the cyclic garbage collector would walk the growing heap again and again for nothing, so it
    waits until the pass ends (reference counting still frees everything as it goes)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def decide(services: Services, now: datetime, timing: Timing | None = None) -> DecideReport:
    """Enqueue every notification due at `now` (idempotent)."""
    with collection_postponed():
        report = Decider(services, now, timing).run()
    log.info("Scheduler decided at %s: %d subscriptions, %d new outbox rows (%d late, %d skipped)",
             now.isoformat(), report.subscriptions, report.inserted, report.late, report.skipped)
    return report
