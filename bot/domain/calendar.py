"""Working days in England (bank holidays from the `holidays` package) and month arithmetic."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta


@lru_cache(maxsize=64)
def _england_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_bank_holiday(day: date) -> bool:
    return day in _england_holidays(day.year)


def bank_holiday_name(day: date) -> str | None:
    name = _england_holidays(day.year).get(day)
    return str(name) if name else None


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def next_working_day(day: date) -> date:
    """`day` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_months(day: date, months: int) -> date:
    """Calendar months, clamped to month end (31 Aug + 6 months = 28/29 Feb)."""
    return day + relativedelta(months=months)


def deadline_after(start: date, months: int) -> date:
    """A deadline `months` after `start`, moved to the next working day if it falls on a
    weekend or an England bank holiday (nobody can act on a deadline that falls on a holiday)."""
    return next_working_day(add_months(start, months))


def programme_year(day: date) -> tuple[date, date]:
    """The programme (financial) year containing `day`: 1 April to 31 March."""
    start_year = day.year if day.month >= 4 else day.year - 1
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


def programme_year_label(day: date) -> str:
    start, _ = programme_year(day)
    return f"{start.year}/{str(start.year + 1)[-2:]}"
