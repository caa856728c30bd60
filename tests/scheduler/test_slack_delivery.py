"""Delivery through the real Slack sender against the fake Slack Web API: failures, Retry-After,
back-off, permanent errors, pacing and exactly-once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bot.adapters.slack.sender import make_slack_sender
from bot.bootstrap import open_database
from bot.scheduler.delivery import Deliverer
from bot.scheduler.runtime import SchedulerRuntime
from bot.services import Services
from tests.conftest import make_settings
from tests.fakes.slack_api import FakeSlackApi
from tests.scheduler.conftest import FakeClock, Harness, RecordingSender, at

POST = "chat.postMessage"


@pytest.fixture
def slack_api() -> Iterator[FakeSlackApi]:
    with FakeSlackApi() as api:
        yield api


@pytest.fixture
def slack_services(db_path: Path, slack_api: FakeSlackApi) -> Iterator[Services]:
    settings = make_settings(f"sqlite:///{db_path}", slack_bot_token="xoxb-test", slack_api_url=slack_api.url)
    db = open_database(settings)
    yield Services.create(settings, db)
    db.dispose()


def slack_harness(services: Services) -> tuple[Harness, FakeClock]:
    clock = FakeClock()
    sender = make_slack_sender(services.settings)
    deliverer = Deliverer(services.scheduling.outbox, {"slack": sender}, sleep=clock.sleep,
                          monotonic=clock.monotonic, worker="w1")
    runtime = SchedulerRuntime(services, {"slack": sender}, deliverer=deliverer)
    return Harness(services, RecordingSender(), clock, runtime), clock


def knowsley_posts(api: FakeSlackApi) -> list[dict]:  # type: ignore[type-arg]
    return [c.payload for c in api.calls_for(POST, ok_only=True) if "Knowsley" in str(c.payload.get("text"))]


def test_a_429_with_retry_after_is_honoured_and_the_reminder_posted_once(
    slack_services: Services, slack_api: FakeSlackApi
) -> None:
    h, clock = slack_harness(slack_services)
    h.subscribe("North West", created=at(date(2025, 7, 13), 10))
    slack_api.fail_next(POST, 429, {"Retry-After": "7"})
    report = h.tick(date(2025, 7, 14))
    assert 7.0 in clock.sleeps
    assert report.delivered.rate_limited == 1 and report.delivered.retried == 0 and report.delivered.failed == 0
    posts = knowsley_posts(slack_api)
    assert len(posts) == 1
    assert posts[0]["channel"] == "C_NW"
    blocks = posts[0]["blocks"]
    assert any(b["type"] == "actions" for b in blocks)
    assert len(slack_api.calls_for(POST, ok_only=True)) == report.delivered.sent
    assert all(row.status == "sent" for row in slack_services.scheduling.outbox.list(limit=100)
               if row.status not in {"skipped"})


def test_a_500_is_retried_with_backoff_then_recovers(slack_services: Services, slack_api: FakeSlackApi) -> None:
    h, clock = slack_harness(slack_services)
    h.subscribe("North West", created=at(date(2025, 7, 13), 10))
    slack_api.fail_next(POST, 500, times=2)
    report = h.tick(date(2025, 7, 14))
    assert clock.sleeps[:2] == [2.0, 4.0]  # exponential back-off between the two failures
    assert report.delivered.failed == 0
    assert len(slack_api.calls_for(POST, ok_only=True)) == report.delivered.sent >= 1
    assert len(slack_api.calls_for(POST)) == report.delivered.sent + 2


def test_a_long_retry_after_goes_back_to_the_outbox_and_the_next_pass_sends_it(
    slack_services: Services, slack_api: FakeSlackApi
) -> None:
    h, clock = slack_harness(slack_services)
    h.subscribe("North West", created=at(date(2025, 7, 13), 10))
    slack_api.fail_next(POST, 429, {"Retry-After": "120"})
    first = h.tick(date(2025, 7, 14), hour=12)
    assert 120.0 not in clock.sleeps
    pending = slack_services.scheduling.outbox.list("pending")
    # a rate limit is not a failed attempt: the row is only rescheduled at Retry-After
    assert len(pending) == 1 and pending[0].attempts == 0 and "rate limit" in (pending[0].last_error or "")
    assert h.runtime.run_pass(at(date(2025, 7, 14), 12).replace(minute=1)).delivered.sent == 0  # not yet
    later = h.runtime.run_pass(at(date(2025, 7, 14), 12).replace(minute=3))
    assert later.delivered.sent == 1
    assert slack_services.scheduling.outbox.list("pending") == []
    assert first.delivered.sent + later.delivered.sent == len(slack_api.calls_for(POST, ok_only=True))


def test_a_channel_the_bot_cannot_post_to_fails_permanently_without_retrying(
    slack_services: Services, slack_api: FakeSlackApi
) -> None:
    h, _clock = slack_harness(slack_services)
    h.subscribe("North West", created=at(date(2025, 7, 13), 10))
    slack_api.fail_next(POST, 200, body={"ok": False, "error": "channel_not_found"}, times=100)
    report = h.tick(date(2025, 7, 14))
    assert report.delivered.sent == 0 and report.delivered.failed >= 1
    failed = slack_services.scheduling.outbox.list("failed")
    assert failed and "channel_not_found" in (failed[0].last_error or "")
    assert len(slack_api.calls_for(POST)) == report.delivered.failed
    # Once the bot is invited, the operator queues them again and the next pass sends them.
    slack_api.reset()
    assert slack_services.scheduling.outbox.retry_failed(at(date(2025, 7, 14), 13)) == len(failed)
    again = h.runtime.run_pass(at(date(2025, 7, 14), 13))
    assert again.delivered.sent == len(failed) == len(slack_api.calls_for(POST, ok_only=True))


def test_at_most_one_message_per_second_per_channel(slack_services: Services, slack_api: FakeSlackApi) -> None:
    h, clock = slack_harness(slack_services)
    h.subscribe("North West", created=at(date(2025, 7, 20), 10))
    report = h.tick(date(2025, 7, 21))  # several North West councils fall due together
    assert report.delivered.sent >= 2
    assert len(clock.sleeps) == report.delivered.sent - 1
    assert all(0.99 <= s <= 1.0 for s in clock.sleeps)


def test_posted_digests_and_reminders_are_valid_block_kit(slack_services: Services, slack_api: FakeSlackApi) -> None:
    from tests.slack.schema_check import block_errors

    h, _clock = slack_harness(slack_services)
    h.subscribe("North West", created=at(date(2025, 7, 13), 10))
    h.subscribe(None, channel="C_ENG", created=at(date(2025, 7, 13), 10))
    h.tick(date(2025, 7, 14))
    posts = slack_api.calls_for(POST, ok_only=True)
    kinds = {("digest" if "weekly digest" in str(c.payload["text"]) or "this week" in str(c.payload["text"])
              else "reminder") for c in posts}
    assert kinds == {"digest", "reminder"}
    for call in posts:
        assert block_errors(call.payload["blocks"]) == [], call.payload["text"]


def test_a_slow_batch_hands_back_its_claim_before_the_lease_can_expire(slack_services: Services) -> None:
    from datetime import timedelta

    clock = FakeClock()
    sender = RecordingSender()
    deliverer = Deliverer(slack_services.scheduling.outbox, {"slack": sender}, sleep=clock.sleep,
                          monotonic=clock.monotonic, worker="slow", lease=timedelta(seconds=4))
    runtime = SchedulerRuntime(slack_services, {"slack": sender}, deliverer=deliverer)
    h = Harness(slack_services, sender, clock, runtime)
    h.subscribe(None, channel="C_ENG", created=at(date(2025, 7, 13), 10))  # one channel: paced 1 s apart
    outbox = slack_services.scheduling.outbox
    released: list[int] = []
    original = outbox.release

    def counting_release(row_id: int, worker: str) -> bool:
        released.append(row_id)
        return original(row_id, worker)

    outbox.release = counting_release  # type: ignore[method-assign]
    report = h.tick(date(2025, 7, 14))
    assert released, "the batch should have handed rows back"
    assert report.delivered.sent == len(sender.posts) >= 4
    keys = [r.key for r in slack_services.scheduling.outbox.list("sent", limit=500)]
    assert len(keys) == len(set(keys)) == len(sender.posts)
    assert slack_services.scheduling.outbox.list("pending") == []
