"""Dates typed by people in chat, read the British way (day first): the one date reader.

Commands read dates with `parse_date` / `take_date` / `split_dates`; the NL engine's free-text
ranges (bot/nlu/dates.py) use the same month and weekday names and the same year rule:

    A date without a year is the nearest such date to today, so it lies within about six
    months either side: on 5 January "30/12" is 30 December just gone, and in November
    "12 Jan" is the coming January.

That is what a broker means both when recording something that happened ("agreed 30/12") and
when booking something ahead ("12 Jan"). Give the year to mean anything further away.

A wrong date silently recorded is worse than a refusal, so anything impossible or ambiguous
raises `BadDate` whose message lists the accepted formats (shown to the user as it is).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.errors import BadDate

FIRST_YEAR = 2000
LAST_YEAR = 2100  # anything outside is a typo (31/12/9999), and date arithmetic past 9999 overflows

ACCEPTED_FORMATS = (
    '2025-11-30, 30/11/2025, 30/11 (the nearest 30 November), "30 Nov 2025", "today", "yesterday", "next Friday"'
)

MONTHS: dict[str, int] = {
    "jan": 1, "january": 1,
    "feb": 2, "february": 2,
    "mar": 3, "march": 3,
    "apr": 4, "april": 4,
    "may": 5,
    "jun": 6, "june": 6,
    "jul": 7, "july": 7,
    "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10,
    "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip

WEEKDAYS: dict[str, int] = {
    "mon": 0, "monday": 0,
    "tue": 1, "tues": 1, "tuesday": 1,
    "wed": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3,
    "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5,
    "sun": 6, "sunday": 6,
}  # fmt: skip

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?$")
_WORDY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?(?:\s+(\d{4}))?$")
_WORDY_MONTH_FIRST = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?$")
_RELATIVE_WEEKDAY = re.compile(r"^(next|last|this)\s+([a-z]+)$")
_YEAR_FIRST = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")  # 2026/11/20, 2026.11.20
# Three groups of digits with separators: meant as a date even when not one we read (0/0/0), so
# it is refused rather than taken into a note while the record is dated today.
_DATE_ATTEMPT = re.compile(r"^\d+[/.\-]\d+[/.\-]\d+$")


def _fail(text: str, reason: str) -> BadDate:
    return BadDate(f"{reason} “{text}”. Dates can be written {ACCEPTED_FORMATS}.")


def _build(text: str, year: int, month: int, day: int) -> date:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise _fail(text, f"Years must be between {FIRST_YEAR} and {LAST_YEAR}, so I can't use")
    try:
        return date(year, month, day)
    except ValueError:
        raise _fail(text, "There is no such date as") from None


def in_bounds(day: date) -> bool:
    """True when `day` lies in the years any broker date can have (see FIRST_YEAR, LAST_YEAR)."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def nearest_year(today: date, month: int, day: int | None = None) -> int:
    """The year whose `day` of `month` (the whole month when `day` is None) lies nearest to
    today: the rule for every date given without a year."""
    best_year, best_gap = today.year, None
    for year in (today.year - 1, today.year, today.year + 1):
        last = calendar.monthrange(year, month)[1]
        if day is not None and day > last:
            continue
        if day is None:
            first, final = date(year, month, 1), date(year, month, last)
            gap = 0 if first <= today <= final else min(abs((first - today).days), abs((final - today).days))
        else:
            gap = abs((date(year, month, day) - today).days)
        if best_gap is None or gap < best_gap:
            best_year, best_gap = year, gap
    return best_year


def _year(raw: str | None, today: date, month: int, day: int) -> int:
    if raw is None:
        return nearest_year(today, month, day)
    if len(raw) == 2:
        return 2000 + int(raw)
    return int(raw)


def looks_like_date(text: str) -> bool:
    """True when `text` (one word) is plausibly meant as a date, so a command can tell a date from a note."""
    word = text.strip().lower()
    return word in {"today", "yesterday", "tomorrow"} or bool(
        _ISO.match(word) or _NUMERIC.match(word) or _DATE_ATTEMPT.match(word)
    )


