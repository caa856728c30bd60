"""Acceptance: a broker subscribed to the North West channel sees Knowsley's deadline counted
down on the right days, exactly once each, across restarts.

What tests/scheduler already proves (and is not repeated here): every offset and holiday shift over
the seeded 21 July 2025 deadline with a subscription planted through the service, a new runtime on
the same Services after downtime, and two `python -m bot tick` processes on PostgreSQL for one day.

What this adds: the whole loop as a broker lives it. Howard Cooper (the North West's lead broker),
linked to Slack, types `/digest subscribe North West` in #north-west and records Knowsley's
commissioner, which sets a new deadline. The bot is then restarted every Monday (new Services and
scheduler on the same SQLite file, as a redeploy would) and once runs as a separate
`python -m bot tick` process; every reminder goes through the real Slack sender to the fake Slack
Web API. The channel must get the 30/14/7/1-day and on-the-day reminders and the weekly overdue
ones on working days, exactly once each, and nothing more about Knowsley's old, superseded deadline.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.adapters.slack.sender import make_slack_sender
from bot.bootstrap import build_router, open_database
from bot.config import Settings
from bot.core.message import Message, UserRef
from bot.domain.calendar import deadline_after, next_working_day
from bot.scheduler.delivery import Deliverer
from bot.scheduler.runtime import SchedulerRuntime
from bot.services import Services
from tests.acceptance.helpers import link
from tests.conftest import TODAY, make_settings
from tests.fakes.slack_api import FakeSlackApi
from tests.scheduler.conftest import FakeClock, at

REPO = Path(__file__).resolve().parents[2]
CHANNEL = "C0NORTHWEST"
HOWARD = "slack:U0HOWARDC"
POST = "chat.postMessage"
REMINDER = re.compile(r"^(\(late: due [^)]*\) )?Knowsley's intervention deadline is (?P<day>\d+ \w+ \d{4}) "
                      r"\((?P<when>[^)]*)\)\. Stage: (?P<stage>[^.]*)\.")
NUDGE = re.compile(r"^(\(late: due [^)]*\) )?Knowsley: deadline passed (?P<day>\d+ \w+ \d{4}); no intervention "
                   r"recorded since; record one with /escalate\. Stage: (?P<stage>[^.]*)\.")


class Bot:
    """One bot process: its own database connection, services, router and scheduler."""

    def __init__(self, settings: Settings) -> None:
        self.services = Services.create(settings, open_database(settings))
        self.router = build_router(self.services)
        sender = make_slack_sender(settings)
        clock = FakeClock()  # pacing sleeps advance a fake clock, not the test
        deliverer = Deliverer(self.services.scheduling.outbox, {"slack": sender}, sleep=clock.sleep,
                              monotonic=clock.monotonic, worker=f"bot-{id(self)}")
        self.runtime = SchedulerRuntime(self.services, {"slack": sender}, deliverer=deliverer)

    def say(self, text: str, user: str, today: date) -> str:
        return self.router.handle(Message(text=text, user=UserRef.parse(user), conversation=CHANNEL,
                                          as_of=today)).text

    def tick(self, day: date) -> None:
        self.runtime.run_pass(at(day))

    def stop(self) -> None:
        self.services.db.dispose()


@pytest.fixture
def slack_api() -> Iterator[FakeSlackApi]:
    with FakeSlackApi() as api:
        yield api


def knowsley_reminders(api: FakeSlackApi) -> list[re.Match[str]]:
    """Knowsley escalation reminders posted to the North West channel, in order."""
    found = []
    for call in api.calls_for(POST, ok_only=True):
        text = str(call.payload.get("text"))
        match = REMINDER.match(text) or NUDGE.match(text)
        if match and call.payload.get("channel") == CHANNEL:
            found.append(match)
    return found


def when_of(match: re.Match[str]) -> str:
    return match["when"] if "when" in match.groupdict() else "deadline passed"


def cli_tick(settings: Settings, day: date) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": settings.database_url, "SLACK_BOT_TOKEN": settings.slack_bot_token,
           "SLACK_API_URL": settings.slack_api_url, "BOT_AUTO_SEED": "false"}
    return subprocess.run([sys.executable, "-m", "bot", "tick", "--as-of", day.isoformat()], capture_output=True,
                          text=True, env=env, timeout=300, cwd=REPO)


def expected_days(deadline: date, first: date, last: date) -> dict[date, str]:
    """When the reminders should arrive and how they count: 30, 14, 7, 1 days before and on the day,
    then one "deadline passed" seven days after (later weeks are in the digest); one due on a weekend
    or bank holiday moves to the next working day, where it merges with a later one of the same series
    (the reminder rule, restated)."""
    nominal = [deadline - timedelta(days=k) for k in (30, 14, 7, 1, 0)]
    if deadline + timedelta(days=7) <= last:
        nominal.append(deadline + timedelta(days=7))
    sends = sorted({next_working_day(day) for day in nominal if day >= first})
    return {send: counted(deadline, send) for send in sends if send <= last}


def counted(deadline: date, send: date) -> str:
    left = (deadline - send).days
    if left == 0:
        return "due today"
    if left > 0:
        return f"in {left} day{'s' if left > 1 else ''}"
    return "deadline passed"


def test_knowsley_is_counted_down_in_the_north_west_channel_once_each_across_restarts(
    db_path: Path, slack_api: FakeSlackApi
) -> None:
    settings = make_settings(f"sqlite:///{db_path}", slack_bot_token="xoxb-test", slack_api_url=slack_api.url)
    today = TODAY  # the wall clock stands at TODAY too (tests/conftest.py), so the subscription is stamped then
    first_day = today + timedelta(days=1)

    bot = Bot(settings)
    link(bot.services, "Howard Cooper", HOWARD)
    subscribed = bot.say("/digest subscribe North West", HOWARD, today)
    assert subscribed.startswith("Subscribed this channel to North West")
    recorded = bot.say(f"/escalate Knowsley commissioner {today:%d/%m/%Y}", HOWARD, today)
    deadline = deadline_after(today, 3)
    assert recorded.startswith(f"Recorded: Knowsley, commissioner appointed on {today.day} ")

    cli_day = next_working_day(deadline - timedelta(days=7))  # the 7-day reminder comes from a separate process
    last_day = deadline + timedelta(days=15)
    sent_on: dict[date, list[str]] = {}
    day = first_day
    while day <= last_day:
        before = len(knowsley_reminders(slack_api))
        if day == cli_day:
            result = cli_tick(settings, day)
            assert result.returncode == 0, result.stderr
        else:
            if day.weekday() == 0:  # a redeploy every Monday morning: a new process on the same database
                bot.stop()
                bot = Bot(settings)
            bot.tick(day)
        new = knowsley_reminders(slack_api)[before:]
        if new:
            sent_on[day] = [when_of(m) for m in new]
        day += timedelta(days=1)

    expected = expected_days(deadline, first_day, last_day)
    assert len(expected) >= 5 and cli_day in expected  # the countdown and one "deadline passed"
    assert list(expected.values()).count("deadline passed") == 1
    assert sent_on == {d: [when] for d, when in expected.items()}
    reminders = knowsley_reminders(slack_api)
    # Every one is about the new stage and deadline; never the superseded 21 July 2025 one.
    assert {m["stage"] for m in reminders} == {f"Commissioner appointed (since {today.day} {today:%B %Y})"}
    assert {m["day"] for m in reminders} == {f"{deadline.day} {deadline:%B %Y}"}
    assert all(m.group(1) is None for m in reminders)  # none late: each went out on its day

    # Restart again and replay the reminder days: nothing is posted twice.
    bot.stop()
    again = Bot(settings)
    for day in expected:
        again.tick(day)
    assert len(knowsley_reminders(slack_api)) == len(reminders)
    again.stop()
