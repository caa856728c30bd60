"""Rate limits are waits, not failures; an unreachable Slack ends the pass for Slack at once,
with one log line, and leaves every row pending."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from bot.scheduler.delivery import CLAIM_LEASE
from bot.services import Services
from tests.fakes.slack_api import FakeSlackApi
from tests.scheduler.conftest import at
from tests.scheduler.test_slack_delivery import POST, slack_api, slack_harness, slack_services  # noqa: F401


def test_six_429s_with_retry_after_are_waited_out_and_the_digest_is_sent(
    slack_services: Services, slack_api: FakeSlackApi  # noqa: F811
) -> None:
    h, clock = slack_harness(slack_services)
    h.subscribe("North West", created=at(date(2025, 7, 13), 10))
    slack_api.fail_next(POST, 429, {"Retry-After": "1"}, times=6)
    report = h.tick(date(2025, 7, 14))
    assert report.delivered.failed == 0 and report.delivered.rate_limited == 6
    assert clock.sleeps.count(1.0) >= 6  # each Retry-After waited out
    assert slack_services.scheduling.outbox.list("failed") == []
    sent = slack_services.scheduling.outbox.list("sent", limit=100)
    assert len(sent) == report.delivered.sent == len(slack_api.calls_for(POST, ok_only=True)) >= 1
    assert all(r.attempts == 1 for r in sent)  # the rate limits were not counted as attempts


def test_a_rate_limit_that_will_not_lift_reschedules_at_retry_after_and_never_fails(
    slack_services: Services, slack_api: FakeSlackApi  # noqa: F811
) -> None:
    h, _clock = slack_harness(slack_services)
    h.subscribe("North West", created=at(date(2025, 7, 13), 10))
    slack_api.fail_next(POST, 429, {"Retry-After": "1"}, times=1000)
    report = h.tick(date(2025, 7, 14))
    assert report.delivered.failed == 0 and report.delivered.sent == 0
    outbox = slack_services.scheduling.outbox
    assert outbox.list("failed") == []
    pending = [r for r in outbox.list("pending", limit=100)]
    assert pending and all(r.attempts == 0 and "rate limit" in (r.last_error or "") for r in pending)
    slack_api.reset()
    later = h.runtime.run_pass(at(date(2025, 7, 14), 13))
    assert later.delivered.sent == len(pending) and outbox.list("pending") == []


def test_unreachable_slack_stops_the_pass_with_one_log_line_and_rows_stay_pending(
    slack_services: Services, slack_api: FakeSlackApi, caplog: pytest.LogCaptureFixture  # noqa: F811
) -> None:
    h, clock = slack_harness(slack_services)
    h.subscribe("North West", created=at(date(2025, 7, 13), 10))
    h.subscribe(None, channel="C_ENG", created=at(date(2025, 7, 13), 10))
    slack_api.go_offline()
    with caplog.at_level(logging.DEBUG):
        report = h.tick(date(2025, 7, 14))
    assert report.delivered.sent == report.delivered.failed == report.delivered.retried == 0
    assert report.delivered.unreachable == ["slack"]
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(problems) == 1 and "unreachable" in problems[0].getMessage(), [r.getMessage() for r in problems]
    assert [w for w in clock.sleeps if w > 1.0] == []  # no back-off: the pass stopped at once
    pending = slack_services.scheduling.outbox.list("pending", limit=1000)
    assert len(pending) >= 2 and all(r.attempts == 0 for r in pending)
    slack_api.come_back()
    again = h.runtime.run_pass(at(date(2025, 7, 14), 12).replace(minute=5))
    assert again.delivered.sent == len(pending) == len(slack_api.calls_for(POST, ok_only=True))


def test_rate_limits_never_hold_a_row_past_half_its_claim_and_each_row_is_posted_once(
    slack_services: Services, slack_api: FakeSlackApi  # noqa: F811
) -> None:
    """Waiting out Retry-After in place stops where the claim's first half (150 s of its 5-minute
    lease) would run out: the row goes back to the outbox for a later claim, rather than being
    posted on a claim another process could take over once it lapses."""
    h, clock = slack_harness(slack_services)
    h.subscribe("North West", created=at(date(2025, 7, 13), 10))
    slack_api.fail_next(POST, 429, {"Retry-After": "29"}, times=10)  # 290 s of waiting, if all in place
    report = h.tick(date(2025, 7, 14))
    assert sum(clock.sleeps) <= CLAIM_LEASE.total_seconds() / 2
    outbox = slack_services.scheduling.outbox
    held_back = outbox.list("pending", limit=100)
    assert held_back and all(r.attempts == 0 and "rate limit" in (r.last_error or "") for r in held_back)
    assert report.delivered.failed == 0
    later = h.runtime.run_pass(at(date(2025, 7, 14), 13))
    assert later.delivered.sent == len(held_back) and outbox.list("pending") == []
    posted = [str(c.payload.get("text")) for c in slack_api.calls_for(POST, ok_only=True)]
    assert len(posted) == len(set(posted)) == report.delivered.sent + later.delivered.sent
