"""`/peerreview training ...`: list review-team training events, add one, give or release a place."""

from __future__ import annotations

from bot.commands.base import CommandContext
from bot.commands.peer_args import record_number
from bot.commands.writes import require_writer
from bot.core.format import fmt_date, fmt_short_date, join_names, plural
from bot.core.reply import Action, Reply, Section, error
from bot.domain.dates import split_dates
from bot.services.review_training import TrainingEventItem

INTENT = "peer_review"


def training_line(event: TrainingEventItem) -> str:
    when = fmt_short_date(event.day) if event.end is None else \
        f"{fmt_short_date(event.day)} to {fmt_short_date(event.end)}"
    return f"#{event.id} {when}, {event.venue}: {event.places_left} of {event.places} places left"


def training(ctx: CommandContext, args: str) -> Reply:
    head, _, rest = args.partition(" ")
    verb = head.lower()
    if verb in {"", "list"}:
        return training_list(ctx, rest.strip().lower() in {"all", "past"})
    if verb == "add":
        return training_add(ctx, rest.strip())
    if verb in {"signup", "sign-up", "apply", "place"}:
        return training_signup(ctx, rest.strip())
    if verb in {"release", "withdraw", "unsignup"}:
        return training_signup(ctx, rest.strip(), release=True)
    return error(f"I don't know “/peerreview training {head}”.", intent=INTENT + "_error",
                 hint="Try `/peerreview training list`, `/peerreview training add DATE VENUE PLACES` "
                 "or `/peerreview training signup|release ID NAME`.")


def training_list(ctx: CommandContext, include_past: bool) -> Reply:
    events = ctx.services.review_training.events(ctx.today, include_past)
    contacts = [c.person.name for c in ctx.services.brokers.contacts("review_team_training")]
    apply_to = f" Apply to {join_names(contacts, 'or')}." if contacts else ""
    if events:
        text = f"{plural(len(events), 'review-team training event')} coming up; " + \
            f"{sum(e.places_left for e in events)} places left.{apply_to}"
    else:
        text = f"No review-team training events are coming up.{apply_to}"
    return Reply(
        text=text,
        title="Review-team training",
        sections=(Section(lines=tuple(training_line(e) for e in events) or ("None scheduled.",)),),
        actions=(Action("Peer reviews", "/peerreview list"),),
        intent="peer_review_training_list",
        entities={"events": [{"id": e.id, "date": e.day.isoformat(), "venue": e.venue, "places": e.places,
                              "places_left": e.places_left} for e in events]},
    )


def training_add(ctx: CommandContext, args: str) -> Reply:
    actor = require_writer(ctx, "add review-team training events")
    hint = "Example: `/peerreview training add 8 Feb 2027 to 9 Feb 2027 Warwick University 20`"
    words = args.split()
    leading = split_dates(words, ctx.today, leading=True)
    day, rest = leading.dates, (leading.rest if leading.dates else words)
    if not day:
        return error(f"Start with the date of the training in “{args}”.", intent=INTENT + "_error", hint=hint)
    if len(rest) < 2 or not rest[-1].isdigit():
        return error("Give the venue and then the number of places.", intent=INTENT + "_error", hint=hint)
    start = day[0]
    end = day[1] if len(day) > 1 else None
    if end is not None and end < start:
        return error(f"The training can't end on {fmt_date(end)}, before it starts on {fmt_date(start)}.",
                     intent=INTENT + "_error", hint=hint)
    event = ctx.services.review_training.add(actor, start, " ".join(rest[:-1]), int(rest[-1]), end)
    return Reply(
        text=f"Added review-team training #{event.id}: {fmt_date(event.day)} at {event.venue}, "
        f"{plural(event.places, 'place')}.",
        title="Review-team training",
        sections=(Section(lines=(training_line(event),)),),
        actions=(Action("All training events", "/peerreview training list"),),
        intent="peer_review_training_added",
        entities={"id": event.id, "date": event.day.isoformat(), "venue": event.venue, "places": event.places},
    )


def training_signup(ctx: CommandContext, args: str, release: bool = False) -> Reply:
    actor = require_writer(ctx, "allocate training places")
    token, _, name = args.partition(" ")
    number = record_number(token)
    if not token.lstrip("#").isdigit() or not name.strip():
        verb = "release" if release else "signup"
        return error("Give the training event number and the applicant's name.", intent=INTENT + "_error",
                     hint=f"Example: `/peerreview training {verb} 1 Liz Cole`")
    if number is None:
        return error(f"There is no training event #{token.lstrip('#')}.", intent=INTENT + "_error",
                     hint="See /peerreview training list for event numbers.")
    service = ctx.services.review_training
    if release:
        event = service.release_place(actor, number, name)
        first = f"{name.strip()} no longer has a place on review-team training #{event.id}"
    else:
        event = service.take_place(actor, number, name)
        first = f"{name.strip()} has a place on review-team training #{event.id}"
    return Reply(
        text=f"{first} ({fmt_date(event.day)}, {event.venue}); {plural(event.places_left, 'place')} left.",
        title="Review-team training",
        sections=(Section(lines=(training_line(event),)),),
        intent="peer_review_training_signup",
        entities={"id": event.id, "places_left": event.places_left},
    )
