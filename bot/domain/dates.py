"""Dates typed by people in chat, read the British way (day first).

Every write command takes an optional date, and a wrong date silently recorded is worse than a
refusal, so anything impossible or ambiguous raises `ValueError` whose message lists the accepted
formats (the message is shown to the user as it is).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

ACCEPTED_FORMATS = '2025-11-30, 30/11/2025, 30/11 (this year), "30 Nov 2025", "today", "yesterday", "next Friday"'

_MONTHS = {
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

_WEEKDAYS = {
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


class DateError(ValueError):
    """A date the bot cannot read with certainty; the message is meant for the user."""


def _fail(text: str, reason: str) -> DateError:
    return DateError(f"{reason} “{text}”. Dates can be written {ACCEPTED_FORMATS}.")


def _build(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _fail(text, "There is no such date as") from None


def _year(text: str, raw: str | None, today: date) -> int:
    if raw is None:
        return today.year
    if len(raw) == 2:
        return 2000 + int(raw)
    return int(raw)


def looks_like_date(text: str) -> bool:
    """True when `text` (one word) is plausibly meant as a date, so a command can tell a date from a note."""
    word = text.strip().lower()
    return word in {"today", "yesterday", "tomorrow"} or bool(_ISO.match(word) or _NUMERIC.match(word))


def take_date(words: list[str], today: date) -> tuple[date | None, list[str]]:
    """Split a leading date off `words` (``["30", "Nov", "2025", "rest"]`` -> date, ``["rest"]``).

    Returns ``(None, words)`` when the words do not start with something meant as a date; raises
    `DateError` when they clearly do but the date is impossible or ambiguous (``31/02/2025``).
    """
    if not words:
        return None, words
    first = words[0].lower()
    for size in (3, 2):
        if len(words) >= size:
            chunk = " ".join(words[:size]).lower()
            m = _WORDY.match(chunk) or _WORDY_MONTH_FIRST.match(chunk)
            if m and (_MONTHS.get(m.group(2)) or _MONTHS.get(m.group(1))) and (size == 2 or m.group(3)):
                return parse_date(" ".join(words[:size]), today), words[size:]
    if len(words) >= 2 and first in {"next", "last", "this"} and words[1].lower() in _WEEKDAYS:
        return parse_date(" ".join(words[:2]), today), words[2:]
    if looks_like_date(first):
        return parse_date(words[0], today), words[1:]
    return None, words


def parse_date(text: str, today: date) -> date:
    """Read `text` as a date relative to `today`.

    Accepted: ISO `2025-11-30`; day first `30/11/2025`, `30/11/25`, `30-11-2025`, `30.11.2025`;
    `30/11` (this year); `30 Nov 2025`, `30 November 2025`, `30 Nov` (this year), `Nov 30 2025`;
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

    if m := _ISO.match(word):
        return _build(raw, int(m.group(1)), int(m.group(2)), int(m.group(3)))

    if m := _NUMERIC.match(word):
        day, month = int(m.group(1)), int(m.group(2))
        if month > 12 and day <= 12:
            raise _fail(raw, "Dates are read day first (UK), so this looks like a month-first date:")
        return _build(raw, _year(raw, m.group(3), today), month, day)

    if m := _WORDY.match(word):
        named_month = _MONTHS.get(m.group(2))
        if named_month is None:
            raise _fail(raw, "Unknown month in")
        return _build(raw, _year(raw, m.group(3), today), named_month, int(m.group(1)))

    if m := _WORDY_MONTH_FIRST.match(word):
        first_month = _MONTHS.get(m.group(1))
        if first_month is None:
            raise _fail(raw, "Cannot read the date")
        return _build(raw, _year(raw, m.group(3), today), first_month, int(m.group(2)))

    if m := _RELATIVE_WEEKDAY.match(word):
        weekday = _WEEKDAYS.get(m.group(2))
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

    if word in _WEEKDAYS:
        raise _fail(raw, "Ambiguous: say “next” or “last” with the day, not just")

    raise _fail(raw, "Cannot read the date")
