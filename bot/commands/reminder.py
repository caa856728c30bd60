"""`/reminder ack|snooze SERIES`: what the Acknowledge and Snooze buttons on a reminder run.

The answer is the reminder itself, settled: its title and facts, no buttons, and who acted and
when ("Acknowledged by Paul Curran on 24 November 2026"). The platforms show that answer in place
of the pressed reminder, and every other posted copy of the series is replaced with it too
(`bot.scheduler.updates`), so no live button is left anywhere.
"""

from __future__ import annotations

from dataclasses import replace

from bot.commands.base import Command, CommandContext
from bot.commands.writes import acting
from bot.core.format import fmt_date, plural
from bot.core.reply import Fact, Reply, error
from bot.services.actors import Actor
from bot.services.scheduling import SNOOZE_PERIODS


def person_name(ctx: CommandContext, actor: Actor) -> str:
    """The roster name, else the platform's display name, else (only then) the raw id."""
    return actor.name or ctx.message.display_name or f"{actor.platform}:{actor.user_id}"


def settled(ctx: CommandContext, series: str, name: str, status: str, intent: str, **entities: object) -> Reply:
    """The series' reminder with its buttons gone and `status` said in its text, facts and footer."""
    original = ctx.services.scheduling.series.latest_reminder(series)
    facts = tuple(f for f in original.facts if f.label != "Status") if original else (Fact("Reminder", name),)
    return Reply(
        text=f"{status}. {original.text}" if original else f"{status}.",
        title=original.title if original else f"Reminder: {name}",
        facts=(Fact("Status", status), *facts),
        sections=original.sections if original else (),
        actions=(),
        kind="confirmation",
        ephemeral=True,  # the posted reminders themselves now say it; the presser alone gets this copy
        intent=intent,
        entities={"series": series, "name": name, "status": status, **entities},
        footer=status + ".",
    )


def handle_reminder(ctx: CommandContext, args: str) -> Reply:
    words = args.split()
    if len(words) < 2 or words[0].lower() not in {"ack", "acknowledge", "snooze"}:
        return error("Which reminder, and what should I do with it?", intent="reminder", hint=REMINDER.usage_hint())
    verb, series = words[0].lower(), words[1]
    name = ctx.services.scheduling.series.describe(series)
    if name is None:
        return error(f"I don't know a reminder called `{series}`.", intent="reminder",
                     hint="Use the buttons on a reminder message.", series=series)
    actor = acting(ctx)
    ctx.services.actors.require_writer(actor, "acknowledge or snooze reminders")
    who = person_name(ctx, actor)
    if verb == "snooze":
        period = words[2].lower() if len(words) > 2 else ""
        if period not in SNOOZE_PERIODS:
            return error("Snooze for how long: `1d` (a day) or `1w` (a week)?", intent="reminder_snooze",
                         hint=REMINDER.usage_hint(), series=series)
        until = ctx.today + SNOOZE_PERIODS[period]
        ctx.services.scheduling.series.snooze(actor, series, ctx.today, until)
        return settled(ctx, series, name, f"Snoozed until {fmt_date(until)} by {who}", "reminder_snooze",
                       until=until.isoformat())
    cancelled = ctx.services.scheduling.series.acknowledge(actor, series)
    status = f"Acknowledged by {who} on {fmt_date(ctx.today)}"
    reply = settled(ctx, series, name, status, "reminder_ack", cancelled=cancelled)
    if cancelled:
        return replace(reply, footer=f"{status}. {plural(cancelled, 'pending reminder')} cancelled.")
    return reply


REMINDER = Command(
    name="reminder",
    summary="Acknowledge or snooze a reminder series (the buttons on reminders run this).",
    usage=("/reminder ack SERIES", "/reminder snooze SERIES 1d|1w"),
    examples=("/reminder snooze escalation:council-12:judged_inadequate:2025-07-21 1w",),
    handler=handle_reminder,
    writes=True,
)
