"""parse_date / take_date: the UK day-first formats and the errors that name them."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.dates import ACCEPTED_FORMATS, BadDate, parse_date, take_date

TODAY = date(2026, 11, 24)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-11-30", date(2025, 11, 30)),
        ("2025/11/30", date(2025, 11, 30)),
        ("2025.11.30", date(2025, 11, 30)),
        ("30/11/2025", date(2025, 11, 30)),
        ("30-11-2025", date(2025, 11, 30)),
        ("30.11.25", date(2025, 11, 30)),
        ("30/11", date(2026, 11, 30)),
        ("3/4/2025", date(2025, 4, 3)),
        ("30 Nov 2025", date(2025, 11, 30)),
        ("30th November 2025", date(2025, 11, 30)),
        ("30 Nov", date(2026, 11, 30)),
        ("Nov 30 2025", date(2025, 11, 30)),
        ("today", TODAY),
        ("Yesterday", date(2026, 11, 23)),
        ("tomorrow", date(2026, 11, 25)),
        ("next Friday", date(2026, 11, 27)),
        ("next Tuesday", date(2026, 12, 1)),
        ("last Friday", date(2026, 11, 20)),
    ],
)
def test_accepted_formats_are_read_day_first(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31/02/2026", "no such date"),
        ("2026-13-01", "no such date"),
        ("11/30/2025", "month-first"),
        ("Friday", "Ambiguous"),
        ("30 Smarch 2025", "Unknown month"),
        ("soon", "Cannot read"),
        ("", "No date"),
    ],
)
def test_impossible_or_ambiguous_dates_name_the_accepted_formats(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(text, TODAY)
    message = str(caught.value)
    assert reason in message
    assert ACCEPTED_FORMATS in message
    assert "2025-11-30" in message and "30/11/2025" in message and "next Friday" in message
    assert isinstance(caught.value, BadDate)


def test_take_date_splits_a_leading_date_from_a_note() -> None:
    assert take_date(["30", "Nov", "2025", "by", "email"], TODAY) == (date(2025, 11, 30), ["by", "email"])
    assert take_date(["next", "friday", "call"], TODAY) == (date(2026, 11, 27), ["call"])
    assert take_date(["yesterday"], TODAY) == (date(2026, 11, 23), [])
    assert take_date(["3", "calls", "made"], TODAY) == (None, ["3", "calls", "made"])
    assert take_date(["agreed", "at", "board"], TODAY) == (None, ["agreed", "at", "board"])
    with pytest.raises(BadDate):
        take_date(["31/02/2026", "note"], TODAY)
    for attempt in ("0/0/0", "2026/13/40", "1.2.3"):  # meant as dates but not ones: refused, never
        with pytest.raises(BadDate):  # taken into the note while the record is dated today
            take_date([attempt, "note"], TODAY)


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("30/12", date(2027, 1, 5), date(2026, 12, 30)),  # just gone, not eleven months ahead
        ("30 Dec", date(2027, 1, 5), date(2026, 12, 30)),
        ("12 Jan", date(2026, 11, 24), date(2027, 1, 12)),  # coming, not ten months ago
        ("12/01", date(2026, 11, 24), date(2027, 1, 12)),
        ("1 June", date(2026, 11, 24), date(2026, 6, 1)),  # nearer behind than ahead
        ("29/02", date(2028, 2, 1), date(2028, 2, 29)),
    ],
)
def test_a_date_without_a_year_is_the_nearest_one_in_commands_and_plain_english(
    text: str, today: date, expected: date
) -> None:
    from bot.nlu.dates import parse_when

    assert parse_date(text, today) == expected
    found = parse_when(f"deadlines on {text}", today)
    assert found is not None and found.start == expected
