"""`/broker [REGION | COUNCIL | PERSON]` and `/contacts [TOPIC]`."""

from __future__ import annotations

from bot.commands.base import Command, CommandContext
from bot.commands.resolve import council_or_error
from bot.core.format import join_names
from bot.core.reply import Action, Fact, Reply, Section
from bot.services.values import PersonInfo, RegionBrokers


def person_lines(person: PersonInfo) -> tuple[str, ...]:
    lines = [f"{person.name}: {person.contact_line}"]
    if person.title:
        lines.append(person.title)
    return tuple(lines)


def handle_broker(ctx: CommandContext, args: str) -> Reply:
    query = args.strip()
    directory = ctx.services.directory
    if not query:
        return all_regions(ctx.services.brokers.by_region())
    region = directory.resolve_region(query)
    if region.match is not None:
        return region_brokers(ctx.services.brokers.by_region(region.match)[0])
    person = directory.resolve_person(query)
    council = directory.resolve_council(query)
    if person.match is not None and council.match is None:
        return person_card(ctx.services.brokers.person(person.match))
    found = council_or_error(ctx, query, command="/broker")
    if isinstance(found, Reply):
        return found
    covering = ctx.services.brokers.by_region(found.region.id)[0]
    names = join_names([b.name for b in covering.brokers]) or "nobody yet"
    reply = region_brokers(covering)
    return Reply(
        text=f"{found.name} is in {found.region.name}; its lead broker is {names}.",
        title=f"Lead broker for {found.name}",
        facts=reply.facts,
        sections=reply.sections,
        actions=(Action("Status card", f"/council {found.name}"),),
        intent="broker_for_council",
        entities={"council": found.name, "region": found.region.name,
                  "brokers": [b.name for b in covering.brokers]},
    )


def region_brokers(item: RegionBrokers) -> Reply:
    names = join_names([b.name for b in item.brokers]) or "nobody yet"
    sections = tuple(Section(heading=b.name, lines=(*person_lines(b)[1:], b.contact_line)) for b in item.brokers)
    return Reply(
        text=f"The lead broker for {item.region.name} is {names}.",
        title=f"Lead broker: {item.region.name}",
        facts=(Fact("Councils in region", str(item.council_count)),),
        sections=sections,
        actions=(Action("Councils in region", f"/council list {item.region.name}"),),
        intent="broker_for_region",
        entities={"region": item.region.name, "brokers": [b.name for b in item.brokers]},
    )


def person_card(person: PersonInfo) -> Reply:
    role = person.role.replace("_", " ")
    if person.regions:
        text = f"{person.name} is lead broker for {join_names(list(person.regions))}."
    else:
        text = f"{person.name} is a {role}" + (f" ({person.title})." if person.title else ".")
    facts = [Fact("Role", role.capitalize()), Fact("Contact", person.contact_line)]
    if person.title:
        facts.append(Fact("Notes", person.title))
    if person.regions:
        facts.append(Fact("Regions", ", ".join(person.regions)))
    return Reply(
        text=text,
        title=person.name,
        facts=tuple(facts),
        actions=tuple(Action(f"Councils in {r}", f"/council list {r}") for r in person.regions),
        intent="broker_person",
        entities={"person": person.name, "regions": list(person.regions)},
    )


def all_regions(items: list[RegionBrokers]) -> Reply:
    covered = sum(1 for i in items if i.brokers)
    return Reply(
        text=f"{covered} of {len(items)} regions have a lead broker.",
        title="Lead brokers by region",
        facts=tuple(
            Fact(i.region.name, join_names([b.name for b in i.brokers]) or "Vacant") for i in items
        ),
        intent="broker_list",
        entities={"regions": {i.region.name: [b.name for b in i.brokers] for i in items}},
    )


TOPIC_LABELS = {
    "peer_review_bookings": "Peer review bookings",
    "review_team_training": "Review-team training places",
    "general_queries": "General queries",
    "peer_challenge": "Peer challenge",
    "peer_reviews": "Peer reviews",
    "brokerage": "Commissioning and brokerage",
}
TOPIC_WORDS = {
    "booking": "peer_review_bookings",
    "bookings": "peer_review_bookings",
    "training": "review_team_training",
    "general": "general_queries",
    "queries": "general_queries",
    "challenge": "peer_challenge",
    "review": "peer_reviews",
    "reviews": "peer_reviews",
    "brokerage": "brokerage",
}


def topic_from(text: str) -> str | None:
    words = text.lower().replace("-", " ").split()
    for word in ("booking", "bookings", "training", "general", "queries", "challenge", "brokerage"):
        if word in words:
            return TOPIC_WORDS[word]
    if "review" in words or "reviews" in words:
        return "peer_reviews"
    return None


def handle_contacts(ctx: CommandContext, args: str) -> Reply:
    topic = topic_from(args) if args.strip() else None
    contacts = ctx.services.brokers.contacts(topic)
    by_topic: dict[str, list[PersonInfo]] = {}
    for contact in contacts:
        by_topic.setdefault(contact.topic, []).append(contact.person)
    sections = tuple(
        Section(
            heading=TOPIC_LABELS.get(t, t),
            lines=tuple(f"{p.name}: {p.contact_line}" for p in people),
        )
        for t, people in by_topic.items()
    )
    if topic:
        names = join_names([p.name for p in by_topic.get(topic, [])], "or")
        text = f"For {TOPIC_LABELS[topic].lower()}, contact {names}."
    else:
        text = "Who to ask about what: " + "; ".join(
            f"{TOPIC_LABELS.get(t, t)}: {join_names([p.name for p in people], 'or')}"
            for t, people in by_topic.items()
        ) + "."
    sources = ctx.services.roster.contact_sources(topic)
    return Reply(text=text, title="Contacts", sections=sections, intent="contacts",
                 footer=f"Source: {'; '.join(sources)}" if sources else None, entities={"topic": topic})


BROKER = Command(
    name="broker",
    summary="Who the lead broker is for a region or council, or what a person covers.",
    usage=("/broker", "/broker REGION", "/broker COUNCIL", "/broker PERSON"),
    examples=("/broker North West", "/broker Knowsley", "/broker Dave Smith"),
    handler=handle_broker,
    aliases=("brokers",),
)

CONTACTS = Command(
    name="contacts",
    summary="Who to ask about peer review bookings, review-team training and general queries.",
    usage=("/contacts", "/contacts TOPIC"),
    examples=("/contacts bookings", "/contacts training"),
    handler=handle_contacts,
    aliases=("contact",),
)
