"""When things go out: cron expressions in the bot's timezone, moved off weekends and bank holidays.

A reminder whose nominal day is D goes out at the first REMINDER_CRON time on or after the start
of D; a digest at each DIGEST_CRON time. Either moment, if it falls on a weekend or an England
bank holiday, moves to the same time on the next working day ("a post due on a holiday goes out
the next working morning"), so an offset that lands on 25 December is sent once, on 29 December.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.config import Settings
from bot.domain.calendar import is_working_day, next_working_day


def cron_trigger(expression: str, tz: ZoneInfo) -> CronTrigger:
    """A CronTrigger from a five-field crontab string; a clear ValueError when it is malformed."""
    try:
        return CronTrigger.from_crontab(expression, timezone=tz)
    except ValueError as exc:
        raise ValueError(f"not a valid crontab expression {expression!r}: {exc}") from exc


class Timing:
    def __init__(self, settings: Settings) -> None:
        self.tz = settings.tz
        self.reminder_trigger = cron_trigger(settings.reminder_cron, self.tz)
        self.digest_trigger = cron_trigger(settings.digest_cron, self.tz)
        self.horizon = timedelta(days=settings.catchup_horizon_days)
        self._reminder_moments: dict[date, datetime] = {}

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)

    def today(self, now: datetime) -> date:
        return self.local(now).date()

    def on_working_day(self, moment: datetime) -> datetime:
        """`moment`, or the same wall-clock time on the next working day."""
        local = self.local(moment)
        if is_working_day(local.date()):
            return local
        return datetime.combine(next_working_day(local.date()), local.time(), tzinfo=self.tz)

    def reminder_moment(self, day: date) -> datetime:
        """When a reminder whose nominal day is `day` goes out."""
        cached = self._reminder_moments.get(day)
        if cached is None:
            start = datetime.combine(day, time(0), tzinfo=self.tz)
            fire = self.reminder_trigger.get_next_fire_time(None, start)
            cached = self.on_working_day(fire if fire is not None else start)
            self._reminder_moments[day] = cached
        return cached

    def digest_moments(self, start: datetime, end: datetime) -> list[tuple[date, datetime]]:
        """(nominal day, moment) of every digest whose moment lies in (start, end]."""
        found: list[tuple[date, datetime]] = []
        # Start early enough that a fire moved forward by a holiday still lands in the window.
        cursor = self.local(start) - timedelta(days=7)
        previous = None
        for _ in range(10_000):
            fire = self.digest_trigger.get_next_fire_time(previous, cursor)
            if fire is None or fire > end + timedelta(days=7):
                break
            moment = self.on_working_day(fire)
            if start < moment <= end:
                found.append((fire.date(), moment))
            previous, cursor = fire, fire + timedelta(microseconds=1)
        return found
