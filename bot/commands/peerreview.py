"""`/peerreview`: book, list, complete and cancel safeguarding peer reviews and manage review
teams; `/peerreview training ...` is bot/commands/peer_training.py."""

from __future__ import annotations

from datetime import date

from bot.commands.base import Command, CommandContext
from bot.commands.peer_args import no_date_error, record_number
from bot.commands.peer_training import training
from bot.commands.resolve import council_or_error, optional_region, region_or_none
from bot.commands.writes import require_writer
from bot.core.format import fmt_date, fmt_short_date, join_names, plural
from bot.core.reply import Action, Fact, Reply, Section, error
from bot.domain.dates import split_dates
from bot.services.actors import Actor
from bot.services.peer_reviews import PeerReviewError, PeerReviewItem, PeerReviewOverview

LIST_LIMIT = 25
INTENT = "peer_review"


def handle_peerreview(ctx: CommandContext, args: str) -> Reply:
    head, _, rest = args.strip().partition(" ")
    verb = head.lower()
    rest = rest.strip()
    try:
        if verb in {"", "list", "ls"}:
            return review_list(ctx, rest)
        if verb == "book":
            return book(ctx, rest)
        if verb in {"done", "complete", "completed"}:
            return finish(ctx, rest, cancel=False)
        if verb == "cancel":
            return finish(ctx, rest, cancel=True)
        if verb == "team":
            return team(ctx, rest)
        if verb == "training":
            return training(ctx, rest)
        if verb in {"show", "view"}:
            return show(ctx, rest)
    except PeerReviewError as exc:  # a BadDate goes to the router: intent bad_date, as everywhere
        return error(str(exc), intent=f"{INTENT}_error")
    if region_or_none(ctx, args.strip()) is not None:
        return review_list(ctx, args.strip())
    return error(f"I don't know “/peerreview {head}”.", intent=INTENT + "_error", hint=PEERREVIEW.usage_hint())


# --- listing -------------------------------------------------------------------------------------

def item_line(item: PeerReviewItem, with_region: bool = True) -> str:
    span = fmt_short_date(item.start) if item.start == item.end else \
        f"{fmt_short_date(item.start)} to {fmt_short_date(item.end)}"
    where = f" ({item.region})" if with_region else ""
    team = f"; team: {', '.join(item.team)}" if item.team else "; no team yet"
    return f"#{item.id} {item.council}{where}: {span}{team}"


def review_list(ctx: CommandContext, args: str) -> Reply:
    region = optional_region(ctx, args)
    if isinstance(region, Reply):
        return region
    overview = ctx.services.peer_reviews.overview(ctx.today, region.id if region else None)
    return overview_reply(overview)


def overview_reply(overview: PeerReviewOverview) -> Reply:
    where = f" in {overview.region}" if overview.region else ""
    count = overview.current_count
    text = (
        f"{plural(count, 'review')} {'has' if count == 1 else 'have'} been scheduled{where} in "
        f"{overview.current_year}; {len(overview.upcoming)} upcoming"
    )
    if overview.awaiting:
        text += f", {len(overview.awaiting)} awaiting completion"
    text += "."
    sections = [
        Section(
            heading="Upcoming",
            lines=tuple(item_line(i, overview.region is None) for i in overview.upcoming[:LIST_LIMIT])
            or ("None booked.",),
        )
    ]
    if overview.awaiting:
        sections.append(
            Section(
                heading="Finished, not yet marked done",
                lines=tuple(item_line(i, overview.region is None) for i in overview.awaiting[:LIST_LIMIT]),
            )
        )
    if overview.recent:
        sections.append(
            Section(
                heading="Recently done",
                lines=tuple(
                    item_line(i, overview.region is None) + f"; follow-up {fmt_short_date(i.follow_up)}"
                    for i in overview.recent[:LIST_LIMIT]
                ),
            )
        )
    facts = tuple(Fact(f"Scheduled in {year}", str(n)) for year, n in overview.counts.items())
    actions = [Action("Training events", "/peerreview training list")]
    if overview.awaiting:
        first = overview.awaiting[0]
        actions.insert(0, Action(f"Mark #{first.id} done", f"/peerreview done {first.id}", style="primary"))
    return Reply(
        text=text,
        title=f"Safeguarding peer reviews{where}",
        facts=facts,
        sections=tuple(sections),
        actions=tuple(actions),
        intent="peer_review_list",
        entities={
            "region": overview.region,
            "programme_year": overview.current_year,
            "scheduled_this_year": count,
            "counts": dict(overview.counts),
            "upcoming": [i.id for i in overview.upcoming],
        },
    )


