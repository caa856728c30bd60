"""Reminder offsets and working-day shifting, as pure functions of dates."""

from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.core import reply_codec
from bot.core.reply import Action, Fact, Reply, Section
from bot.scheduler.plan import apply_state, escalation_days, follow_up_days, review_days, signup_days
from bot.scheduler.timing import Timing
from bot.services.scheduling import SeriesState

LONDON = ZoneInfo("Europe/London")
DEADLINE = date(2025, 7, 21)


def days(nominals):  # type: ignore[no-untyped-def]
    return [n.day for n in nominals]


def test_escalation_reminders_count_down_30_14_7_1_and_0_days_then_weekly_while_overdue() -> None:
    found = escalation_days(DEADLINE, date(2025, 6, 1), date(2025, 8, 20))
    assert sorted(days(found)) == [
        date(2025, 6, 21), date(2025, 7, 7), date(2025, 7, 14), date(2025, 7, 20), date(2025, 7, 21),
        date(2025, 7, 28), date(2025, 8, 4), date(2025, 8, 11), date(2025, 8, 18),
    ]
    labels = {n.day: n.label for n in found}
    assert labels[date(2025, 6, 21)] == "30 days before"
    assert labels[date(2025, 7, 21)] == "on the day"
    assert labels[date(2025, 8, 4)] == "overdue (week 2)"


def test_overdue_weeks_resume_at_the_right_week_inside_a_later_window() -> None:
    found = escalation_days(DEADLINE, date(2026, 11, 24), date(2026, 11, 30))
    assert days(found) == [DEADLINE + timedelta(weeks=71)]
    assert found[0].label == "overdue (week 71)"


def test_peer_review_reminders_28_7_1_days_before_and_follow_up_14_days_after() -> None:
    start = date(2026, 3, 2)
    assert sorted(days(review_days(start, date(2026, 1, 1), date(2026, 4, 1)))) == [
        date(2026, 2, 2), date(2026, 2, 23), date(2026, 3, 1)
    ]
    assert days(follow_up_days(date(2026, 3, 20), date(2026, 3, 1), date(2026, 3, 31))) == [date(2026, 3, 20)]
    assert follow_up_days(date(2026, 3, 20), date(2026, 3, 21), date(2026, 3, 31)) == []


def test_signup_reminders_30_14_7_days_before_the_target() -> None:
    assert sorted(days(signup_days(date(2026, 12, 31), date(2026, 11, 1), date(2026, 12, 31)))) == [
        date(2026, 12, 1), date(2026, 12, 17), date(2026, 12, 24)
    ]


def test_acknowledged_series_has_no_more_reminders() -> None:
    found = escalation_days(DEADLINE, date(2025, 6, 1), date(2025, 8, 1))
    state = SeriesState("s", datetime(2025, 7, 1, tzinfo=LONDON), "Howard", None, None, None)
    assert apply_state(found, state, date(2025, 6, 1), date(2025, 8, 1)) == []


def test_snooze_holds_reminders_until_the_day_and_sends_one_then() -> None:
    found = escalation_days(DEADLINE, date(2025, 7, 1), date(2025, 7, 31))
    state = SeriesState("s", None, None, date(2025, 7, 14), date(2025, 7, 15), "Howard")
    kept = days(apply_state(found, state, date(2025, 7, 1), date(2025, 7, 31)))
    assert date(2025, 7, 14) not in kept
    assert date(2025, 7, 15) in kept
    assert date(2025, 7, 21) in kept
    week = SeriesState("s", None, None, date(2025, 7, 14), date(2025, 7, 21), "Howard")
    kept = days(apply_state(found, week, date(2025, 7, 1), date(2025, 7, 31)))
    assert date(2025, 7, 20) not in kept and kept.count(date(2025, 7, 21)) == 1


def timing(**overrides: object) -> Timing:
    return Timing(Settings(database_url="sqlite://", **overrides))  # type: ignore[arg-type]


def test_reminders_due_on_christmas_and_boxing_day_go_out_once_on_the_next_working_day() -> None:
    t = timing()
    # 2026: 25 Dec is a Friday, Boxing Day a Saturday with its substitute holiday on Monday 28 Dec.
    assert t.reminder_moment(date(2026, 12, 25)) == datetime(2026, 12, 29, 9, 0, tzinfo=LONDON)
    assert t.reminder_moment(date(2026, 12, 26)) == datetime(2026, 12, 29, 9, 0, tzinfo=LONDON)
    assert t.reminder_moment(date(2026, 12, 24)) == datetime(2026, 12, 24, 9, 0, tzinfo=LONDON)


