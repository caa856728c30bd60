"""`/peerchallenge`: log days of peer challenge between councils and list who is short of the
five days a year (bulletin 7: "five days per annum of senior leadership time ... on a reciprocal
basis")."""

from __future__ import annotations

from bot.commands.base import Command, CommandContext
from bot.commands.peer_args import is_number, no_date_error, parse_days, two_councils
from bot.commands.resolve import optional_region, region_or_none
from bot.commands.writes import require_writer
from bot.core.format import fmt_date, plural
from bot.core.reply import Action, Fact, Reply, Section, error
from bot.domain.dates import take_date
from bot.services.peer_challenge import TARGET_DAYS_X100, PeerChallengeError, PeerChallengeGaps, fmt_days

LIST_LIMIT = 60
INTENT = "peer_challenge"


def handle_peerchallenge(ctx: CommandContext, args: str) -> Reply:
    head, _, rest = args.strip().partition(" ")
    verb = head.lower()
    try:
        if verb == "log":
            return log(ctx, rest.strip())
    except PeerChallengeError as exc:
        return error(str(exc), intent=INTENT + "_error")
    if verb in {"", "gaps", "list", "short"}:
        return gaps(ctx, rest.strip())
    if region_or_none(ctx, args.strip()) is not None:
        return gaps(ctx, args.strip())
    return error(f"I don't know “/peerchallenge {head}”.", intent=INTENT + "_error",
                 hint=PEERCHALLENGE.usage_hint())


def log(ctx: CommandContext, args: str) -> Reply:
    actor = require_writer(ctx, "log peer challenge")
    words = args.split()
    position = next((i for i, w in enumerate(words) if is_number(w) and i >= 2), None)
    if position is None:
        return error(
            "Give the council giving the time, the council receiving it and the number of days.",
            intent=INTENT + "_error", hint=PEERCHALLENGE.usage_hint(),
        )
    days = parse_days(words[position])
    if days is None:
        return error(f"“{words[position]}” isn't a number of days I can record (use steps of 0.01, like 0.5).",
                     intent=INTENT + "_error")
    councils = two_councils(ctx, words[:position], "/peerchallenge log")
    if isinstance(councils, Reply):
        return councils
    giver, receiver = councils
    tail = words[position + 1 :]
    if tail and tail[0].lower() in {"day", "days"}:
        tail = tail[1:]
    day = ctx.today
    if tail and tail[0].lower() == "on":
        tail = tail[1:]
    if tail:
        given_on, rest = take_date(tail, ctx.today)
        if given_on is None or rest:
            return no_date_error("a date", " ".join(tail), INTENT + "_error")
        day = given_on
    if day > ctx.today:
        return error(f"{fmt_date(day)} is in the future: log peer challenge once it has happened.",
                     intent=INTENT + "_error")
    entry = ctx.services.peer_challenge.log(actor, giver.id, receiver.id, days, day)
    total = ctx.services.peer_challenge.given_in_year(giver.id, day)
    short = max(TARGET_DAYS_X100 - total, 0)
    progress = (
        f"{giver.name} has now given {fmt_days(total)} in {entry.programme_year}"
        + (f", {fmt_days(short)} short of five." if short else ", meeting the five-day expectation.")
    )
    return Reply(
        text=f"Logged {fmt_days(days)} of peer challenge from {giver.name} to {receiver.name} "
        f"on {fmt_date(day)}. {progress}",
        title="Peer challenge logged",
        facts=(
            Fact("Giver", giver.name),
            Fact("Receiver", receiver.name),
            Fact("Days", fmt_days(days)),
            Fact(f"{giver.name} in {entry.programme_year}", fmt_days(total)),
        ),
        actions=(Action(f"Gaps in {giver.region.name}", f"/peerchallenge gaps {giver.region.name}"),),
        intent="peer_challenge_logged",
        entities={"id": entry.id, "giver": giver.name, "receiver": receiver.name, "days": days / 100,
                  "date": day.isoformat(), "giver_total_days": total / 100},
    )


def gaps(ctx: CommandContext, args: str) -> Reply:
    region = optional_region(ctx, args)
    if isinstance(region, Reply):
        return region
    result = ctx.services.peer_challenge.gaps(ctx.today, region.id if region else None)
    return gaps_reply(result)


def gaps_reply(result: PeerChallengeGaps) -> Reply:
    where = f" in {result.region}" if result.region else ""
    short = len(result.below_target)
    text = (
        f"{plural(short, 'council')}{where} {'has' if short == 1 else 'have'} given fewer than five days of "
        f"peer challenge in {result.programme_year}; {result.meeting_target} of {result.councils} "
        f"{'has' if result.meeting_target == 1 else 'have'} given five or more."
    )
    lines = tuple(
        f"{d.council}" + ("" if result.region else f" ({d.region})")
        + f": given {fmt_days(d.given_x100)}, received {fmt_days(d.received_x100)}"
        for d in result.below_target[:LIST_LIMIT]
    )
    if short > LIST_LIMIT:
        lines += (f"…and {short - LIST_LIMIT} more: narrow by region.",)
    return Reply(
        text=text,
        title=f"Peer challenge gaps{where}, {result.programme_year}",
        facts=(
            Fact("Below five days", str(short)),
            Fact("Five days or more", str(result.meeting_target)),
            Fact("Days given in total", fmt_days(result.total_given_x100)),
        ),
        sections=(Section(heading="Fewer than five days given", lines=lines or ("None: every council is there.",)),),
        intent="peer_challenge_gaps",
        entities={"region": result.region, "programme_year": result.programme_year, "below_target": short,
                  "councils": [d.council for d in result.below_target]},
    )


PEERCHALLENGE = Command(
    name="peerchallenge",
    summary="Log peer challenge days between councils; who has given fewer than five days this year.",
    usage=("/peerchallenge [gaps] [REGION]", "/peerchallenge log GIVER RECEIVER DAYS [DATE]"),
    examples=("/peerchallenge log Hull to Leeds 0.5 12 Nov 2026", "/peerchallenge gaps London"),
    handler=handle_peerchallenge,
    aliases=("peer-challenge",),
    writes=True,
)
