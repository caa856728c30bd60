"""`/escalate COUNCIL STAGE [DATE] [NOTE]`: record a council's step on the intervention ladder.

Seed `002_...`: six months from publication of an inadequate judgement to improve, then a
commissioner, then a trust or other provider. An unusual step (skipping the ladder, going back
down, repeating a stage) is only written after the user presses Confirm, which repeats the
command with `--confirm`.
"""

from __future__ import annotations

from dataclasses import replace

from bot.commands.base import Command, CommandContext
from bot.commands.resolve import council_or_error
from bot.commands.writes import CONFIRM_FLAG, UNDO_ACTION, acting, split_date_and_note, strip_flag
from bot.core.errors import NeedsConfirmation
from bot.core.format import days_phrase, fmt_date
from bot.core.reply import Action, Fact, Reply, error
from bot.domain.ladder import STAGES, Stage, parse_stage

STAGE_NAMES = "; ".join(f"{s.label} (`{s.key}`)" for s in STAGES)


def split_stage(words: list[str]) -> tuple[list[str], Stage, list[str]] | None:
    """`Harrow commissioner appointed 1/11/2026 note` -> (["Harrow"], stage, ["1/11/2026", "note"])."""
    for start in range(1, len(words)):
        for size in (4, 3, 2, 1):
            if start + size <= len(words):
                stage = parse_stage(" ".join(words[start : start + size]))
                if stage is not None:
                    return words[:start], stage, words[start + size :]
    return None


def handle_escalate(ctx: CommandContext, args: str) -> Reply:
    args, confirmed = strip_flag(args)
    words = args.split()
    if not words:
        return error("Which council, and which stage?", intent="escalate", hint=usage())
    split = split_stage(words)
    if split is None:
        found = council_or_error(ctx, args, command="/escalate")
        if isinstance(found, Reply):
            return found
        return error(f"Which stage has {found.name} reached?", intent="escalate", hint=usage(), council=found.name)
    council_words, stage, rest = split
    council = council_or_error(ctx, " ".join(council_words), command="/council")
    if isinstance(council, Reply):
        # "Did you mean" buttons repeat the whole escalation with the suggested council.
        tail = " ".join([stage.key, *rest])
        return replace(council, actions=tuple(Action(a.label, f"/escalate {a.label} {tail}") for a in council.actions))
    if not council.current:
        return error(
            f"{council.name} no longer exists, so it has no intervention stages to record.",
            intent="escalate",
            council=council.name,
        )
    day, note = split_date_and_note(ctx, rest)
    service = ctx.services.escalations
    day = day or service.default_date(council.id, stage, ctx.today)
    try:
        result = service.escalate(acting(ctx), council.id, stage.key, day, note, today=ctx.today, confirmed=confirmed)
    except NeedsConfirmation as exc:
        # The service knows what is unusual; the command knows how to ask again with --confirm.
        repeat = f"/escalate {council.name} {stage.key} {day.isoformat()}" + (f" {note}" if note else "")
        raise NeedsConfirmation(
            f"Record “{stage.label}” for {council.name} on {fmt_date(day)}? Please confirm: {exc.concern}.",
            concern=exc.concern,
            title=f"{council.name}: confirm {stage.label.lower()}",
            confirm_command=f"{repeat} {CONFIRM_FLAG}",
            cancel_command=f"/council {council.name}",
            council=council.name,
            stage=stage.key,
            date=day.isoformat(),
        ) from exc
    recorded = result.stage
    text = f"Recorded: {council.name}, {recorded.label.lower()} on {fmt_date(recorded.since)}."
    if recorded.deadline is not None:
        text += f" Next deadline {fmt_date(recorded.deadline)} ({days_phrase(recorded.deadline, ctx.today)})."
    else:
        text += " The escalation is closed."
    facts = [Fact("Stage", recorded.label), Fact("Since", fmt_date(recorded.since))]
    if recorded.deadline is not None:
        facts.append(Fact("Next deadline", fmt_date(recorded.deadline)))
    if result.previous is not None:
        facts.append(Fact("Previous stage", f"{result.previous.label} (since {fmt_date(result.previous.since)})"))
    if recorded.note:
        facts.append(Fact("Note", recorded.note))
    return Reply(
        text=text,
        title=f"{council.name}: {recorded.label}",
        facts=tuple(facts),
        kind="confirmation",
        actions=(
            Action("Timeline", f"/council timeline {council.name}"),
            Action("Status card", f"/council {council.name}"),
            UNDO_ACTION,
        ),
        intent="escalate",
        entities={
            "council": council.name,
            "stage": recorded.key,
            "date": recorded.since.isoformat(),
            "deadline": recorded.deadline.isoformat() if recorded.deadline else None,
            "confirmed": confirmed,
        },
    )


def usage() -> str:
    return ESCALATE.usage_hint() + f"\nStages: {STAGE_NAMES}."


ESCALATE = Command(
    name="escalate",
    summary="Record a council's step on the intervention ladder; sets the next deadline.",
    usage=("/escalate COUNCIL STAGE [DATE] [NOTE]",),
    examples=(
        "/escalate Harrow commissioner 20/11/2026 Commissioner appointed by DfE",
        "/escalate Bury improvement notice",
        "/escalate Sefton improving",
    ),
    handler=handle_escalate,
    writes=True,
)
