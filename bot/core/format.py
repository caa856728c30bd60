"""Small, shared wording helpers so every reply says dates and counts the same way."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date


def fmt_date(day: date | None) -> str:
    """`4 March 2025` (British order, no leading zero)."""
    return f"{day.day} {day:%B %Y}" if day else "not recorded"


def fmt_short_date(day: date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else "n/a"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def days_phrase(deadline: date, today: date) -> str:
    """`in 12 days`, `due today`, `3 days overdue`."""
    delta = (deadline - today).days
    if delta == 0:
        return "due today"
    if delta > 0:
        return f"in {plural(delta, 'day')}"
    return f"{plural(-delta, 'day')} overdue"


def join_names(names: Sequence[str], conjunction: str = "and") -> str:
    """`A`, `A and B`, `A, B and C`."""
    names = list(names)
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"
