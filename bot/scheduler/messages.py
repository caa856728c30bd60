"""Reminder replies: one neutral Reply per reminder, with Acknowledge and Snooze buttons.

Each reminder names the council (or region), the date, the stage and the lead broker. The
buttons run `/reminder ack SERIES` and `/reminder snooze SERIES 1d|1w` as the person pressing.
"""

from __future__ import annotations

from datetime import date

from bot.core.format import days_phrase, fmt_date
from bot.core.reply import Action, Fact, Reply, Section
from bot.scheduler.plan import ESCALATION, FOLLOW_UP, PEER_REVIEW, SIGNUP, Nominal
from bot.scheduler.sources import Target

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


def reminder_reply(target: Target, nominal: Nominal, send_day: date) -> Reply:
    what = WHAT.get(target.kind, "Reminder")
    when = days_phrase(target.day, send_day)
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
        title=f"{what}: {target.name} ({when})",
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
        footer=f"Reminder ({nominal.label}). Acknowledge to stop these reminders; snooze to hold them.",
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
