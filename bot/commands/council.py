"""`/council NAME`, `/council list [REGION] [JUDGEMENT]`, `/council timeline NAME`."""

from __future__ import annotations

from datetime import date

from bot.commands.base import Command, CommandContext
from bot.commands.resolve import council_or_error, optional_region, region_or_none
from bot.core.format import days_phrase, fmt_date, fmt_short_date, join_names, plural
from bot.core.reply import Action, Fact, Reply, Section, error
from bot.domain.judgements import INADEQUATE, SUB_JUDGEMENTS, framework_label, parse_grade, short_grade
from bot.services.values import CouncilInfo, CouncilStatus, PersonInfo

LIST_LIMIT = 60


def handle_council(ctx: CommandContext, args: str) -> Reply:
    args = args.strip()
    if not args:
        return error("Which council?", intent="council_status", hint=COUNCIL.usage_hint())
    first, _, rest = args.partition(" ")
    if first.lower() == "list":
        return council_list(ctx, rest)
    if first.lower() in {"timeline", "history"} and rest.strip():
        return council_timeline(ctx, rest.strip())
    if region_or_none(ctx, args) is not None and ctx.services.directory.resolve_council(args).match is None:
        return council_list(ctx, args)
    found = council_or_error(ctx, args)
    if isinstance(found, Reply):
        return found
    return status_card(ctx, ctx.services.councils.status(found.id))


def deadline_sentence(status: CouncilStatus, ctx: CommandContext) -> str:
    stage = status.stage
    if stage is None or stage.deadline is None:
        return ""
    tense = "is" if stage.deadline >= ctx.today else "was"
    if stage.key == "judged_inadequate":
        if stage.deadline < ctx.today:
            return f"Its six-month {overdue_deadline(stage.deadline, ctx.today)}."
        when = f"{fmt_date(stage.deadline)} ({days_phrase(stage.deadline, ctx.today)})"
        return f"Its six-month deadline to improve is {when}."
    return (
        f"Current stage: {stage.label} (since {fmt_date(stage.since)}); next deadline {tense} "
        f"{fmt_date(stage.deadline)} ({days_phrase(stage.deadline, ctx.today)})."
    )


def overdue_deadline(deadline: date, today: date) -> str:
    """A judged-inadequate council still at that stage after its deadline: nothing was recorded since
    (a recorded intervention moves it on), and that is what a director needs to read."""
    return (f"deadline to improve passed {fmt_date(deadline)} ({days_phrase(deadline, today)}); "
            "no intervention recorded since")


def broker_sentence(brokers: tuple[PersonInfo, ...] | list[PersonInfo]) -> str:
    if not brokers:
        return "No lead broker is recorded for this region."
    word = "Lead broker" if len(brokers) == 1 else "Lead brokers"
    return f"{word}: {join_names([b.name for b in brokers])}."


def headline(status: CouncilStatus, ctx: CommandContext) -> str:
    council = status.council
    if not council.current:
        successors = join_names(list(council.successors)) or "its successor councils"
        return (
            f"{council.name} no longer exists (its code was last used in {council.last_year}); "
            f"its area is now served by {successors}."
        )
    latest = status.latest
    if latest is None:
        return f"{council.name} has no ILACS judgement on record yet. " + broker_sentence(status.brokers)
    parts = [
        f"{council.name} was judged {latest.overall} "
        f"(published {fmt_date(latest.publication_date or latest.inspection_date)})."
    ]
    sentence = deadline_sentence(status, ctx)
    if sentence:
        parts.append(sentence)
    parts.append(broker_sentence(status.brokers))
    return " ".join(parts)


def status_card(ctx: CommandContext, status: CouncilStatus) -> Reply:
    council = status.council
    facts = [
        Fact("Type", council.la_type),
        Fact("Region", council.region.name),
        Fact("Codes", f"DfE {council.dfe_code} · ONS {council.ons_code}"),
    ]
    sections: list[Section] = []
    latest = status.latest
    if latest is not None:
        facts += [
            Fact("Ofsted overall", latest.overall),
            Fact(
                "Inspected / published",
                f"{fmt_date(latest.inspection_date)} / {fmt_date(latest.publication_date)}",
            ),
        ]
        sections.append(
            Section(
                heading=f"Ofsted sub-judgements ({latest.inspection_type})",
                facts=tuple(
                    Fact(label, latest.sub_judgements.get(key) or "Not judged")
                    for key, label in SUB_JUDGEMENTS.items()
                ),
            )
        )
    else:
        facts.append(Fact("Ofsted overall", "Not yet inspected under ILACS"))
    if status.stage is not None:
        facts.append(Fact("Intervention stage", f"{status.stage.label} (since {fmt_date(status.stage.since)})"))
        if status.stage.deadline:
            deadline = status.stage.deadline
            facts.append(Fact("Next deadline", f"{fmt_date(deadline)} ({days_phrase(deadline, ctx.today)})"))
    elif latest is not None and latest.overall != INADEQUATE:
        facts.append(Fact("Intervention stage", "None"))
    broker_lines = tuple(f"{b.name}: {b.contact_line}" for b in status.brokers) or (
        "No lead broker recorded for this region.",
    )
    sections.append(Section(heading="Lead broker", lines=broker_lines))
    earlier = [j for j in status.history if j is not latest]
    created = created_note(status)
    if earlier or created:
        sections.append(
            Section(
                heading="Earlier judgements (since 2009)",
                lines=tuple(
                    f"{fmt_short_date(j.day)}: {j.overall} ({framework_label(j.framework)})" for j in reversed(earlier)
                ) + ((created,) if created else ()),
            )
        )
    reviews = status.peer_reviews
    if reviews:
        sections.append(
            Section(
                heading="Peer reviews booked",
                lines=tuple(
                    f"{fmt_short_date(r.start)}" + (f" to {fmt_short_date(r.end)}" if r.end != r.start else "")
                    + (f" (team: {join_names(list(r.team))})" if r.team else "")
                    for r in reviews
                ),
            )
        )
    sections.append(
        Section(heading="Programmes", lines=(", ".join(status.programmes) or "None recorded",))
    )
    if council.predecessors:
        sections.append(Section(heading="Predecessor councils", lines=(join_names(list(council.predecessors)),)))
    if council.successors:
        sections.append(Section(heading="Successor councils", lines=(join_names(list(council.successors)),)))
    return Reply(
        text=headline(status, ctx),
        title=council.name if council.current else f"{council.name} (no longer exists)",
        facts=tuple(facts),
        sections=tuple(sections),
        actions=(
            Action("Timeline", f"/council timeline {council.name}", style="primary"),
            Action("Contacts", "/contacts"),
            Action("Who is the broker?", f"/broker {council.name}"),
        ),
        intent="council_status",
        entities=council_entities(council, status),
    )


