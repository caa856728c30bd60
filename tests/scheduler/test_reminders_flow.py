"""End-to-end passes over the seeded database with a controllable clock: Knowsley's deadline
(21 July 2025, North West) counted down on the right days, exactly once, across downtime."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.message import Message, UserRef
from bot.router import Router
from tests.scheduler.conftest import Harness, at

KNOWSLEY = "Knowsley"


def run_days(h: Harness, first: date, last: date) -> dict[date, list[str]]:
    """Tick at noon every day in [first, last]; the reminder labels posted about Knowsley each day."""
    sent: dict[date, list[str]] = {}
    day = first
    while day <= last:
        before = len(h.sender.posts)
        h.tick(day)
        new = [r for _, r in h.sender.posts[before:] if r.entities.get("name") == KNOWSLEY]
        if new:
            sent[day] = [str(r.entities["reminder"]) for r in new]
        day += timedelta(days=1)
    return sent


def test_knowsley_is_counted_down_on_the_right_working_days_exactly_once(harness: Harness) -> None:
    harness.subscribe("North West", created=at(date(2025, 6, 1), 10))
    sent = run_days(harness, date(2025, 6, 2), date(2025, 8, 19))
    assert sent == {
        date(2025, 6, 23): ["30 days before"],  # 21 June is a Saturday
        date(2025, 7, 7): ["14 days before"],
        date(2025, 7, 14): ["7 days before"],
        date(2025, 7, 21): ["on the day"],  # "1 day before" (Sunday) merges into the deadline day
        date(2025, 7, 28): ["deadline passed"],  # once; the later weeks are left to the digest
    }
    knowsley = harness.posts_about(KNOWSLEY)
    first = knowsley[0]
    assert "Knowsley" in first.text and "21 July 2025" in first.text and "Howard Cooper" in first.text
    assert "Judged inadequate" in first.text
    assert [a.label for a in first.actions] == ["Acknowledge", "Snooze 1 day", "Snooze 1 week"]
    assert first.actions[0].command.startswith("/reminder ack escalation:")
    # Passes repeated at the same moments post nothing again.
    before = len(harness.sender.posts)
    for day in (date(2025, 7, 14), date(2025, 7, 21), date(2025, 8, 18)):
        harness.tick(day)
        harness.tick(day, hour=17)
    assert len(harness.sender.posts) == before
    keys = [row.key for row in harness.services.scheduling.outbox.list("sent", limit=1000)]
    assert len(keys) == len(set(keys)) == before


def test_nothing_is_posted_on_weekends_or_before_the_reminder_time(harness: Harness) -> None:
    harness.subscribe("North West", created=at(date(2025, 6, 1), 10))
    harness.tick(date(2025, 6, 21))  # Saturday: the 30-day reminder waits for Monday
    harness.tick(date(2025, 6, 22))
    assert harness.posts_about(KNOWSLEY) == []
    harness.tick(date(2025, 6, 23), hour=8)  # before REMINDER_CRON's 09:00
    assert harness.posts_about(KNOWSLEY) == []
    harness.tick(date(2025, 6, 23), hour=9)
    assert len(harness.posts_about(KNOWSLEY)) == 1


def test_after_downtime_missed_reminders_go_out_once_marked_late_and_old_ones_are_skipped(harness: Harness) -> None:
    harness.subscribe("North West", created=at(date(2025, 6, 1), 10))
    run_days(harness, date(2025, 6, 2), date(2025, 7, 4))
    # Down from 5 July to 16 July: the 14-day reminder (7 July) is beyond the 7-day horizon,
    # the 7-day reminder (14 July) is within it.
    sent = run_days(harness, date(2025, 7, 16), date(2025, 7, 16))
    assert sent == {date(2025, 7, 16): ["7 days before"]}
    late = harness.posts_about(KNOWSLEY)[-1]
    assert late.title is not None and late.title.endswith("(late: due 14 Jul)")
    assert late.text.startswith("(late: due 14 Jul)")
    skipped = harness.services.scheduling.outbox.list("skipped", limit=500)
    assert any(r.due_date == date(2025, 7, 7) and r.series_key.startswith("escalation:") for r in skipped)
    # A restart (a new runtime on the same database) sends nothing twice.
    from tests.scheduler.conftest import make_harness

    again = make_harness(harness.services)
    again.tick(date(2025, 7, 16))
    again.tick(date(2025, 7, 17))
    assert again.posts_about(KNOWSLEY) == []
    assert list(run_days(harness, date(2025, 7, 17), date(2025, 7, 21))) == [date(2025, 7, 21)]


def _press(router: Router, command: str, user: str = "console:local", day: date = date(2025, 7, 14)):  # type: ignore[no-untyped-def]
    return router.handle(Message(text=command, user=UserRef.parse(user), conversation="C_NW", as_of=day))


def test_acknowledge_stops_the_series_and_is_audited(harness: Harness) -> None:
    harness.subscribe("North West", created=at(date(2025, 6, 1), 10))
    run_days(harness, date(2025, 7, 14), date(2025, 7, 14))
    reminder = harness.posts_about(KNOWSLEY)[-1]
    router = Router(harness.services)
    reply = _press(router, reminder.actions[0].command)
    assert reply.intent == "reminder_ack", reply.text
    assert "Knowsley" in reply.text
    assert run_days(harness, date(2025, 7, 15), date(2025, 8, 20)) == {}
    series = str(reminder.entities["series"])
    history = harness.services.audit.history("reminder", series[:128])
    assert [h.action for h in history] == ["reminder.acknowledge"]
    # Other councils' series carry on.
    assert any(r.entities.get("name") != KNOWSLEY for _, r in harness.sender.posts[-3:])


def test_snooze_one_day_sends_the_next_working_day_then_the_countdown_resumes(harness: Harness) -> None:
    harness.subscribe("North West", created=at(date(2025, 6, 1), 10))
    run_days(harness, date(2025, 7, 14), date(2025, 7, 14))
    reminder = harness.posts_about(KNOWSLEY)[-1]
    reply = _press(Router(harness.services), reminder.actions[1].command)
    assert reply.intent == "reminder_snooze", reply.text
    assert "15 July 2025" in reply.text
    assert run_days(harness, date(2025, 7, 15), date(2025, 7, 22)) == {
        date(2025, 7, 15): ["snoozed"],
        date(2025, 7, 21): ["on the day"],
    }
    history = harness.services.audit.history("reminder", str(reminder.entities["series"])[:128])
    assert [h.action for h in history] == ["reminder.snooze"]


def test_snooze_one_week_holds_the_reminders_in_between(harness: Harness) -> None:
    harness.subscribe("North West", created=at(date(2025, 6, 1), 10))
    run_days(harness, date(2025, 7, 7), date(2025, 7, 7))
    reminder = harness.posts_about(KNOWSLEY)[-1]
    assert _press(Router(harness.services), reminder.actions[2].command, day=date(2025, 7, 7)).intent == \
        "reminder_snooze"
    # 14 July (7 days before) is held; the snoozed reminder goes out on 14 July's morning instead... once.
    assert run_days(harness, date(2025, 7, 8), date(2025, 7, 22)) == {
        date(2025, 7, 14): ["7 days before"],
        date(2025, 7, 21): ["on the day"],
    }


def test_viewers_cannot_acknowledge_and_unknown_series_are_refused(harness: Harness) -> None:
    harness.subscribe("North West", created=at(date(2025, 6, 1), 10))
    run_days(harness, date(2025, 7, 14), date(2025, 7, 14))
    reminder = harness.posts_about(KNOWSLEY)[-1]
    router = Router(harness.services)
    refused = _press(router, reminder.actions[0].command, user="slack:UVIEWER1")
    assert refused.kind == "error" and refused.ephemeral and "lead brokers" in refused.text
    unknown = _press(router, "/reminder ack escalation:nothing-here")
    assert unknown.kind == "error" and "don't know a reminder" in unknown.text
    bad = _press(router, f"/reminder snooze {reminder.entities['series']} 3y")
    assert bad.kind == "error" and "1d" in bad.text
    assert run_days(harness, date(2025, 7, 21), date(2025, 7, 21)) == {date(2025, 7, 21): ["on the day"]}


def test_signup_target_reminders_30_14_and_7_days_before_for_regions_not_signed_up(harness: Harness) -> None:
    harness.subscribe("North West", created=at(date(2026, 11, 20), 10))
    seen: dict[date, list[str]] = {}
    day = date(2026, 11, 23)
    while day <= date(2026, 12, 31):
        before = len(harness.sender.posts)
        harness.tick(day)
        labels = [str(r.entities["reminder"]) for _, r in harness.sender.posts[before:]
                  if r.entities.get("kind") == "signup"]
        if labels:
            seen[day] = labels
        day += timedelta(days=1)
    assert seen == {
        date(2026, 12, 1): ["30 days before"],
        date(2026, 12, 17): ["14 days before"],
        date(2026, 12, 24): ["7 days before"],
    }
    signup = next(r for _, r in harness.sender.posts if r.entities.get("kind") == "signup")
    assert "North West" in signup.text and "Howard Cooper" in signup.text and "31 December 2026" in signup.text


def test_peer_review_reminders_and_follow_up(harness: Harness) -> None:
    services = harness.services
    from bot.core.message import CONSOLE_USER

    actor = services.actors.actor_for(CONSOLE_USER)
    council = services.directory.resolve_council("Knowsley").match
    assert council is not None
    review = services.peer_reviews.book(actor, council, date(2026, 3, 2), date(2026, 3, 4), team=("Paul Curran",))
    harness.subscribe("North West", created=at(date(2026, 1, 1), 10))
    got: dict[date, list[str]] = {}
    day = date(2026, 1, 26)
    while day <= date(2026, 3, 25):
        if day == date(2026, 3, 5):
            services.peer_reviews.complete(actor, review.id, date(2026, 3, 4))
        before = len(harness.sender.posts)
        harness.tick(day)
        for _, r in harness.sender.posts[before:]:
            if r.entities.get("kind") in {"peer_review", "review_follow_up"} and r.entities.get("name") == KNOWSLEY:
                got.setdefault(day, []).append(f"{r.entities['kind']}:{r.entities['reminder']}")
        day += timedelta(days=1)
    assert got == {
        date(2026, 2, 2): ["peer_review:28 days before"],
        date(2026, 2, 23): ["peer_review:7 days before"],
        date(2026, 3, 2): ["peer_review:1 day before"],  # 1 March is a Sunday
        date(2026, 3, 18): ["review_follow_up:follow-up"],
    }
