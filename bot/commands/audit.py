"""`/audit COUNCIL|REGION`: who changed what, when and through which platform; `/undo`: revert
your own last write within ten minutes."""

from __future__ import annotations

from typing import Any

from bot.commands.base import Command, CommandContext
from bot.commands.resolve import council_or_error
from bot.commands.writes import require_writer
from bot.core.format import fmt_short_date, join_names, plural
from bot.core.reply import Fact, Reply, Section, error
from bot.services.audit import AuditView

HIDDEN_FIELDS = {"id", "updated_at", "created_at", "updated_by", "created_by", "council_id", "region_id", "kind"}


def handle_audit(ctx: CommandContext, args: str) -> Reply:
    args = args.strip()
    if not args:
        return error("Whose changes? Name a council or a region.", intent="audit", hint=AUDIT.usage_hint())
    directory = ctx.services.directory
    region_id = directory.resolve_region(args).match
    if region_id is not None:
        region = directory.region(region_id)
        return audit_reply(ctx, region.name, ctx.services.audit.region_history(region.code), "region")
    council = council_or_error(ctx, args, command="/audit")
    if isinstance(council, Reply):
        return council
    return audit_reply(ctx, council.name, ctx.services.audit.history("council", council.ons_code), "council")


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """`status: pending → agreed; note: "" → "by email"` (the columns that changed)."""
    if after is None:
        return "deleted"
    if before is None:
        shown = {k: v for k, v in after.items() if k not in HIDDEN_FIELDS and v not in (None, "")}
        return "added " + "; ".join(f"{k}: {v}" for k, v in shown.items())
    diffs = [
        f"{k}: {before.get(k) or '—'} → {after.get(k) or '—'}"
        for k in after
        if k not in HIDDEN_FIELDS and before.get(k) != after.get(k)
    ]
    return "; ".join(diffs) or "no visible change"


def audit_line(ctx: CommandContext, view: AuditView) -> str:
    at = view.at.astimezone(ctx.services.settings.tz) if view.at.tzinfo else view.at
    line = f"{fmt_short_date(at.date())} {at:%H:%M} · {view.actor} via {view.platform} · {view.summary}"
    line += f" [{changes(view.before, view.after)}]"
    if view.undone:
        line += " (undone)"
    return line


def audit_reply(ctx: CommandContext, name: str, views: list[AuditView], kind: str) -> Reply:
    if not views:
        text = f"No changes to {name} have been recorded through the bot yet."
    else:
        latest = views[0]
        text = (
            f"{plural(len(views), 'recorded change')} to {name}; the latest by {latest.actor} "
            f"via {latest.platform}: {latest.summary}."
        )
    actors = join_names(sorted({v.actor for v in views}))
    return Reply(
        text=text,
        title=f"{name}: audit trail",
        facts=(Fact("Changes shown", str(len(views))),) + ((Fact("By", actors),) if actors else ()),
        sections=(Section(lines=tuple(audit_line(ctx, v) for v in views) or ("Nothing recorded.",)),),
        intent="audit",
        entities={"subject": name, "kind": kind, "count": len(views)},
    )


def handle_undo(ctx: CommandContext, args: str) -> Reply:
    actor = require_writer(ctx, "undo changes")  # an undo is a write: not for someone since made a viewer
    result = ctx.services.audit.undo_last(actor)
    what = join_names(list(result.summaries))
    return Reply(
        text=f"Undone: {what}.",
        title="Change undone",
        kind="confirmation",
        ephemeral=True,
        intent="undo",
        entities={"undone": list(result.summaries)},
    )


AUDIT = Command(
    name="audit",
    summary="The audit trail of a council or region: who changed what, when, and how.",
    usage=("/audit COUNCIL", "/audit REGION"),
    examples=("/audit Harrow", "/audit London"),
    handler=handle_audit,
)

UNDO = Command(
    name="undo",
    summary="Undo your own last change, if you made it in the last ten minutes.",
    usage=("/undo",),
    examples=("/undo",),
    handler=handle_undo,
    writes=True,
)