def review_card(item: PeerReviewItem, text: str, intent: str) -> Reply:
    facts = [
        Fact("Council", f"{item.council} ({item.region})"),
        Fact("Dates", fmt_date(item.start) if item.start == item.end
             else f"{fmt_date(item.start)} to {fmt_date(item.end)}"),
        Fact("Status", item.status.capitalize()),
        Fact("Review team", join_names(list(item.team)) or "None yet"),
        Fact("Programme year", item.programme_year),
    ]
    if item.status == "done":
        facts.append(Fact("Follow-up due", fmt_date(item.follow_up)))
    actions = []
    if item.status == "scheduled":
        actions = [
            Action("Mark done", f"/peerreview done {item.id}", style="primary"),
            Action("Cancel", f"/peerreview cancel {item.id}", style="danger"),
        ]
    actions.append(Action("All reviews", f"/peerreview list {item.region}"))
    return Reply(
        text=text,
        title=f"Peer review #{item.id}: {item.council}",
        facts=tuple(facts),
        actions=tuple(actions),
        intent=intent,
        entities={"review_id": item.id, "council": item.council, "start": item.start.isoformat(),
                  "end": item.end.isoformat(), "status": item.status, "team": list(item.team)},
    )


def show(ctx: CommandContext, args: str) -> Reply:
    found = find_review(ctx, args, status=None)
    if isinstance(found, Reply):
        return found
    return review_card(found, f"Peer review #{found.id} for {found.council} is {found.status}.", "peer_review")


# --- writing -------------------------------------------------------------------------------------

def book(ctx: CommandContext, args: str) -> Reply:
    actor = require_writer(ctx, "book peer reviews")
    main, _, team_text = args.partition("team:")
    if not main.strip():
        return error("Which council, and when?", intent=INTENT + "_error", hint=PEERREVIEW.usage_hint())
    parts = split_dates(main.split(), ctx.today)
    if not parts.dates:
        found = council_or_error(ctx, main.strip(), command="/peerreview book")
        if isinstance(found, Reply):
            return found
        return no_date_error("a start date", main.strip(), INTENT + "_error")
    if parts.rest:
        return no_date_error("an end date", " ".join(parts.rest), INTENT + "_error")
    council = council_or_error(ctx, " ".join(parts.words), command="/peerreview book")
    if isinstance(council, Reply):
        return council
    start = parts.dates[0]
    end = parts.dates[1] if len(parts.dates) > 1 else start
    if end < start:
        return error(
            f"The review can't end on {fmt_date(end)}, before it starts on {fmt_date(start)}.",
            intent=INTENT + "_error", hint="Give the start date first, then the end date.",
        )
    team_names = tuple(n.strip() for n in team_text.replace(";", ",").split(",") if n.strip())
    item = ctx.services.peer_reviews.book(actor, council.id, start, end, team_names)
    year_count = ctx.services.peer_reviews.count_in_programme_year(item.start)
    span = fmt_date(start) if start == end else f"{fmt_date(start)} to {fmt_date(end)}"
    text = (
        f"Booked peer review #{item.id} for {item.council}, {span}. "
        f"That makes {plural(year_count, 'review')} scheduled in {item.programme_year}."
    )
    return review_card(item, text, "peer_review_booked")


