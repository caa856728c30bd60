"""Shared bits for commands that write: who is acting, who may write, dates and the undo button.

Refusals are raised (bot.core.errors) and become replies in the router, so a command reads as
the happy path."""

from __future__ import annotations

from datetime import date

from bot.commands.base import CommandContext
from bot.core.reply import Action
from bot.domain.dates import take_date
from bot.services.actors import Actor

UNDO_ACTION = Action("Undo", "/undo", style="danger")
CONFIRM_FLAG = "--confirm"


def acting(ctx: CommandContext) -> Actor:
    return ctx.services.actors.actor_for(ctx.message.user)


def require_writer(ctx: CommandContext, what: str) -> Actor:
    """The acting user if they may `what`; raises PermissionDenied otherwise (checked before
    parsing, so a viewer hears "you can't" rather than about a typo)."""
    actor = acting(ctx)
    ctx.services.actors.require_writer(actor, what)
    return actor


def split_date_and_note(ctx: CommandContext, words: list[str]) -> tuple[date | None, str]:
    """`[DATE] [NOTE]` -> (date or None, note); raises BadDate (naming the accepted formats)."""
    day, rest = take_date(words, ctx.today)
    return day, " ".join(rest).strip()


def strip_flag(args: str, flag: str = CONFIRM_FLAG) -> tuple[str, bool]:
    words = args.split()
    present = flag in words
    return " ".join(w for w in words if w != flag), present
