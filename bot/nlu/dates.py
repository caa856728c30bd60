"""Find a date or date range in free text ("next week", "end of March", "30/11") relative to today.

Kept free of platform and database code so any feature can reuse it:

    >>> from datetime import date
    >>> parse_when("deadlines next week?", date(2026, 11, 24))
    DateRange(start=datetime.date(2026, 11, 30), end=datetime.date(2026, 12, 6), phrase='next week')

Dates are read the British way (day first: "3/4" is 3 April). A day or month given without a year
means the occurrence nearest to today ("end of March" in November is next March; "30/11" in
December is the one just gone): the same rule as commands (bot/domain/dates.py), which suits both
"when is it due?" and "what happened in March?". Month and weekday names come from there too.
Weeks start on Monday. Ranges are inclusive. Returns None when the text names no date.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.errors import BadDate
from bot.domain.dates import ACCEPTED_FORMATS, FIRST_YEAR, LAST_YEAR, MONTHS, WEEKDAYS, in_bounds, nearest_year


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of days; a single day has start == end. `phrase` is the text matched."""

    start: date
    end: date
    phrase: str = ""

    def days_ahead(self, today: date) -> int:
        """Days from today to the end of the range (0 if already past): a look-ahead window."""
        return max((self.end - today).days, 0)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple of": 2, "few": 3,
}  # fmt: skip

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(sorted(set(WEEKDAYS) - {"sat", "sun", "wed"}, key=len, reverse=True)) + r")\b"
_COUNT = r"(?P<count>\d{1,3}|" + "|".join(sorted(NUMBERS, key=len, reverse=True)) + r")"
_UNIT = r"(?P<unit>day|week|fortnight|month|year)s?"
_YEAR = r"(?:\s*,?\s*(?P<year>\d{4}))?"
_ORD = r"(?:st|nd|rd|th)?"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _week(today: date, offset: int) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
    return monday, monday + timedelta(days=6)


def _count(raw: str) -> int:
    return int(raw) if raw.isdigit() else NUMBERS[" ".join(raw.lower().split())]


def _span(unit: str, count: int) -> timedelta | int:
    """A length as days (timedelta) or months (int)."""
    if unit == "day":
        return timedelta(days=count)
    if unit == "week":
        return timedelta(weeks=count)
    if unit == "fortnight":
        return timedelta(weeks=2 * count)
    if unit == "month":
        return count
    return 12 * count


def _after(today: date, unit: str, count: int) -> date:
    span = _span(unit, count)
    return today + span if isinstance(span, timedelta) else _add_months(today, span)


def _before(today: date, unit: str, count: int) -> date:
    span = _span(unit, count)
    return today - span if isinstance(span, timedelta) else _add_months(today, -span)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year_of(raw: str | None) -> int | None:
    if not raw:
        return None
    year = int(raw)
    return year + 2000 if year < 100 else year


RuleFn = Callable[[re.Match[str], date], "tuple[date, date] | None"]


def _relative_window(m: re.Match[str], today: date) -> tuple[date, date] | None:
    # "next 30 days", "within two weeks", "in the next month", "over the coming fortnight"
    count = _count(m["count"]) if m.groupdict().get("count") else 1
    return today, _after(today, m["unit"].lower(), count)


def _past_window(m: re.Match[str], today: date) -> tuple[date, date] | None:
    count = _count(m["count"]) if m["count"] else 1
    return _before(today, m["unit"].lower(), count), today


def _in_n(m: re.Match[str], today: date) -> tuple[date, date] | None:
    # "in 2 weeks" / "2 weeks from now": the window up to then (deadline questions look ahead)
    return today, _after(today, m["unit"].lower(), _count(m["count"]))


def _ago(m: re.Match[str], today: date) -> tuple[date, date] | None:
    day = _before(today, m["unit"].lower(), _count(m["count"]))
    return day, day


