"""Delivering pending outbox rows: claim, send, mark sent; retry with back-off; one message per
second per channel.

Waiting is injected (`sleep`, `monotonic`) so tests never sleep on real time. A rate limit (429
with Retry-After) is a wait, not a failure: waited out in place when short, otherwise the row is
rescheduled at Retry-After; it never counts towards MAX_ATTEMPTS. Any other retryable failure is
retried in place after a short back-off or goes back to the outbox with `next_attempt_at`; after
MAX_ATTEMPTS a row is failed and stays visible in `python -m bot outbox --status failed`. A
platform that cannot be reached at all ends the pass for that platform at the first such failure,
with one log line; its rows stay pending for the next pass.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.core import reply_codec
from bot.core.reply import Reply
from bot.scheduler.messages import mark_late
from bot.scheduler.senders import PermanentSendError, PlatformUnreachable, RateLimited, RetryableSendError, Sender
from bot.services.scheduling import OutboxService, OutboxView

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = 2.0
BACKOFF_MAX_SECONDS = 600.0
MAX_INLINE_WAIT_SECONDS = 30.0
PER_CHANNEL_INTERVAL_SECONDS = 1.0
CLAIM_LEASE = timedelta(minutes=5)
CLAIM_BATCH = 20  # the first claim of a pass: small, so processes sharing a short queue each take some
CLAIM_BATCH_MAX = 500  # claims double up to this, so a long queue costs one claim query per 500 rows
MAX_INLINE_RATE_WAITS = 10  # then the row goes back to the outbox for its Retry-After


def worker_id() -> str:
    """Who holds a claim: host, process and a random suffix."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def backoff(attempt: int) -> float:
    return float(min(BACKOFF_BASE_SECONDS * (2 ** max(attempt - 1, 0)), BACKOFF_MAX_SECONDS))


def reply_for(row: OutboxView) -> Reply:
    reply = reply_codec.loads(row.payload)
    return mark_late(reply, row.due_date) if row.late else reply


def round_robin(rows: list[OutboxView]) -> list[OutboxView]:
    """Interleave channels (A1 B1 A2 B2 ...) so pacing one channel does not hold up the others."""
    by_channel: dict[str, list[OutboxView]] = {}
    for row in rows:
        by_channel.setdefault(f"{row.platform}:{row.destination}", []).append(row)
    queues = list(by_channel.values())
    ordered: list[OutboxView] = []
    while queues:
        ordered += [queue.pop(0) for queue in queues]
        queues = [queue for queue in queues if queue]
    return ordered


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    rate_limited: int = 0
    waits: list[float] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)  # platforms this pass stopped for


