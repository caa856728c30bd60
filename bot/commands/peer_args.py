"""Argument parsing shared by /peerreview and /peerchallenge: council names followed by dates,
two council names side by side, and fractional days."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from bot.commands.base import CommandContext
from bot.commands.resolve import council_or_error
from bot.core.reply import Reply, error
from bot.domain.dates import ACCEPTED_FORMATS
from bot.services.values import CouncilInfo

_NUMBER = re.compile(r"^(\d+(?:\.\d+)?|\.\d+|½|\d+½)$")


def no_date_error(what: str, text: str, intent: str) -> Reply:
    return error(
        f"I couldn't find {what} in “{text}”.", intent=intent, hint=f"Dates can be written {ACCEPTED_FORMATS}."
    )


def parse_days(token: str) -> int | None:
    """`0.5` -> 50, `1` -> 100, `½` -> 50, `1½` -> 150 (hundredths of a day); None if not a number
    with at most two decimal places."""
    text = token.strip().lower()
    if text == "half":
        return 50
    if not _NUMBER.match(text):
        return None
    if text.endswith("½"):
        whole = text[:-1]
        return (int(whole) if whole else 0) * 100 + 50
    try:
        value = Decimal(text) * 100
    except InvalidOperation:
        return None
    if value != value.to_integral_value():
        return None
    return int(value)


def is_number(token: str) -> bool:
    return bool(_NUMBER.match(token.strip().lower())) or token.strip().lower() == "half"


def two_councils(ctx: CommandContext, words: list[str], command: str) -> tuple[CouncilInfo, CouncilInfo] | Reply:
    """Split `words` into two council names: at an explicit "to", else wherever both sides resolve."""
    directory = ctx.services.directory
    lowered = [w.lower() for w in words]
    for marker in ("to", "->", "→"):
        if marker in lowered[1:-1]:
            cut = lowered.index(marker, 1)
            left = council_or_error(ctx, " ".join(words[:cut]), command=command)
            if isinstance(left, Reply):
                return left
            right = council_or_error(ctx, " ".join(words[cut + 1 :]), command=command)
            return right if isinstance(right, Reply) else (left, right)
    left_only: int | None = None
    for cut in range(len(words) - 1, 0, -1):
        left_match = directory.resolve_council(" ".join(words[:cut])).match
        right_match = directory.resolve_council(" ".join(words[cut:])).match
        if left_match is not None and right_match is not None:
            return directory.council(left_match), directory.council(right_match)
        if left_match is not None and left_only is None:
            left_only = cut
    if left_only is not None:
        found = council_or_error(ctx, " ".join(words[left_only:]), command=command)
        if isinstance(found, Reply):
            return found
    if len(words) >= 2:
        found = council_or_error(ctx, " ".join(words[:1]), command=command)
        if isinstance(found, Reply):
            return found
    return error(
        f"I need two councils, the one giving and the one receiving, in “{' '.join(words)}”.",
        intent="unknown_council",
        hint="Put “to” between them if a name is unclear: `/peerchallenge log Hull to Leeds 1`.",
    )


MAX_RECORD_NUMBER = 2**31 - 1  # the largest id a table holds (PostgreSQL integer)


def record_number(token: str) -> int | None:
    """`#12` / `12` -> 12; None when it is not a number or larger than any record id can be (so a
    typo like #99999999999 is "no such record", not a database error)."""
    digits = token.strip().lstrip("#")
    if not digits.isdigit() or int(digits) > MAX_RECORD_NUMBER:
        return None
    return int(digits)