def _named_period(m: re.Match[str], today: date) -> tuple[date, date] | None:
    which, unit = m["which"].lower(), m["unit"].lower()
    offset = {"this": 0, "current": 0, "next": 1, "last": -1, "previous": -1, "coming": 1}[which]
    if unit == "week":
        return _week(today, offset)
    if unit == "fortnight":
        start = today if offset == 0 else _week(today, offset)[0]
        return start, start + timedelta(days=13)
    if unit == "month":
        first = _add_months(today.replace(day=1), offset)
        return first, _month_end(first.year, first.month)
    if unit == "year":
        year = today.year + offset
        return date(year, 1, 1), date(year, 12, 31)
    return None


def _end_of_period(m: re.Match[str], today: date) -> tuple[date, date] | None:
    which, unit = (m["which"] or "this").lower(), m["unit"].lower()
    offset = {"this": 0, "the": 0, "next": 1, "last": -1}[which]
    if unit == "week":
        end = _week(today, offset)[1] - timedelta(days=2)  # Friday: the end of the working week
    elif unit == "month":
        first = _add_months(today.replace(day=1), offset)
        end = _month_end(first.year, first.month)
    else:
        end = date(today.year + offset, 12, 31)
    return end, end


def _end_of_month(m: re.Match[str], today: date) -> tuple[date, date] | None:
    month = MONTHS[m["month"].lower()]
    year = _year_of(m["year"]) or nearest_year(today, month)
    end = _month_end(year, month)
    return end, end


def _start_of_month(m: re.Match[str], today: date) -> tuple[date, date] | None:
    month = MONTHS[m["month"].lower()]
    year = _year_of(m["year"]) or nearest_year(today, month)
    return date(year, month, 1), date(year, month, 1)


def _day_month(m: re.Match[str], today: date) -> tuple[date, date] | None:
    month = MONTHS[m["month"].lower()]
    day = int(m["day"])
    year = _year_of(m["year"]) or nearest_year(today, month, day)
    found = _safe_date(year, month, day)
    return (found, found) if found else None


def _numeric(m: re.Match[str], today: date) -> tuple[date, date] | None:
    day, month = int(m["day"]), int(m["month"])
    if not 1 <= month <= 12:
        return None
    year = _year_of(m["year"]) or nearest_year(today, month, day)
    found = _safe_date(year, month, day)
    return (found, found) if found else None


def _iso(m: re.Match[str], today: date) -> tuple[date, date] | None:
    found = _safe_date(int(m["year"]), int(m["month"]), int(m["day"]))
    return (found, found) if found else None


def _whole_month(m: re.Match[str], today: date) -> tuple[date, date] | None:
    if m["month"].lower() == "may" and not (m["prep"] or m["year"]):
        return None  # "may I ask..." is not a month
    month = MONTHS[m["month"].lower()]
    year = _year_of(m["year"]) or nearest_year(today, month)
    return date(year, month, 1), _month_end(year, month)


def _weekday(m: re.Match[str], today: date) -> tuple[date, date] | None:
    # "Friday", "by Friday", "this Friday": the coming one (today counts); "next Friday": strictly
    # after today; "last Friday": the most recent one before today.
    target = WEEKDAYS[m["weekday"].lower()]
    which = (m["which"] or "").lower()
    if which == "last":
        day = today - timedelta(days=(today.weekday() - target) % 7 or 7)
        return day, day
    ahead = (target - today.weekday()) % 7
    if which == "next":
        ahead = ahead or 7
    day = today + timedelta(days=ahead)
    return day, day


def _simple(offset_start: int, offset_end: int) -> RuleFn:
    def rule(m: re.Match[str], today: date) -> tuple[date, date] | None:
        return today + timedelta(days=offset_start), today + timedelta(days=offset_end)

    return rule


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w/])" + pattern + r"(?![\w/])", re.IGNORECASE)