class Deliverer:
    def __init__(
        self,
        outbox: OutboxService,
        senders: Mapping[str, Sender],
        *,
        worker: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        max_attempts: int = MAX_ATTEMPTS,
        max_inline_wait: float = MAX_INLINE_WAIT_SECONDS,
        per_channel_interval: float = PER_CHANNEL_INTERVAL_SECONDS,
        lease: timedelta = CLAIM_LEASE,
    ) -> None:
        self.outbox = outbox
        self.senders = dict(senders)
        self.worker = worker or worker_id()
        self.sleep = sleep
        self.monotonic = monotonic
        self.max_attempts = max_attempts
        self.max_inline_wait = max_inline_wait
        self.per_channel_interval = timedelta(seconds=per_channel_interval)
        self.lease = lease

    def deliver(self, now: datetime, max_batches: int = 1000) -> DeliveryReport:
        """Send every pending row due at `now` that this worker can claim.

        What is due is decided by `now` (the pass's moment, which `tick --as-of` may set); claim
        leases and pacing slots use the real time, shared with every other delivering process
        whatever moment their passes are for. Both move on by the time elapsed in the pass
        (`monotonic`, which tests can fake)."""
        report = DeliveryReport()
        started, started_at = self.monotonic(), datetime.now(UTC)

        def current() -> datetime:  # the pass's moment, moving on as the pass takes time
            return now + timedelta(seconds=self.monotonic() - started)

        def real() -> datetime:  # the real moment: claims and pacing are shared with other processes
            return started_at + timedelta(seconds=self.monotonic() - started)

        with self.outbox.recording():
            self._deliver_batches(now, current, real, report, max_batches)
        return report

    def _deliver_batches(
        self, now: datetime, current: Callable[[], datetime], real: Callable[[], datetime], report: DeliveryReport,
        max_batches: int,
    ) -> None:
        """Claim and send batch after batch (the first small, then doubling) until none is left."""
        platforms = list(self.senders)
        batch = CLAIM_BATCH
        for _ in range(max_batches):
            if not platforms:
                break
            # Due by the pass's moment: a row rescheduled during the pass is for a later pass.
            rows = self.outbox.claim(self.worker, real(), self.lease, batch, tuple(platforms), due_by=now)
            if not rows:
                break
            batch = min(batch * 2, CLAIM_BATCH_MAX)
            claimed_at = self.monotonic()
            queue = round_robin(rows)
            for index, row in enumerate(queue):
                # Never send on a claim that may have expired (pacing and retries take time):
                # past half the lease, hand the rest back and claim afresh.
                if not self._within_claim(claimed_at):
                    for rest in queue[index:]:
                        self.outbox.release(rest.id, self.worker)
                    break
                if row.platform not in platforms:  # unreachable earlier in this pass
                    self.outbox.release(row.id, self.worker)
                    continue
                if not self._deliver_row(row, current, real, report, claimed_at):
                    platforms.remove(row.platform)
                    report.unreachable.append(row.platform)

    def _pace(self, channel: str, real: Callable[[], datetime], report: DeliveryReport) -> None:
        """At most one message per second per channel (Slack's chat.postMessage guidance), across
        every process delivering: the slot is reserved in the database. No interval, no pacing:
        nothing to reserve."""
        if not self.per_channel_interval:
            return
        at = real()
        slot = self.outbox.reserve_slot(channel, at, self.per_channel_interval)
        wait = (slot - at).total_seconds()
        if wait > 0:
            report.waits.append(wait)
            self.sleep(wait)

    def _within_claim(self, claimed_at: float, wait: float = 0.0) -> bool:
        """Whether a send after `wait` more seconds still falls in the first half of the claim's
        lease: the rest is the margin for the send itself. Past it, another process may claim the
        row once the lease ends and post it too."""
        return self.monotonic() + wait - claimed_at <= self.lease.total_seconds() / 2

    def _deliver_row(
        self, row: OutboxView, current: Callable[[], datetime], real: Callable[[], datetime], report: DeliveryReport,
        claimed_at: float,
    ) -> bool:
        """Send one claimed row; False when its platform cannot be reached (the row stays pending).

        Waits in place (rate limits, back-off, pacing) end where the claim's safe half ends: the
        row then goes back to the outbox for a later claim, never out on a lapsing claim."""
        sender = self.senders[row.platform]
        reply = reply_for(row)
        channel = f"{row.platform}:{row.destination}"
        attempts = row.attempts
        rate_waits = 0
        while True:
            self._pace(channel, real, report)
            if not self._within_claim(claimed_at):
                if attempts > row.attempts:  # keep the failed attempts it has made
                    self.outbox.mark_retry(row.id, self.worker, attempts, current(), "handed back: its claim ran low")
                else:
                    self.outbox.release(row.id, self.worker)
                return True
            try:
                message_id = sender.send(row.destination, reply)
            except PermanentSendError as exc:
                log.warning("Outbox %s to %s failed permanently: %s", row.key, channel, exc)
                self.outbox.mark_failed(row.id, self.worker, attempts + 1, str(exc))
                report.failed += 1
                return True
            except PlatformUnreachable as exc:
                # Every other message to this platform would fail the same way: one line, and the
                # rows wait (pending, no attempt counted) for the next pass.
                log.warning("%s is unreachable, so this pass sends nothing more to it (rows stay pending): %s",
                            row.platform.capitalize(), exc)
                self.outbox.release(row.id, self.worker)
                return False
            except RateLimited as exc:
                # Slowing down is not failing: wait as asked, or come back when asked; never fail it.
                wait = max(exc.retry_after, 0.0) if exc.retry_after is not None else backoff(rate_waits + 1)
                report.rate_limited += 1
                rate_waits += 1
                if (wait <= self.max_inline_wait and rate_waits <= MAX_INLINE_RATE_WAITS
                        and self._within_claim(claimed_at, wait)):
                    log.info("Outbox %s: %s; waiting %.1fs as asked", row.key, exc, wait)
                    report.waits.append(wait)
                    self.sleep(wait)
                    continue
                self.outbox.reschedule(row.id, self.worker, current() + timedelta(seconds=wait), str(exc))
                return True
            except Exception as exc:
                attempts += 1
                retry_after = exc.retry_after if isinstance(exc, RetryableSendError) else None
                # Honour Retry-After exactly when the platform gives one; otherwise back off.
                wait = max(retry_after, 0.0) if retry_after is not None else backoff(attempts)
                if attempts >= self.max_attempts:
                    log.error("Outbox %s to %s failed after %d attempts: %s", row.key, channel, attempts, exc)
                    self.outbox.mark_failed(row.id, self.worker, attempts, f"{type(exc).__name__}: {exc}")
                    report.failed += 1
                    return True
                report.retried += 1
                if wait <= self.max_inline_wait and self._within_claim(claimed_at, wait):
                    log.info("Outbox %s: %s; retrying in %.1fs", row.key, exc, wait)
                    report.waits.append(wait)
                    self.sleep(wait)
                    continue
                self.outbox.mark_retry(row.id, self.worker, attempts, current() + timedelta(seconds=wait),
                                       f"{type(exc).__name__}: {exc}")
                return True
            if not self.outbox.mark_sent(row.id, self.worker, current(), message_id, attempts + 1):
                log.warning("Outbox %s was sent to %s after this worker's claim on it had lapsed: another "
                            "process may have sent it too", row.key, channel)
            report.sent += 1
            return True
