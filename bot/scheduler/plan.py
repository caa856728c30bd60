"""Which reminders a series has, and on which nominal days: pure date arithmetic, no I/O.

Escalation deadlines 30, 14, 7 and 1 days before and on the day, then the weekly overdue days (of
which each subscription gets only its first: `jobs.Decider.nudge_day`); peer reviews 28, 7 and 1
days before and a follow-up 14 days after; the sign-up target date 30, 14 and 7 days before (regions
not yet signed up). Acknowledge stops a series; Snooze holds its reminders until a day and sends one then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.services.scheduling import SeriesState

ESCALATION_OFFSETS = (30, 14, 7, 1, 0)
OVERDUE_EVERY_DAYS = 7
REVIEW_OFFSETS = (28, 7, 1)
FOLLOW_UP_AFTER_DAYS = 14
SIGNUP_OFFSETS = (30, 14, 7)

ESCALATION = "escalation"
PEER_REVIEW = "peer_review"
FOLLOW_UP = "review_follow_up"
SIGNUP = "signup"
DIGEST = "digest"


@dataclass(frozen=True)
class Nominal:
    """One reminder of a series: its nominal day and what it says about the target date."""

    day: date
    label: str  # "30 days before", "on the day", "overdue (week 2)", "follow-up", "snoozed"


def series_key(kind: str, subject: str) -> str:
    """The id shared by every notification of one series (acknowledge and snooze act on it)."""
    return f"{kind}:{subject}"


def offset_label(days: int) -> str:
    if days == 0:
        return "on the day"
    return "1 day before" if days == 1 else f"{days} days before"


def before(target: date, offsets: tuple[int, ...], first: date, last: date) -> list[Nominal]:
    # A pass asks this of every open item, most of them nowhere near [first, last].
    if target < first or target - timedelta(days=max(offsets)) > last:
        return []
    found = []
    for k in offsets:
        day = target - timedelta(days=k)
        if first <= day <= last:
            found.append(Nominal(day, offset_label(k)))
    return found


def escalation_days(deadline: date, first: date, last: date) -> list[Nominal]:
    """Countdown to `deadline`, then every week while it is overdue, within [first, last]."""
    found = before(deadline, ESCALATION_OFFSETS, first, last)
    if deadline + timedelta(days=OVERDUE_EVERY_DAYS) > last:
        return found
    week = max(1, -(-(first - deadline).days // OVERDUE_EVERY_DAYS))
    while (day := deadline + timedelta(days=OVERDUE_EVERY_DAYS * week)) <= last:
        found.append(Nominal(day, f"overdue (week {week})"))
        week += 1
    return found


def review_days(start: date, first: date, last: date) -> list[Nominal]:
    return before(start, REVIEW_OFFSETS, first, last)


def follow_up_days(follow_up: date, first: date, last: date) -> list[Nominal]:
    return [Nominal(follow_up, "follow-up")] if first <= follow_up <= last else []


def signup_days(target: date, first: date, last: date) -> list[Nominal]:
    return before(target, SIGNUP_OFFSETS, first, last)


def apply_state(nominals: list[Nominal], state: SeriesState | None, first: date, last: date) -> list[Nominal]:
    """Acknowledged: nothing more. Snoozed: drop reminders in [snoozed_at, snoozed_until) and add
    one on `snoozed_until` (it merges with a regular reminder due that day)."""
    if state is None:
        return nominals
    if state.acknowledged_at is not None:
        return []
    kept = nominals
    if state.snoozed_at is not None and state.snoozed_until is not None:
        held_from, until = state.snoozed_at, state.snoozed_until
        kept = [n for n in nominals if not held_from <= n.day < until]
        if first <= until <= last and all(n.day != until for n in kept):
            kept.append(Nominal(until, "snoozed"))
    return kept
