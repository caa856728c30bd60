"""Small, shared wording helpers so every reply says dates and counts the same way."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from dateutil.relativedelta import relativedelta

# Up to this many days a span is said in days ("45 days"); beyond it, in months and years.
DAYS_SHOWN_UP_TO = 60


def fmt_date(day: date | None) -> str:
    """`4 March 2025` (British order, no leading zero)."""
    return f"{day.day} {day:%B %Y}" if day else "not recorded"


def fmt_short_date(day: date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else "n/a"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def duration(start: date, end: date) -> str:
    """How long from `start` to `end`, as a person reads it at a glance: `12 days` under about two
    months, then `5 months`, `1 year`, `4 years 5 months` (whole months, rounded down)."""
    if end < start:
        start, end = end, start
    days = (end - start).days
    if days <= DAYS_SHOWN_UP_TO:
        return plural(days, "day")
    span = relativedelta(end, start)
    parts = []
    if span.years:
        parts.append(plural(span.years, "year"))
    if span.months or not span.years:
        parts.append(plural(max(span.months, 1) if not span.years else span.months, "month"))
    return " ".join(parts)


def days_phrase(deadline: date, today: date) -> str:
    """`in 12 days`, `due today`, `3 days overdue`, `4 years 5 months overdue`."""
    if deadline == today:
        return "due today"
    if deadline > today:
        return f"in {duration(today, deadline)}"
    return f"{duration(deadline, today)} overdue"


def ago_phrase(day: date, today: date) -> str:
    """`3 days ago`, `1 year 2 months ago`, `today`, or `in 5 months` for a future day."""
    if day == today:
        return "today"
    if day > today:
        return f"in {duration(today, day)}"
    return f"{duration(day, today)} ago"


def join_names(names: Sequence[str], conjunction: str = "and") -> str:
    """`A`, `A and B`, `A, B and C`."""
    names = list(names)
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"
