"""The scheduler inside `python -m bot serve`, and one-off passes for `python -m bot tick`.

APScheduler 3.11's BackgroundScheduler runs three jobs in BOT_TIMEZONE: "decide" on
REMINDER_CRON and on DIGEST_CRON (what falls due is enqueued), and "send" every
SEND_INTERVAL_SECONDS (pending rows, retries). A catch-up pass runs once at start, so whatever
fell due while the bot was down goes out then, once, marked late.

APScheduler keeps its jobs in memory only: they are just clocks. Everything durable (what is due,
what was sent) lives in the outbox tables, which is why a restart loses nothing and two processes
do not double anything, on PostgreSQL or SQLite: claims are taken in a write transaction that
re-checks status and lease, and per-channel pacing is reserved in the database. So
`python -m bot tick` beside `python -m bot serve` is safe.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.config import Settings
from bot.scheduler.delivery import Deliverer, DeliveryReport
from bot.scheduler.jobs import DecideReport, decide
from bot.scheduler.senders import Sender
from bot.scheduler.timing import Timing, cron_trigger
from bot.services import Services

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def utc_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class PassReport:
    decided: DecideReport
    delivered: DeliveryReport


class SchedulerRuntime:
    """Decide and deliver against one Services; thread-safe (one pass at a time per process)."""

    def __init__(
        self,
        services: Services,
        senders: Mapping[str, Sender],
        *,
        clock: Clock = utc_clock,
        deliverer: Deliverer | None = None,
    ) -> None:
        self.services = services
        self.clock = clock
        self.timing = Timing(services.settings)
        self.deliverer = deliverer or Deliverer(services.scheduling.outbox, senders)
        self._lock = threading.Lock()
        self._scheduler: BackgroundScheduler | None = None

    def decide(self, now: datetime | None = None) -> DecideReport:
        with self._lock:
            self.timing = Timing(self.services.settings)  # fresh per-pass cache
            return decide(self.services, now or self.clock(), self.timing)

    def deliver(self, now: datetime | None = None) -> DeliveryReport:
        with self._lock:
            return self.deliverer.deliver(now or self.clock())

    def run_pass(self, now: datetime | None = None) -> PassReport:
        """Exactly one pass: decide what is due at `now`, enqueue it, send what is pending."""
        now = now or self.clock()
        return PassReport(decided=self.decide(now), delivered=self.deliver(now))

    # --- the background scheduler --------------------------------------------------------------

    def _safely(self, job: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            try:
                job()
            except Exception:
                log.exception("Scheduler job failed; the next run will try again")

        return run

    def start(self) -> None:
        settings = self.services.settings
        backend = "SQLite" if self.services.db.is_sqlite else "PostgreSQL"
        log.info("Scheduler on %s: outbox rows are claimed one claimer per row, so other bot processes "
                 "(or `python -m bot tick`) may run beside it.", backend)
        # APScheduler logs every run of the 30-second send job at INFO; keep its warnings only.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        scheduler = BackgroundScheduler(
            timezone=settings.tz,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        )
        scheduler.add_job(self._safely(self.run_pass), cron_trigger(settings.reminder_cron, settings.tz),
                          id="reminders", name="decide reminders, then send")
        scheduler.add_job(self._safely(self.run_pass), cron_trigger(settings.digest_cron, settings.tz),
                          id="digests", name="decide digests, then send")
        scheduler.add_job(self._safely(self.deliver), IntervalTrigger(seconds=max(settings.send_interval_seconds, 1)),
                          id="send", name="send pending notifications")
        # Catch-up: whatever fell due while the bot was down goes out now, once, marked late.
        scheduler.add_job(self._safely(self.run_pass), id="catch-up", name="catch-up pass at start",
                          next_run_time=datetime.now(settings.tz))
        scheduler.start()
        self._scheduler = scheduler
        log.info("Scheduler started (%s): digests %r, reminders %r, send every %ss, catch-up horizon %s days",
                 settings.timezone, settings.digest_cron, settings.reminder_cron, settings.send_interval_seconds,
                 settings.catchup_horizon_days)

    def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None


@contextlib.contextmanager
def scheduler_lifespan(settings: Settings, services: Services, senders: Mapping[str, Sender]) -> Iterator[None]:
    """The scheduler runs while the server runs (SCHEDULER_ENABLED=false: off)."""
    if not settings.scheduler_enabled:
        log.info("Scheduler disabled (SCHEDULER_ENABLED=false)")
        yield
        return
    runtime = SchedulerRuntime(services, senders)
    runtime.start()
    try:
        yield
    finally:
        runtime.stop()
