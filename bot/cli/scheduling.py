"""`python -m bot subscribe|unsubscribe|tick|outbox`: channel subscriptions and the scheduler's outbox."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.config import load_settings

if TYPE_CHECKING:
    from bot.services import Services
    from bot.services.values import RegionInfo

OUTBOX_STATUSES = ("pending", "sent", "failed", "skipped", "cancelled")
TICK_DEFAULT_TIME = time(12, 0)  # `--as-of DATE`: noon, after the default digest and reminder times


def parse_moment(text: str) -> date | datetime:
    try:
        return datetime.fromisoformat(text) if "T" in text or " " in text.strip() else date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"--as-of takes YYYY-MM-DD or YYYY-MM-DDTHH:MM, not {text!r}"
        ) from exc


def _destination_args(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--slack-channel", metavar="ID", help="Slack channel id, e.g. C0123ABC")
    where.add_argument("--teams-conversation", metavar="ID", help="Teams conversation id")
    scope = parser.add_mutually_exclusive_group(required=True)
    scope.add_argument("--region", metavar="NAME", help="a region, e.g. 'North West'")
    scope.add_argument("--national", action="store_true", help="all of England")


def _open() -> Services:
    from bot.bootstrap import open_services

    return open_services(load_settings())


def _target(args: argparse.Namespace) -> tuple[str, str]:
    if args.slack_channel:
        return "slack", args.slack_channel
    return "teams", args.teams_conversation


def _region(services: Services, name: str | None) -> RegionInfo | None:
    if not name:
        return None
    resolution = services.directory.resolve_region(name)
    if resolution.match is None:
        names = ", ".join(r.name for r in services.directory.regions())
        raise SystemExit(f"Unknown region {name!r}. The nine regions are: {names}.")
    return services.directory.region(resolution.match)


def run_subscribe(args: argparse.Namespace) -> int:
    from bot.core.errors import AlreadyDone
    from bot.core.message import CONSOLE_USER

    services = _open()
    platform, destination = _target(args)
    region = _region(services, args.region)
    from bot.bootstrap import channel_access

    actor = services.actors.actor_for(CONSOLE_USER)
    problem = channel_access(services).problem(platform, destination)
    if problem is not None:
        print(f"Not subscribed: {problem}", file=sys.stderr)
        return 1
    try:
        sub = services.scheduling.subscriptions.subscribe(actor, platform, destination, region)
    except AlreadyDone as exc:
        print(str(exc))
        return 0
    print(f"Subscribed {platform}:{destination} to {sub.label} digests and reminders.")
    return 0


def run_unsubscribe(args: argparse.Namespace) -> int:
    from bot.core.errors import AlreadyDone
    from bot.core.message import CONSOLE_USER

    services = _open()
    platform, destination = _target(args)
    region = _region(services, args.region)
    actor = services.actors.actor_for(CONSOLE_USER)
    try:
        cancelled = services.scheduling.subscriptions.unsubscribe(actor, platform, destination, region)
    except AlreadyDone as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"Unsubscribed {platform}:{destination} ({cancelled} pending notifications cancelled).")
    return 0


def tick_moment(value: date | datetime | None, tz: ZoneInfo) -> datetime:
    if value is None:
        return datetime.now(tz)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    return datetime.combine(value, TICK_DEFAULT_TIME, tzinfo=tz)


def run_tick(args: argparse.Namespace) -> int:
    from bot.bootstrap import build_senders
    from bot.scheduler.runtime import SchedulerRuntime

    services = _open()
    now = tick_moment(args.as_of, services.settings.tz)
    runtime = SchedulerRuntime(services, build_senders(services))
    if not runtime.deliverer.senders:
        print("No platform is configured to send (set SLACK_BOT_TOKEN, or Teams credentials): "
              "notifications are queued in the outbox only.", file=sys.stderr)
    report = runtime.run_pass(now)
    decided, delivered = report.decided, report.delivered
    print(
        f"Tick at {now:%Y-%m-%d %H:%M} {services.settings.timezone}: {decided.subscriptions} subscriptions, "
        f"{decided.inserted} new notifications; sent {delivered.sent}, retried {delivered.retried}, "
        f"failed {delivered.failed}."
    )
    return 0 if delivered.failed == 0 else 1


def run_outbox(args: argparse.Namespace) -> int:
    from bot.core import reply_codec

    services = _open()
    if args.retry_failed:
        count = services.scheduling.outbox.retry_failed(datetime.now(services.settings.tz))
        print(f"{count} failed notifications queued again; the next pass sends them.")
    rows = services.scheduling.outbox.list(args.status, limit=args.limit)
    counts = services.scheduling.outbox.counts()
    print("Outbox: " + (", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "empty"))
    for row in rows:
        title = reply_codec.loads(row.payload).title or row.subject
        when = row.sent_at or row.due_at
        extra = " (late)" if row.late else ""
        extra += f" [{row.last_error}]" if row.last_error and row.status != "sent" else ""
        print(f"{row.status:9} {when.astimezone(services.settings.tz):%Y-%m-%d %H:%M}  {row.kind:16} "
              f"{row.platform}:{row.destination:14} {title}{extra}")
    return 0


def configure_subscribe(parser: argparse.ArgumentParser) -> None:
    parser.description = "Subscribe a channel to a region's (or national) weekly digest and reminders."
    _destination_args(parser)


def configure_unsubscribe(parser: argparse.ArgumentParser) -> None:
    parser.description = "Stop a channel's digest and reminders for a region (or the national ones)."
    _destination_args(parser)


def configure_tick(parser: argparse.ArgumentParser) -> None:
    parser.description = "Run exactly one scheduler pass (decide what is due, enqueue, send) and exit."
    parser.add_argument("--as-of", type=parse_moment, help="pass as if now were YYYY-MM-DD (noon) or YYYY-MM-DDTHH:MM")


def configure_outbox(parser: argparse.ArgumentParser) -> None:
    parser.description = "List scheduled notifications: pending, sent, failed, skipped, cancelled."
    parser.add_argument("--status", choices=OUTBOX_STATUSES)
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--retry-failed", action="store_true", help="queue failed notifications again")