def created_note(status: CouncilStatus) -> str:
    """For a council created by a reorganisation with no judgement from before it existed:
    "No record before 2019 (the council was created in 2019)"; empty otherwise."""
    council = status.council
    first = council.first_year
    if not council.predecessors or first is None or any(j.day.year < first for j in status.history):
        return ""
    return f"No record before {first} (the council was created in {first})."


def council_entities(council: CouncilInfo, status: CouncilStatus) -> dict[str, object]:
    return {
        "council": council.name,
        "ons_code": council.ons_code,
        "region": council.region.name,
        "overall": status.latest.overall if status.latest else None,
        "deadline": status.stage.deadline.isoformat() if status.stage and status.stage.deadline else None,
    }


def council_timeline(ctx: CommandContext, name: str) -> Reply:
    found = council_or_error(ctx, name, command="/council timeline")
    if isinstance(found, Reply):
        return found
    status = ctx.services.councils.status(found.id)
    lines = tuple(f"{e.when or fmt_short_date(e.day)}: {e.text}" for e in status.timeline)
    summary = (
        f"{found.name}'s timeline has {plural(len(lines), 'entry', 'entries')}"
        + (f", the latest on {fmt_date(status.timeline[-1].day)}." if lines else ".")
    )
    return Reply(
        text=summary,
        title=f"{found.name}: timeline",
        sections=(Section(lines=lines or ("Nothing recorded yet.",)),),
        actions=(Action("Status card", f"/council {found.name}"),),
        intent="council_timeline",
        entities={"council": found.name},
    )


def split_grade(words: list[str]) -> tuple[list[str], str | None]:
    """Peel a trailing (or leading) judgement off the words: `North West inadequate`."""
    for size in (5, 3, 2, 1):
        if len(words) >= size:
            grade = parse_grade(" ".join(words[-size:]))
            if grade:
                return words[:-size], grade
            grade = parse_grade(" ".join(words[:size]))
            if grade:
                return words[size:], grade
    return words, None


def council_list(ctx: CommandContext, args: str) -> Reply:
    words, grade = split_grade(args.split())
    region = optional_region(ctx, " ".join(words))
    if isinstance(region, Reply):
        return region
    result = ctx.services.councils.list(region.id if region else None, grade)
    where = f"in {region.name}" if region else "in England"
    count = len(result.items)
    if grade:
        text = f"{plural(count, 'council')} {where} {'is' if count == 1 else 'are'} judged {grade}."
    else:
        text = f"{region.name if region else 'England'} has {plural(count, 'council')} with children's services. "
        text += "; ".join(f"{short_grade(g)}: {n}" for g, n in result.counts.items()) + "."
    lines = tuple(
        f"{item.name}" + ("" if region else f" ({item.region})")
        + ("" if grade else f": {short_grade(item.overall)}")
        + (f", published {fmt_short_date(item.published)}" if item.published else "")
        for item in result.items[:LIST_LIMIT]
    )
    if count > LIST_LIMIT:
        lines += (f"…and {count - LIST_LIMIT} more: narrow by region or judgement.",)
    return Reply(
        text=text,
        title=f"Councils {where}" + (f": {short_grade(grade)}" if grade else ""),
        facts=tuple(Fact(short_grade(g), str(n)) for g, n in result.counts.items()),
        sections=(Section(lines=lines or ("None.",)),),
        intent="council_list",
        entities={"region": region.name if region else None, "judgement": grade, "count": count},
    )


COUNCIL = Command(
    name="council",
    summary="A council's status card: Ofsted judgements, intervention stage and deadline, broker.",
    usage=("/council NAME", "/council list [REGION] [JUDGEMENT]", "/council timeline NAME"),
    examples=("/council Harrow", "/council list North West inadequate", "/council timeline Hull"),
    handler=handle_council,
)
