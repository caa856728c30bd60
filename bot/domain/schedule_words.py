"""Crontab schedules in words ("Mondays at 08:00", "weekdays at 09:00") for people, not operators.

Only the shapes a deployment sets for DIGEST_CRON and REMINDER_CRON are put into words: fixed
minute and hour, any day of the month and month, and days of the week as `*`, a name or number,
a range or a list. Anything else is shown as it is written, so a description is never wrong.
"""

from __future__ import annotations

DAY_NAMES = ("Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays")
DAY_CODES = {code: index for index, code in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"))}


def _day(token: str) -> int:
    token = token.strip().upper()
    if token.isdigit():
        number = int(token)
        if 0 <= number <= 7:
            return number % 7
        raise ValueError(token)
    return DAY_CODES[token[:3]]


def _days(field: str) -> list[int]:
    days: list[int] = []
    for part in field.split(","):
        first, dash, last = part.partition("-")
        if dash:
            start, end = _day(first), _day(last)
            days += list(range(start, end + 1)) if start <= end else [*range(start, 7), *range(0, end + 1)]
        else:
            days.append(_day(first))
    return sorted(set(days))


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def describe_cron(expression: str) -> str:
    """`0 8 * * MON` -> "Mondays at 08:00"; `0 9 * * MON-FRI` -> "weekdays at 09:00"."""
    fields = expression.split()
    if len(fields) != 5:
        return f"on the schedule `{expression}`"
    minute, hour, day_of_month, month, day_of_week = fields
    if not (minute.isdigit() and hour.isdigit() and day_of_month == "*" and month == "*"):
        return f"on the schedule `{expression}`"
    at = f"{int(hour):02d}:{int(minute):02d}"
    if day_of_week in {"*", "?"}:
        return f"every day at {at}"
    try:
        days = _days(day_of_week)
    except (KeyError, ValueError):
        return f"on the schedule `{expression}`"
    if days == [1, 2, 3, 4, 5]:
        return f"weekdays at {at}"
    if days == [0, 6]:
        return f"weekends at {at}"
    if len(days) == 7:
        return f"every day at {at}"
    return f"{_join([DAY_NAMES[d] for d in days])} at {at}"
