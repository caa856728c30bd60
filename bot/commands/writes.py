"""Shared bits for commands that write: who is acting, refusals, dates and the undo button."""

from __future__ import annotations

from datetime import date

from bot.commands.base import CommandContext
from bot.core.reply import Action, Reply, error
from bot.domain.dates import ACCEPTED_FORMATS, take_date
from bot.services.actors import Actor, PermissionDenied

UNDO_ACTION = Action("Undo", "/undo", style="danger")
CONFIRM_FLAG = "--confirm"


def acting(ctx: CommandContext) -> Actor:
    return ctx.services.actors.actor_for(ctx.message.user)


def refusal(exc: Exception, *, intent: str) -> Reply:
    """A permission refusal (its message already says who can help)."""
    return error(str(exc), intent=intent, reason="permission_denied")


def writer_or_refusal(ctx: CommandContext, what: str) -> Actor | Reply:
    """The acting user if they may `what`, else the permission refusal reply (checked before parsing,
    so a viewer hears "you can't" rather than about a typo)."""
    actor = acting(ctx)
    try:
        ctx.services.actors.require_writer(actor, what)
    except PermissionDenied as exc:
        return error(str(exc), intent="permission_denied")
    return actor


def split_date_and_note(ctx: CommandContext, words: list[str], *, intent: str) -> tuple[date | None, str] | Reply:
    """`[DATE] [NOTE]` -> (date or None, note), or an error reply naming the accepted formats."""
    try:
        day, rest = take_date(words, ctx.today)
    except ValueError as exc:
        return error(str(exc), intent=intent, reason="bad_date", formats=ACCEPTED_FORMATS)
    return day, " ".join(rest).strip()


def strip_flag(args: str, flag: str = CONFIRM_FLAG) -> tuple[str, bool]:
    words = args.split()
    present = flag in words
    return " ".join(w for w in words if w != flag), present