def take_date(words: list[str], today: date) -> tuple[date | None, list[str]]:
    """Split a leading date off `words` (``["30", "Nov", "2025", "rest"]`` -> date, ``["rest"]``).

    Returns ``(None, words)`` when the words do not start with something meant as a date; raises
    `BadDate` when they clearly do but the date is impossible or ambiguous (``31/02/2025``).
    """
    if not words:
        return None, words
    first = words[0].lower()
    for size in (3, 2):
        if len(words) >= size:
            chunk = " ".join(words[:size]).lower()
            m = _WORDY.match(chunk) or _WORDY_MONTH_FIRST.match(chunk)
            if m and (MONTHS.get(m.group(2)) or MONTHS.get(m.group(1))) and (size == 2 or m.group(3)):
                return parse_date(" ".join(words[:size]), today), words[size:]
    if len(words) >= 2 and first in {"next", "last", "this"} and words[1].lower() in WEEKDAYS:
        return parse_date(" ".join(words[:2]), today), words[2:]
    if looks_like_date(first):
        return parse_date(words[0], today), words[1:]
    return None, words


def parse_date(text: str, today: date) -> date:
    """Read `text` as a date relative to `today`.

    Accepted: ISO `2025-11-30`; day first `30/11/2025`, `30/11/25`, `30-11-2025`, `30.11.2025`;
    `30/11`, `30 Nov` (the nearest one, see the module docstring); `30 Nov 2025`, `30 November 2025`,
    `Nov 30 2025`;
    `today`, `yesterday`, `tomorrow`; `next Friday` (the first Friday after today),
    `last Friday` (the last Friday before today), `this Friday` (Friday of this week, Monday first).
    A bare weekday is refused as ambiguous.
    """
    raw = text
    word = " ".join(text.strip().lower().split())
    if not word:
        raise _fail(raw, "No date given in")
    if word == "today":
        return today
    if word == "yesterday":
        return today - timedelta(days=1)
    if word == "tomorrow":
        return today + timedelta(days=1)

    if m := _ISO.match(word) or _YEAR_FIRST.match(word):
        return _build(raw, int(m.group(1)), int(m.group(2)), int(m.group(3)))

    if m := _NUMERIC.match(word):
        day, month = int(m.group(1)), int(m.group(2))
        if month > 12 and day <= 12:
            raise _fail(raw, "Dates are read day first (UK), so this looks like a month-first date:")
        return _build(raw, _year(m.group(3), today, month, day), month, day)

    if m := _WORDY.match(word):
        named_month = MONTHS.get(m.group(2))
        if named_month is None:
            raise _fail(raw, "Unknown month in")
        return _build(raw, _year(m.group(3), today, named_month, int(m.group(1))), named_month, int(m.group(1)))

    if m := _WORDY_MONTH_FIRST.match(word):
        first_month = MONTHS.get(m.group(1))
        if first_month is None:
            raise _fail(raw, "Cannot read the date")
        return _build(raw, _year(m.group(3), today, first_month, int(m.group(2))), first_month, int(m.group(2)))

    if m := _RELATIVE_WEEKDAY.match(word):
        weekday = WEEKDAYS.get(m.group(2))
        if weekday is None:
            raise _fail(raw, "Unknown day of the week in")
        which = m.group(1)
        if which == "next":
            ahead = (weekday - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead)
        if which == "last":
            behind = (today.weekday() - weekday) % 7 or 7
            return today - timedelta(days=behind)
        return today + timedelta(days=weekday - today.weekday())

    if word in WEEKDAYS:
        raise _fail(raw, "Ambiguous: say “next” or “last” with the day, not just")

    raise _fail(raw, "Cannot read the date")


RANGE_WORDS = frozenset({"to", "-", "–", "—", "until", "till", "and"})


@dataclass(frozen=True)
class WordsAndDates:
    words: list[str]  # the words before the first date
    dates: list[date]
    rest: list[str]  # the words after the dates


def split_dates(words: list[str], today: date, max_dates: int = 2, *, leading: bool = False) -> WordsAndDates:
    """`["Bath", ..., "12", "Jan", "2027", "to", "14/01/2027"]` -> name words, dates, rest.

    With `leading`, the dates must come first (`["8", "Feb", "2027", "Warwick", "20"]`). Raises
    BadDate when something clearly meant as a date is impossible (`31/02/2027`)."""
    for i in [0] if leading else range(1, len(words)):
        first, rest = take_date(words[i:], today)
        if first is None:
            continue
        dates = [first]
        while rest and len(dates) < max_dates:
            tail = rest[1:] if rest[0].lower() in RANGE_WORDS else rest
            following, after = take_date(tail, today)
            if following is None:
                break
            dates.append(following)
            rest = after
        return WordsAndDates(words[:i], dates, rest)
    return WordsAndDates(words, [], [])
