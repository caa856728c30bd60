"""parse_when: dates and ranges in free text, relative to a fixed today (Tuesday 24 Nov 2026)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.nlu.dates import DateRange, parse_when

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("deadlines next week?", date(2026, 11, 30), date(2026, 12, 6)),
        ("anything due this week", date(2026, 11, 23), date(2026, 11, 29)),
        ("by the end of March", date(2027, 3, 31), date(2027, 3, 31)),
        ("due 30/11", date(2026, 11, 30), date(2026, 11, 30)),
        ("on 4/3/2025", date(2025, 3, 4), date(2025, 3, 4)),
        ("this month", date(2026, 11, 1), date(2026, 11, 30)),
        ("next month", date(2026, 12, 1), date(2026, 12, 31)),
        ("in the next 30 days", TODAY, date(2026, 12, 24)),
        ("within two weeks", TODAY, date(2026, 12, 8)),
        ("published on 4 March 2025", date(2025, 3, 4), date(2025, 3, 4)),
        ("March 4th", date(2027, 3, 4), date(2027, 3, 4)),
        ("in March 2025", date(2025, 3, 1), date(2025, 3, 31)),
        ("by Friday", date(2026, 11, 27), date(2026, 11, 27)),
        ("end of the month", date(2026, 11, 30), date(2026, 11, 30)),
        ("tomorrow", date(2026, 11, 25), date(2026, 11, 25)),
        ("2026-12-01", date(2026, 12, 1), date(2026, 12, 1)),
        ("last month", date(2026, 10, 1), date(2026, 10, 31)),
    ],
)
def test_phrases_map_to_the_expected_range(text: str, start: date, end: date) -> None:
    found = parse_when(text, TODAY)
    assert found is not None
    assert (found.start, found.end) == (start, end)


@pytest.mark.parametrize("text", ["who is the broker for Hull?", "may I ask something", "31/02", ""])
def test_text_without_a_date_gives_none(text: str) -> None:
    assert parse_when(text, TODAY) is None


def test_day_without_year_is_the_nearest_occurrence() -> None:
    assert parse_when("30/11", date(2026, 12, 10)) == DateRange(date(2026, 11, 30), date(2026, 11, 30), "30/11")
    assert parse_when("1/1", date(2026, 12, 10)) == DateRange(date(2027, 1, 1), date(2027, 1, 1), "1/1")


def test_days_ahead_counts_to_the_end_of_the_range_and_never_below_zero() -> None:
    this_month = parse_when("this month", TODAY)
    assert this_month is not None and this_month.days_ahead(TODAY) == 6
    last_month = parse_when("last month", TODAY)
    assert last_month is not None and last_month.days_ahead(TODAY) == 0
    assert date(2026, 11, 28) in this_month