def test_easter_monday_and_weekends_move_to_the_next_working_day() -> None:
    t = timing()
    assert t.reminder_moment(date(2027, 3, 29)) == datetime(2027, 3, 30, 9, 0, tzinfo=LONDON)  # Easter Monday
    assert t.reminder_moment(date(2027, 3, 26)) == datetime(2027, 3, 30, 9, 0, tzinfo=LONDON)  # Good Friday
    assert t.reminder_moment(date(2026, 11, 28)) == datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)  # Saturday


def test_a_digest_due_on_a_bank_holiday_monday_goes_out_on_tuesday_morning() -> None:
    t = timing()
    found = t.digest_moments(datetime(2027, 3, 27, tzinfo=LONDON), datetime(2027, 4, 6, 12, tzinfo=LONDON))
    assert found == [
        (date(2027, 3, 29), datetime(2027, 3, 30, 8, 0, tzinfo=LONDON)),  # Easter Monday -> Tuesday
        (date(2027, 4, 5), datetime(2027, 4, 5, 8, 0, tzinfo=LONDON)),  # an ordinary Monday
    ]


def test_schedules_come_from_cron_settings() -> None:
    t = timing(reminder_cron="30 7 * * *", digest_cron="0 16 * * FRI")
    assert t.reminder_moment(date(2026, 11, 24)) == datetime(2026, 11, 24, 7, 30, tzinfo=LONDON)
    fridays = t.digest_moments(datetime(2026, 11, 23, tzinfo=LONDON), datetime(2026, 12, 5, tzinfo=LONDON))
    assert [m for _, m in fridays] == [datetime(2026, 11, 27, 16, 0, tzinfo=LONDON),
                                       datetime(2026, 12, 4, 16, 0, tzinfo=LONDON)]


def test_reply_codec_round_trips_every_field() -> None:
    reply = Reply(
        text="t", title="T", facts=(Fact("a", "b"),), sections=(Section("h", (Fact("c", "d"),), ("l1", "l2")),),
        actions=(Action("Ack", "/reminder ack x", style="primary"),), kind="confirmation", ephemeral=True,
        intent="reminder", entities={"n": 1, "s": "x"}, footer="f",
    )
    assert reply_codec.loads(reply_codec.dumps(reply)) == reply


class Span(NamedTuple):
    start: date
    days: int


def test_reply_codec_encodes_entities_as_the_standard_library_would() -> None:
    """Dates, instants, tuples and other objects in entities read back as before the
    codec used orjson: ISO text, lists, str() of the object."""
    class Named:
        def __str__(self) -> str:
            return "named thing"

    entities = {"day": date(2026, 11, 30), "at": datetime(2026, 11, 30, 9, 30, tzinfo=LONDON), "ids": (1, 2),
                "thing": Named(), "nested": {"when": date(2027, 3, 31)}, "name": "Sainte-Hélène",
                "span": Span(date(2026, 12, 1), 7)}
    expected = json.loads(json.dumps(entities, default=lambda v: v.isoformat() if isinstance(v, date) else str(v)))
    encoded = reply_codec.dumps(Reply(text="t", entities=entities))
    assert json.loads(encoded)["entities"] == expected == reply_codec.to_dict(Reply(text="t", entities=entities))[
        "entities"]
    assert reply_codec.loads(encoded).entities == expected
    assert "Sainte-Hélène" in encoded  # UTF-8, not \u escapes


def test_reply_codec_keeps_what_orjson_alone_refuses() -> None:
    """A lone surrogate (a "\\ud800" escape in a JSON body Slack sent, echoed back in a reply) and
    an int beyond 64 bits are kept as the standard library keeps them; text it wrote before the
    codec used orjson (escaped surrogates, NaN, 1e400) still reads."""
    reply = Reply(text="I don't know a council called “Zq\ud800”.", entities={"asked": "Zq\ud800", "n": 2**70})
    assert reply_codec.loads(reply_codec.dumps(reply)) == reply
    assert reply_codec.to_dict(reply)["entities"] == {"asked": "Zq\ud800", "n": 2**70}
    written_before = json.dumps({"text": "Zq\ud800", "entities": {"score": float("nan"), "big": 1e400}})
    kept = reply_codec.loads(written_before)
    assert kept.text == "Zq\ud800"
    assert math.isnan(kept.entities["score"]) and math.isinf(kept.entities["big"])
