"""The App Home tab, drawn from the plain HomeSummary the home service returns."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.adapters.slack.blocks import (
    ACTION_PREFIX,
    MAX_HOME_BLOCKS,
    buttons,
    chunks,
    escape,
    fact_sections,
    mrkdwn,
    plain,
    text_sections,
)
from bot.core.format import days_phrase, fmt_date, plural
from bot.core.reply import Action, Fact
from bot.services.home import AreaSummary, Escalation, HomeSummary

ESCALATIONS_SHOWN = 8
EXAMPLES = (
    "/council Hull: a council's Ofsted judgement, intervention stage and broker",
    "/council list North West inadequate: councils by region and judgement",
    "/broker Leeds: who the lead broker is",
    "/brokerbot: every command, with examples",
    "Or mention me or send me a message in plain English: “who is the broker for Hull?”",
)


def escalation_line(item: Escalation, today: date, *, with_region: bool) -> str:
    where = f" ({item.region})" if with_region else ""
    deadline = (
        f"next deadline {fmt_date(item.deadline)} ({days_phrase(item.deadline, today)})"
        if item.deadline else "no deadline set"
    )
    return f"• *{item.council}*{where}: {item.stage} since {fmt_date(item.since)}; {deadline}"


def area_blocks(area: AreaSummary, today: date, *, national: bool) -> list[Block]:
    blocks: list[Block] = [
        SectionBlock(text=mrkdwn(f"*{escape(area.name)}*: {plural(area.councils, 'council')}")),
        *fact_sections([Fact(grade, str(count)) for grade, count in area.by_judgement.items()]),
    ]
    open_count = len(area.escalations)
    if not open_count:
        blocks.append(ContextBlock(elements=[mrkdwn("No open escalations.")]))
        return blocks
    shown = area.escalations[:ESCALATIONS_SHOWN]
    lines = [f"*Open escalations ({open_count}), soonest deadline first*"]
    lines += [escape(escalation_line(e, today, with_region=national)) for e in shown]
    if open_count > len(shown):
        lines.append(f"…and {open_count - len(shown)} more: try /deadlines or /council list {escape(area.name)}")
    blocks.extend(SectionBlock(text=mrkdwn(chunk)) for chunk in chunks(lines))
    return blocks


def home_blocks(summary: HomeSummary, today: date) -> list[Block]:
    blocks: list[Block] = []
    if summary.is_broker and summary.person is not None:
        blocks.append(HeaderBlock(text=plain(f"Your regions, {summary.person.name}", 150)))
        blocks.append(ContextBlock(elements=[mrkdwn(f"As of {fmt_date(today)}. Councils by latest Ofsted judgement.")]))
        for area in summary.areas:
            blocks.append(DividerBlock())
            blocks.extend(area_blocks(area, today, national=False))
            blocks.extend(buttons([Action(f"{area.name}: inadequate councils"[:75],
                                          f"/council list {area.name} inadequate")]))
        for heading, lines in summary.extras:
            blocks.append(DividerBlock())
            blocks.append(SectionBlock(text=mrkdwn(f"*{escape(heading)}*")))
            blocks.extend(text_sections(lines))
    else:
        blocks.append(HeaderBlock(text=plain("Children's services in England at a glance", 150)))
        blocks.append(ContextBlock(elements=[mrkdwn(f"As of {fmt_date(today)}. Councils by latest Ofsted judgement.")]))
        for area in summary.areas:
            blocks.append(DividerBlock())
            blocks.extend(area_blocks(area, today, national=True))
    blocks.append(DividerBlock())
    blocks.append(SectionBlock(text=mrkdwn("*How to ask*")))
    blocks.extend(text_sections(EXAMPLES))
    blocks.extend(buttons([Action("Help", "/help", style="primary"), Action("Contacts", "/contacts")]))
    if len(blocks) > MAX_HOME_BLOCKS:
        blocks = [*blocks[:MAX_HOME_BLOCKS - 1], ContextBlock(elements=[mrkdwn("…more than fits here.")])]
    return _unique_action_ids(blocks)


def _unique_action_ids(blocks: list[Block]) -> list[Block]:
    """Buttons from several groups share indexes; make each action_id unique within the view."""
    counter = 0
    for block in blocks:
        if isinstance(block, ActionsBlock):
            for element in block.elements:
                if isinstance(element, ButtonElement):
                    prefix = (element.action_id or ACTION_PREFIX).split(":")[0]
                    element.action_id = f"{prefix}:{counter}"
                    counter += 1
    return blocks


def home_view(summary: HomeSummary, today: date) -> dict[str, Any]:
    """The `view` argument of views.publish."""
    return View(type="home", blocks=home_blocks(summary, today)).to_dict()
