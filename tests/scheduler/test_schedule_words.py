"""Schedules are shown to people in words, not as crontab strings."""

from __future__ import annotations

import pytest

from bot.domain.schedule_words import describe_cron


@pytest.mark.parametrize(("expression", "words"), [
    ("0 8 * * MON", "Mondays at 08:00"),
    ("0 9 * * MON-FRI", "weekdays at 09:00"),
    ("30 7 * * 1,3", "Mondays and Wednesdays at 07:30"),
    ("0 18 * * *", "every day at 18:00"),
    ("0 10 * * SAT,SUN", "weekends at 10:00"),
    ("*/5 * * * *", "on the schedule `*/5 * * * *`"),
    ("0 8 1 * *", "on the schedule `0 8 1 * *`"),
    ("0 8 * * FUNDAY", "on the schedule `0 8 * * FUNDAY`"),
])
def test_cron_in_words(expression: str, words: str) -> None:
    assert describe_cron(expression) == words


def test_reminder_footers_say_which_reminder_and_when_a_late_one_was_due() -> None:
    from datetime import date

    from bot.scheduler.messages import reminder_reply
    from bot.scheduler.plan import ESCALATION, Nominal
    from bot.scheduler.sources import Target

    target = Target(kind=ESCALATION, subject="council-1:judged_inadequate:2026-12-03", region_id=1,
                    region="North West", name="Knowsley", day=date(2026, 12, 3), stage="Judged inadequate",
                    lead_broker="Howard Cooper")
    nominal = Nominal(date(2026, 11, 3), "30 days before")
    on_time = reminder_reply(target, nominal, date(2026, 11, 3))
    assert on_time.footer is not None
    assert on_time.footer.startswith("This is the reminder 30 days before the deadline (3 December 2026).")
    assert "(in 30 days)" in on_time.text
    late = reminder_reply(target, nominal, date(2026, 11, 3), posted_on=date(2026, 11, 10))
    assert late.footer is not None
    assert late.footer.startswith("This is the reminder 30 days before the deadline (3 December 2026); it was "
                                  "due on 3 November 2026 and went out late.")
    assert "(in 23 days)" in late.text and "(in 30 days)" not in late.text  # counted from the day it went out
