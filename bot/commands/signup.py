"""`/signup` (board), `/signup REGION` (detail), `/signup REGION PARTY STATUS [DATE] [NOTE]` (log).

Bulletin 7: a region is signed up when its lead chief executive, DCS and lead member for
children have all agreed; the target is all nine regions before the end of December.
"""

from __future__ import annotations

from datetime import date

from bot.commands.base import Command, CommandContext
from bot.commands.resolve import region_or_error
from bot.commands.writes import UNDO_ACTION, acting, split_date_and_note
from bot.core.format import days_phrase, duration, fmt_date, join_names
from bot.core.reply import Action, Fact, Reply, Section, error
from bot.domain.signup import (
    AGREED,
    PARTIES,
    STATUSES,
    Party,
    parse_party,
    parse_status,
    party_help,
)
from bot.services.signup import PartyStatus, RegionSignup

TICKS = {"agreed": "✓", "declined": "✗", "pending": "…"}
SHORT = {"ce": "CE", "dcs": "DCS", "member": "Member"}


def handle_signup(ctx: CommandContext, args: str) -> Reply:
    args = args.strip()
    if not args:
        return board_reply(ctx)
    directory = ctx.services.directory
    if directory.resolve_region(args).match is not None:
        region_id = directory.resolve_region(args).match
        assert region_id is not None
        return detail_reply(ctx, ctx.services.signup.region(region_id, ctx.today))
    words = args.split()
    party_at = next((i for i in range(1, len(words)) if parse_party(words[i]) is not None), None)
    if party_at is None:
        return unknown_party(ctx, words)
    region = region_or_error(ctx, " ".join(words[:party_at]))
    if isinstance(region, Reply):
        return region
    party = parse_party(words[party_at])
    assert party is not None
    rest = words[party_at + 1 :]
    status, rest = take_status(party, rest)
    if status is None:
        given = f", not “{rest[0]}”" if rest else ""
        return error(
            f"Which status for {party.label.lower()}? It can be {join_names(list(STATUSES[party.kind]), 'or')}{given}.",
            intent="signup_update",
            hint=usage_with_parties(),
            region=region.name,
            party=party.key,
        )
    day, note = split_date_and_note(ctx, rest)
    change = ctx.services.signup.record(acting(ctx), region.id, party.key, status, day, note, today=ctx.today)
    return logged_reply(ctx, change.region.name, change.party, change.previous_status, change.became_signed)


def take_status(party: Party, words: list[str]) -> tuple[str | None, list[str]]:
    """Peel the status (one or two words: `in progress`) off the front of `words`."""
    if len(words) >= 2:
        status = parse_status(party, f"{words[0]} {words[1]}")
        if status is not None:
            return status, words[2:]
    if words:
        status = parse_status(party, words[0])
        if status is not None:
            return status, words[1:]
    return None, words


def unknown_party(ctx: CommandContext, words: list[str]) -> Reply:
    """No party short name found: either the region is wrong or the party is."""
    for cut in range(len(words) - 1, 0, -1):
        if ctx.services.directory.resolve_region(" ".join(words[:cut])).match is not None:
            return error(
                f"I don't know who “{words[cut]}” is in a sign-up. Use one of the short names below.",
                intent="signup_update",
                hint=usage_with_parties(),
                query=words[cut],
            )
    found = region_or_error(ctx, " ".join(words))
    if isinstance(found, Reply):
        return found
    return detail_reply(ctx, ctx.services.signup.region(found.id, ctx.today))


def usage_with_parties() -> str:
    return SIGNUP.usage_hint() + "\n" + party_help()


def target_phrase(target: date, today: date) -> str:
    if target > today:
        return f"{fmt_date(target)} ({duration(today, target)} to go)"
    if target == today:
        return f"{fmt_date(target)} (today)"
    return f"{fmt_date(target)} (passed {duration(target, today)} ago)"


def ticks(entry: RegionSignup) -> str:
    return " ".join(f"{SHORT.get(s.key, s.key)} {TICKS.get(s.status, '?')}" for s in entry.signatories)


def board_reply(ctx: CommandContext) -> Reply:
    board = ctx.services.signup.board(ctx.today)
    signed = [entry for entry in board if entry.signed]
    target = board[0].target if board else ctx.services.signup.target_date(ctx.today)
    total = len(board)
    text = (
        f"{len(signed)} of {total} regions are signed up; the target is all {total} by "
        f"{target_phrase(target, ctx.today)}."
    )
    lines = tuple(
        f"{'✅' if entry.signed else '⬜'} {entry.region.name}: {ticks(entry)}"
        + (f" · {join_names(list(entry.brokers))}" if entry.brokers else "")
        for entry in board
    )
    return Reply(
        text=text,
        title=f"Regional sign-up: {len(signed)}/{total} signed up",
        facts=(
            Fact("Signed up", f"{len(signed)}/{total}"),
            Fact("Target date", fmt_date(target)),
            Fact("Days to target", str((target - ctx.today).days)),
        ),
        sections=(
            Section(lines=lines),
            Section(
                lines=(
                    "✓ agreed · … pending · ✗ declined. CE: lead chief executive; DCS: director of "
                    "children's services; Member: lead member for children.",
                )
            ),
        ),
        actions=tuple(Action(e.region.name, f"/signup {e.region.name}") for e in board if not e.signed)[:5],
        intent="signup_board",
        entities={
            "signed": len(signed),
            "total": total,
            "target": target.isoformat(),
            "days_to_target": (target - ctx.today).days,
            "regions": {e.region.name: e.signed for e in board},
        },
    )


