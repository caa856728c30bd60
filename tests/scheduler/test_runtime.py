"""The scheduler inside `python -m bot serve`: registered as a lifespan hook, cron jobs in the
bot's timezone, a catch-up pass at start, and the single-scheduler warning on SQLite."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.message import CONSOLE_USER
from bot.scheduler.runtime import SchedulerRuntime, scheduler_lifespan
from bot.services import Services


def test_start_runs_cron_jobs_in_london_and_a_catch_up_pass(
    sched_services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    actor = sched_services.actors.actor_for(CONSOLE_USER)
    created = datetime.now(UTC) - timedelta(days=8)
    sched_services.scheduling.subscriptions.subscribe(actor, "slack", "C_ENG", None, created)
    runtime = SchedulerRuntime(sched_services, senders={})
    with caplog.at_level(logging.INFO, logger="bot.scheduler.runtime"):
        runtime.start()
    try:
        assert runtime._scheduler is not None
        jobs = {job.id: job for job in runtime._scheduler.get_jobs()}
        assert {"reminders", "digests", "send"} <= set(jobs)
        assert str(jobs["reminders"].trigger.timezone) == "Europe/London"
        assert "one claimer per row" in caplog.text and "may run beside it" in caplog.text
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not sched_services.scheduling.outbox.list("pending"):
            time.sleep(0.05)
        pending = sched_services.scheduling.outbox.list("pending")
        assert pending, "the catch-up pass enqueued nothing"
        assert any(row.late for row in pending)
    finally:
        runtime.stop()


def test_the_lifespan_hook_honours_scheduler_enabled(
    sched_services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    from dataclasses import replace

    settings = replace(sched_services.settings, scheduler_enabled=False)
    with caplog.at_level(logging.INFO, logger="bot.scheduler.runtime"), \
            scheduler_lifespan(settings, sched_services, {}):
        assert "Scheduler disabled" in caplog.text
        assert "Scheduler started" not in caplog.text