# Order matters: the first rule that matches wins, so specific forms come before general ones.
RULES: tuple[tuple[re.Pattern[str], RuleFn], ...] = tuple(
    (_compile(p), f)
    for p, f in (
        (r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})", _iso),
        (r"(?P<day>\d{1,2})[/.](?P<month>\d{1,2})(?:[/.](?P<year>\d{4}|\d{2}))?", _numeric),
        (r"(?:the\s+)?end\s+of\s+(?P<which>this|the|next|last)\s+(?P<unit>week|month|year)", _end_of_period),
        (r"(?:the\s+)?end\s+of\s+(?:the\s+)?(?P<which>)(?P<unit>week|month|year)", _end_of_period),
        (r"(?:the\s+)?end\s+of\s+" + _MONTH + _YEAR, _end_of_month),
        (r"(?:the\s+)?(?:start|beginning)\s+of\s+" + _MONTH + _YEAR, _start_of_month),
        (r"(?:the\s+)?(?P<day>\d{1,2})" + _ORD + r"\s+(?:of\s+)?" + _MONTH + _YEAR, _day_month),
        (_MONTH + r"\s+(?:the\s+)?(?P<day>\d{1,2})" + _ORD + _YEAR, _day_month),
        (r"(?:(?:in|within|over|during)\s+)?(?:the\s+)?(?:next|coming|following)\s+" + _COUNT + r"\s*" + _UNIT,
         _relative_window),
        (r"(?<!the\s)(?<!coming\s)(?P<which>this|next|last|previous|current)\s+(?P<unit>week|month|year)",
         _named_period),
        (r"(?:(?:in|within|over|during)\s+)?(?:the\s+)?(?:next|coming|following)\s+" + _UNIT, _relative_window),
        (r"within\s+(?:a\s+|the\s+)?" + _COUNT + r"?\s*" + _UNIT, _relative_window),
        (r"(?:in\s+)?(?:the\s+)?(?:last|past|previous)\s+" + _COUNT + r"\s*" + _UNIT, _past_window),
        (r"in\s+" + _COUNT + r"\s*" + _UNIT + r"(?:\s+time)?", _in_n),
        (_COUNT + r"\s*" + _UNIT + r"\s+(?:from\s+now|from\s+today)", _in_n),
        (_COUNT + r"\s*" + _UNIT + r"\s+ago", _ago),
        (r"(?P<which>this|next|last|previous|current|coming)\s+(?P<unit>week|fortnight|month|year)", _named_period),
        (r"(?P<which>this|next|last|on|by|before|coming)?\s*" + _WEEKDAY, _weekday),
        (r"(?P<prep>in\s+|during\s+|for\s+|by\s+|before\s+|until\s+)?" + _MONTH + _YEAR, _whole_month),
        (r"today|tonight", _simple(0, 0)),
        (r"tomorrow", _simple(1, 1)),
        (r"yesterday", _simple(-1, -1)),
        (r"overdue|past\s+due", _simple(-3650, -1)),
    )
)


def parse_when(text: str, today: date) -> DateRange | None:
    """The first date or date range named in `text`, relative to `today`; None if there is none.
    Raises BadDate for a date outside the years the bot accepts (as the command reader does)."""
    if not text:
        return None
    for pattern, rule in RULES:
        for match in pattern.finditer(text):
            try:
                found = rule(match, today)
            except OverflowError:  # "in 99999999 days": past the last date Python can hold
                found = (date.max, date.max)
            if found is not None:
                start, end = found
                if not (in_bounds(start) and in_bounds(end)):
                    raise BadDate(
                        f"Years must be between {FIRST_YEAR} and {LAST_YEAR}, so I can't use "
                        f"“{match.group(0).strip()}”. Dates can be written {ACCEPTED_FORMATS}."
                    )
                return DateRange(start=min(start, end), end=max(start, end), phrase=match.group(0).strip())
    return None


__all__ = ["DateRange", "parse_when"]
