"""Durations a person reads at a glance: days for short spans, months and years beyond."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.format import ago_phrase, days_phrase, duration

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("start", "end", "said"),
    [
        (date(2026, 11, 24), date(2026, 11, 25), "1 day"),
        (date(2026, 11, 1), date(2026, 11, 24), "23 days"),
        (date(2026, 9, 25), date(2026, 11, 24), "60 days"),
        (date(2026, 9, 1), date(2026, 11, 24), "2 months"),
        (date(2025, 11, 24), date(2026, 11, 24), "1 year"),
        (date(2022, 6, 17), date(2026, 11, 24), "4 years 5 months"),
        (date(2025, 9, 4), date(2026, 11, 24), "1 year 2 months"),
    ],
)
def test_duration_reads_at_a_glance(start: date, end: date, said: str) -> None:
    assert duration(start, end) == said
    assert duration(end, start) == said


def test_deadline_phrases() -> None:
    assert days_phrase(TODAY, TODAY) == "due today"
    assert days_phrase(date(2026, 12, 6), TODAY) == "in 12 days"
    assert days_phrase(date(2022, 6, 17), TODAY) == "4 years 5 months overdue"
    assert "1648" not in days_phrase(date(2022, 5, 26), TODAY)
    assert ago_phrase(date(2026, 11, 21), TODAY) == "3 days ago"
    assert ago_phrase(date(2027, 5, 24), TODAY) == "in 6 months"