def status_line(item: PartyStatus) -> str:
    line = f"{item.label} (`{item.key}`): {item.status_label}"
    if item.day is not None:
        line += f" on {fmt_date(item.day)}"
    if item.note:
        line += f" — {item.note}"
    return line


def detail_reply(ctx: CommandContext, entry: RegionSignup) -> Reply:
    agreed = [s for s in entry.signatories if s.status == AGREED]
    declined = [s for s in entry.signatories if s.status == "declined"]
    if entry.signed:
        text = f"{entry.region.name} is signed up: all three signatories have agreed."
    else:
        text = f"{entry.region.name} is not yet signed up: {len(agreed)} of 3 signatories agreed"
        text += f" ({join_names([s.label.lower() for s in agreed])})." if agreed else "."
        if declined:
            text += f" Declined: {join_names([s.label.lower() for s in declined])}."
    text += f" Target {target_phrase(entry.target, ctx.today)}."
    contacted = sum(1 for c in entry.contacts if c.status in {"contacted", "met"})
    return Reply(
        text=text,
        title=f"{entry.region.name}: regional sign-up",
        facts=(
            Fact("Signed up", "Yes" if entry.signed else "Not yet"),
            Fact("Signatories agreed", f"{len(agreed)}/3"),
            Fact("Contacts made", f"{contacted}/{len(entry.contacts)}"),
            Fact("Lead broker", join_names(list(entry.brokers)) or "None recorded"),
            Fact("Target", f"{fmt_date(entry.target)} ({days_phrase(entry.target, ctx.today)})"),
        ),
        sections=(
            Section(heading="Signatories", lines=tuple(status_line(s) for s in entry.signatories)),
            Section(heading="Local arrangements", lines=tuple(status_line(s) for s in entry.arrangements)),
            Section(
                heading="Lead broker's contacts",
                lines=tuple(
                    ("☑ " if c.status in {"contacted", "met"} else "☐ ") + status_line(c) for c in entry.contacts
                ),
            ),
            Section(lines=(f"Log progress: `/signup {entry.region.name} PARTY STATUS [DATE] [NOTE]`.",)),
        ),
        actions=(Action("All regions", "/signup"),),
        intent="signup_region",
        entities={
            "region": entry.region.name,
            "region_id": entry.region.id,
            "signed": entry.signed,
            "agreed": len(agreed),
            "modal": "signup",
        },
    )


def logged_reply(ctx: CommandContext, region: str, item: PartyStatus, previous: str, became_signed: bool) -> Reply:
    when = f" on {fmt_date(item.day)}" if item.day else ""
    text = f"Logged: {region}, {item.label.lower()} {item.status_label.lower()}{when}"
    text += f" (was {previous.replace('_', ' ')})." if previous != item.status else "."
    if became_signed:
        signed = sum(1 for e in ctx.services.signup.board(ctx.today) if e.signed)
        text += f" {region} is now signed up ({signed}/9 regions)."
    return Reply(
        text=text,
        title=f"{region}: sign-up updated",
        facts=(Fact("Party", item.label), Fact("Status", item.status_label))
        + ((Fact("Note", item.note),) if item.note else ()),
        kind="confirmation",
        actions=(Action(f"{region} sign-up", f"/signup {region}"), UNDO_ACTION),
        intent="signup_update",
        entities={
            "region": region,
            "party": item.key,
            "status": item.status,
            "date": item.day.isoformat() if item.day else None,
            "became_signed": became_signed,
        },
    )


SIGNUP = Command(
    name="signup",
    summary="Regional sign-up to sector-led improvement: board, a region's detail, and logging progress.",
    usage=(
        "/signup",
        "/signup REGION",
        "/signup REGION PARTY STATUS [DATE] [NOTE]",
        "PARTY: " + " ".join(p.key for p in PARTIES),
    ),
    examples=(
        "/signup",
        "/signup London",
        "/signup London dcs agreed 30/11/2026 by email",
        "/signup North West riep contacted yesterday",
    ),
    handler=handle_signup,
    aliases=("sign-up",),
    writes=True,
)
