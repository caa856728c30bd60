"""`/deadlines [REGION] [DAYS]`: intervention deadlines falling due in the next DAYS (default 30)
and those already overdue, soonest first, with the lead broker."""

from __future__ import annotations

from datetime import timedelta

from bot.commands.base import Command, CommandContext
from bot.commands.resolve import optional_region
from bot.core.format import days_phrase, fmt_short_date, join_names, plural
from bot.core.reply import Action, Fact, Reply, Section, error
from bot.services.escalations import DueItem

DEFAULT_DAYS = 30
MAX_DAYS = 3660
LIST_LIMIT = 40


def handle_deadlines(ctx: CommandContext, args: str) -> Reply:
    words = args.split()
    days = DEFAULT_DAYS
    # DAYS comes last; a leading number ("/deadlines 60 London") is DAYS too. No region name has a
    # number in it, and left in, the forgiving region match would swallow it and answer for 30 days.
    at = -1 if words and _is_integer(words[-1]) else 0
    if words and _is_integer(words[at]):
        token = words.pop(at)
        if not token.isdigit():
            return error("DAYS must be a positive number of days.", intent="deadlines", hint=DEADLINES.usage_hint())
        days = int(token)
        if not 1 <= days <= MAX_DAYS:
            return error(
                f"DAYS must be between 1 and {MAX_DAYS}, not {days}.", intent="deadlines", hint=DEADLINES.usage_hint()
            )
    region = optional_region(ctx, " ".join(words))
    if isinstance(region, Reply):
        return region
    end = ctx.today + timedelta(days=days)
    items = ctx.services.escalations.due_items(ctx.today, end, region.id if region else None)
    overdue = [i for i in items if i.overdue]
    upcoming = [i for i in items if not i.overdue]
    where = f"in {region.name}" if region else "in England"
    text = (
        f"{plural(len(upcoming), 'intervention deadline')} {where} "
        f"{'falls' if len(upcoming) == 1 else 'fall'} due in the next {plural(days, 'day')}, "
        f"and {len(overdue)} {'is' if len(overdue) == 1 else 'are'} overdue."
    )
    if upcoming:
        first = upcoming[0]
        text += f" Next: {first.council}, {fmt_short_date(first.deadline)} ({days_phrase(first.deadline, ctx.today)})."
    sections = []
    if overdue:
        sections.append(Section(heading=f"Overdue ({len(overdue)})", lines=lines(overdue, ctx)))
    sections.append(
        Section(
            heading=f"Due in the next {plural(days, 'day')} ({len(upcoming)})",
            lines=lines(upcoming, ctx) or ("Nothing falls due.",),
        )
    )
    return Reply(
        text=text,
        title=f"Intervention deadlines {where}",
        facts=(Fact("Overdue", str(len(overdue))), Fact(f"Due in {days} days", str(len(upcoming)))),
        sections=tuple(sections),
        actions=tuple(Action(i.council, f"/council {i.council}") for i in items[:3]),
        intent="deadlines",
        entities={
            "region": region.name if region else None,
            "days": days,
            "overdue": [i.council for i in overdue],
            "upcoming": [i.council for i in upcoming],
        },
    )


def _is_integer(word: str) -> bool:
    return word.lstrip("-").isdigit()


def lines(items: list[DueItem], ctx: CommandContext) -> tuple[str, ...]:
    rendered = tuple(
        f"{fmt_short_date(i.deadline)} ({days_phrase(i.deadline, ctx.today)}): {i.council} ({i.region}), "
        f"{i.stage_label.lower()} since {fmt_short_date(i.since)}"
        + (f" · {join_names(list(i.brokers))}" if i.brokers else " · no lead broker")
        for i in items[:LIST_LIMIT]
    )
    if len(items) > LIST_LIMIT:
        rendered += (f"…and {len(items) - LIST_LIMIT} more: narrow by region.",)
    return rendered


DEADLINES = Command(
    name="deadlines",
    summary="Intervention deadlines falling due soon, and overdue ones, with the lead broker.",
    usage=("/deadlines [REGION] [DAYS]",),
    examples=("/deadlines", "/deadlines London 90", "/deadlines 60"),
    handler=handle_deadlines,
)