def find_review(ctx: CommandContext, text: str, status: str | None = "scheduled") -> PeerReviewItem | Reply:
    """A review by `#12` / `12`, or the one scheduled review of a named council."""
    text = text.strip()
    if not text:
        return error("Which review? Give its number (see /peerreview list) or the council.", intent=INTENT + "_error")
    token = text.lstrip("#")
    if token.isdigit():
        number = record_number(token)
        item = ctx.services.peer_reviews.get(number) if number is not None else None
        if item is None:
            return error(f"There is no peer review #{token}.", intent=INTENT + "_error",
                         hint="See /peerreview list for review numbers.")
        return item
    council = council_or_error(ctx, text, command="/peerreview show")
    if isinstance(council, Reply):
        return council
    items = ctx.services.peer_reviews.for_council(council.id, status)
    if not items:
        what = f"{status} " if status else ""
        return error(f"{council.name} has no {what}peer review.", intent=INTENT + "_error",
                     hint=f"Book one with `/peerreview book {council.name} DATE`.")
    if len(items) > 1:
        return Reply(
            text=f"{council.name} has {len(items)} {status or ''} reviews: which one?".replace("  ", " "),
            kind="question", ephemeral=True, intent="clarify_peer_review",
            sections=(Section(lines=tuple(item_line(i) for i in items)),),
            actions=tuple(Action(f"#{i.id} ({fmt_short_date(i.start)})", f"/peerreview show {i.id}") for i in items),
            entities={"council": council.name, "candidates": [i.id for i in items]},
        )
    return items[0]


def finish(ctx: CommandContext, args: str, *, cancel: bool) -> Reply:
    actor = require_writer(ctx, "cancel peer reviews" if cancel else "record peer reviews as done")
    words = args.split()
    parts = split_dates(words, ctx.today, max_dates=1)
    if parts.rest:
        return no_date_error("the date", " ".join(parts.rest), INTENT + "_error")
    day = parts.dates[0] if parts.dates else ctx.today
    if day > ctx.today and not cancel:
        return error(f"{fmt_date(day)} is in the future: mark a review done once it has happened.",
                     intent=INTENT + "_error")
    found = find_review(ctx, " ".join(parts.words))
    if isinstance(found, Reply):
        return found
    return finish_found(ctx, actor, found, day, cancel=cancel)


def finish_found(ctx: CommandContext, actor: Actor, found: PeerReviewItem, day: date, *, cancel: bool) -> Reply:
    service = ctx.services.peer_reviews
    if cancel:
        item = service.cancel(actor, found.id, day)
        return review_card(item, f"Cancelled peer review #{item.id} for {item.council}.", "peer_review_cancelled")
    item = service.complete(actor, found.id, day)
    return review_card(
        item,
        f"Peer review #{item.id} for {item.council} is done; its follow-up is due {fmt_date(item.follow_up)}.",
        "peer_review_done",
    )


def team(ctx: CommandContext, args: str) -> Reply:
    words = args.split()
    if len(words) < 3 or words[1].lower() not in {"add", "remove", "rm", "drop"}:
        return error("Say which review, add or remove, and the name.", intent=INTENT + "_error",
                     hint="Example: `/peerreview team 3 add Liz Cole`")
    actor = require_writer(ctx, "change review teams")
    found = find_review(ctx, words[0], status=None)
    if isinstance(found, Reply):
        return found
    name = " ".join(words[2:])
    service = ctx.services.peer_reviews
    if words[1].lower() == "add":
        item = service.add_member(actor, found.id, name)
        text = f"Added {name} to the team for review #{item.id} ({item.council})."
    else:
        name = next((n for n in found.team if n.lower() == name.strip().lower()), name)
        item = service.remove_member(actor, found.id, name)
        text = f"Removed {name} from the team for review #{item.id} ({item.council})."
    return review_card(item, text, "peer_review_team")


PEERREVIEW = Command(
    name="peerreview",
    summary="Safeguarding peer reviews: book, list, mark done or cancel; review teams; review-team training.",
    usage=(
        "/peerreview list [REGION]",
        "/peerreview book COUNCIL START [END] [team: NAME, NAME]",
        "/peerreview done ID|COUNCIL [DATE]",
        "/peerreview cancel ID|COUNCIL",
        "/peerreview team ID add|remove NAME",
        "/peerreview training add DATE [to DATE] VENUE PLACES",
        "/peerreview training list",
        "/peerreview training signup|release ID NAME",
    ),
    examples=(
        "/peerreview book Harrow 12 Jan 2027 14 Jan 2027 team: Paul Curran, Liz Cole",
        "/peerreview list London",
        "/peerreview done 3",
    ),
    handler=handle_peerreview,
    aliases=("peerreviews", "peer-review"),
    writes=True,
)
