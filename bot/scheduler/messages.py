"""Reminder replies: one neutral Reply per reminder, with Acknowledge and Snooze buttons.

Each reminder names the council (or region), the date, the stage and the lead broker. The
buttons run `/reminder ack SERIES` and `/reminder snooze SERIES 1d|1w` as the person pressing.
"""

from __future__ import annotations

import functools
from datetime import date

from bot.core import format as wording
from bot.core.format import days_phrase
from bot.core.reply import Action, Fact, Reply, Section
from bot.scheduler.plan import ESCALATION, FOLLOW_UP, PEER_REVIEW, SIGNUP, Nominal
from bot.scheduler.sources import Target

# A pass words thousands of reminders about a few hundred distinct dates.
fmt_date = functools.lru_cache(maxsize=4096)(wording.fmt_date)
WHAT = {
    ESCALATION: "Escalation deadline",
    PEER_REVIEW: "Peer review",
    FOLLOW_UP: "Peer review follow-up",
    SIGNUP: "Sign-up target",
}
DATE_LABEL = {ESCALATION: "Deadline", PEER_REVIEW: "Review starts", FOLLOW_UP: "Follow-up due", SIGNUP: "Target date"}


def short_day(day: date) -> str:
    """`3 Dec` for late markers."""
    return f"{day.day} {day:%b}"


def reminder_actions(series: str) -> tuple[Action, ...]:
    return (
        Action("Acknowledge", f"/reminder ack {series}", style="primary"),
        Action("Snooze 1 day", f"/reminder snooze {series} 1d"),
        Action("Snooze 1 week", f"/reminder snooze {series} 1w"),
    )


OCCASION = {ESCALATION: "the deadline", PEER_REVIEW: "the review starts", FOLLOW_UP: "the follow-up is due",
            SIGNUP: "the sign-up target"}


def is_overdue_nudge(target: Target, nominal: Nominal) -> bool:
    """The one reminder sent after an escalation deadline has passed with nothing recorded."""
    return target.kind == ESCALATION and nominal.day > target.day


def _footer(target: Target, nominal: Nominal, send_day: date, posted_on: date) -> str:
    """Which reminder this is, with the date it counts to; a late one says when it was due."""
    occasion = f"{OCCASION.get(target.kind, 'the date')} ({fmt_date(target.day)})"
    if nominal.label == "snoozed":
        which = f"the reminder held by a snooze until {fmt_date(nominal.day)}; {occasion.removeprefix('the ')}"
    elif nominal.label == "on the day":
        which = f"the reminder on the day: {occasion}"
    elif nominal.label == "follow-up":
        which = f"the follow-up reminder: {occasion}"
    else:
        which = f"the reminder {nominal.label} {occasion}"
    late = f"; it was due on {fmt_date(send_day)} and went out late" if posted_on > send_day else ""
    return f"This is {which}{late}. Acknowledge to stop these reminders; snooze to hold them."


def overdue_nudge(target: Target) -> Reply:
    """Said once per channel: the deadline passed and no intervention was recorded; after this the
    council is listed in the weekly digest's "Past deadline" section instead of a post of its own."""
    passed = fmt_date(target.day)
    broker = f"Lead broker: {target.lead_broker}." if target.lead_broker else "No lead broker recorded."
    return Reply(
        text=f"{target.name}: deadline passed {passed}; no intervention recorded since; record one with /escalate. "
        f"Stage: {target.stage}. {broker}",
        title=f"Deadline passed: {target.name}",
        facts=(
            Fact("Council", target.name),
            Fact("Region", target.region),
            Fact("Deadline", f"passed {passed}"),
            Fact("Stage", target.stage),
            Fact("Lead broker", target.lead_broker or "None recorded"),
        ),
        actions=reminder_actions(target.series_key),
        intent="reminder",
        entities={
            "kind": target.kind, "series": target.series_key, "name": target.name, "region": target.region,
            "date": target.day.isoformat(), "reminder": "deadline passed", "overdue": True,
        },
        footer="This is the only reminder of this passed deadline: from now on it is listed in the weekly "
        "digest under \"Past deadline, no intervention recorded\".",
    )


def reminder_reply(target: Target, nominal: Nominal, send_day: date, posted_on: date | None = None) -> Reply:
    """The reminder due on `send_day`, worded for the day it is posted (`posted_on`, later when late)."""
    if is_overdue_nudge(target, nominal):
        return overdue_nudge(target)
    posted_on = max(posted_on or send_day, send_day)
    what = WHAT.get(target.kind, "Reminder")
    when = days_phrase(target.day, posted_on)
    if target.kind == ESCALATION:
        sentence = f"{target.name}'s intervention deadline is {fmt_date(target.day)} ({when})."
    elif target.kind == PEER_REVIEW:
        sentence = f"{target.name}'s safeguarding peer review starts {fmt_date(target.day)} ({when})."
    elif target.kind == FOLLOW_UP:
        sentence = f"{target.name}'s peer review follow-up is due {fmt_date(target.day)} ({when})."
    else:
        sentence = f"{target.name} is not yet signed up; the sign-up target date is {fmt_date(target.day)} ({when})."
    broker = f"Lead broker: {target.lead_broker}." if target.lead_broker else "No lead broker recorded."
    text = f"{sentence} Stage: {target.stage}. {broker}"
    facts = [
        Fact("Council" if target.kind != SIGNUP else "Region", target.name),
        Fact(DATE_LABEL.get(target.kind, "Date"), f"{fmt_date(target.day)} ({when})"),
        Fact("Stage", target.stage),
        Fact("Lead broker", target.lead_broker or "None recorded"),
    ]
    if target.kind != SIGNUP:
        facts.insert(1, Fact("Region", target.region))
    sections = (Section(lines=(target.detail,)),) if target.detail else ()
    return Reply(
        text=text,
        title=f"{what}: {target.name}, {fmt_date(target.day)}",
        facts=tuple(facts),
        sections=sections,
        actions=reminder_actions(target.series_key),
        intent="reminder",
        entities={
            "kind": target.kind,
            "series": target.series_key,
            "name": target.name,
            "region": target.region,
            "date": target.day.isoformat(),
            "reminder": nominal.label,
            "nominal_day": nominal.day.isoformat(),
        },
        footer=_footer(target, nominal, send_day, posted_on),
    )


def mark_late(reply: Reply, due: date) -> Reply:
    """The reply with "(late: due 3 Dec)" in its title and text: it went out after downtime."""
    marker = f"(late: due {short_day(due)})"
    return Reply(
        text=f"{marker} {reply.text}",
        title=f"{reply.title} {marker}" if reply.title else marker,
        facts=reply.facts,
        sections=reply.sections,
        actions=reply.actions,
        kind=reply.kind,
        ephemeral=reply.ephemeral,
        intent=reply.intent,
        entities={**reply.entities, "late": True},
        footer=reply.footer,
    )
