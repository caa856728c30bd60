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
