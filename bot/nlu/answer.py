"""An interpretation -> a reply, by running the same command handlers a broker would type.

The command gives the card (facts, sections, buttons); this module only rewrites `text` into a
complete, fact-first sentence for the question actually asked and sets `intent` / `entities`.
Which method answers which intent is one table, `HANDLERS`, at the end of the module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any, Protocol

from bot.commands import CommandContext
from bot.commands.broker import TOPIC_LABELS
from bot.commands.council import overdue_deadline, status_card
from bot.core.format import days_phrase, fmt_date, join_names, plural
from bot.core.message import Message
from bot.core.reply import Reply
from bot.domain.judgements import SUB_JUDGEMENTS, short_grade
from bot.nlu.context import Turn
from bot.nlu.document_answers import on_programme, on_reported_intervention, on_source_fact
from bot.nlu.history_answers import on_council_history
from bot.nlu.lexicon import TOPIC_ARGUMENT
from bot.nlu.questions_back import clarify, not_held, which_council
from bot.nlu.sentences import history_sentence, published
from bot.nlu.several import several_councils, several_regions
from bot.nlu.understand import Interpretation
from bot.services import Services
from bot.services.values import CouncilStatus


class CommandRunner(Protocol):
    """What the answerer needs from the router: its services, and running a command as the asker."""

    services: Services

    def run_command(self, message: Message, name: str, args: str) -> Reply: ...

LIST_IN_TEXT = 12

PER_COUNCIL = {"council_status", "deadlines", "broker_for_council"}
PER_REGION = {"broker_for_region", "council_list", "council_count", "signup_status", "peer_reviews", "deadlines"}


class Answerer:
    def __init__(self, router: CommandRunner, message: Message, today: date) -> None:
        self.router = router
        self.message = message
        self.today = today
        self.services = router.services
        self.directory = router.services.directory

    # --- helpers ---------------------------------------------------------------------------

    def run(self, name: str, args: str = "") -> Reply:
        return self.router.run_command(self.message, name, args)

    def status_and_card(self, council_id: int) -> tuple[CouncilStatus, Reply]:
        """The council's status and the /council card built from it by the command's own
        `status_card` (the id is already resolved, so the status is read once, not twice)."""
        status = self.services.councils.status(council_id)
        context = CommandContext(services=self.services, message=self.message, today=self.today)
        return status, status_card(context, status)

    def council_name(self, council_id: int) -> str:
        return self.directory.council(council_id).name

    def region_name(self, region_id: int) -> str:
        return self.directory.region(region_id).name

    def region_of(self, turn: Turn) -> str | None:
        """The region asked about, or the region of the council in hand ("our region" for a
        director whose council we know)."""
        if turn.region_id is not None:
            return self.region_name(turn.region_id)
        if turn.council_id is not None:
            return self.directory.council(turn.council_id).region.name
        return None

    @staticmethod
    def shaped(reply: Reply, intent: str, text: str | None = None, **entities: Any) -> Reply:
        merged = dict(reply.entities)
        merged.update({k: v for k, v in entities.items() if v is not None or k not in merged})
        return replace(reply, intent=intent, entities=merged, text=text if text is not None else reply.text)

    # --- dispatch --------------------------------------------------------------------------

    def answer(self, meaning: Interpretation) -> Reply:
        turn = meaning.turn
        intent = turn.intent
        if intent == "help":
            return self.shaped(self.run("help"), "help")
        if intent == "thanks":
            return Reply(text="You're welcome. Ask me about any council, region or broker whenever you like.",
                         intent="thanks")
        if intent == "out_of_domain":
            return self.not_held(meaning)
        if intent == "clarify_council":
            return self.which_council(meaning)
        if meaning.unknown_name and turn.council_id is None and turn.region_id is None and turn.person_id is None \
                and intent in {"council_status", "deadlines", "broker", "clarify"}:
            return self.unknown(meaning)
        if intent == "clarify":
            return self.clarify(meaning)
        handler = HANDLERS.get(intent)
        if handler is None:
            return self.clarify(meaning)
        result = handler(self, meaning)
        if meaning.more_councils and result.intent in PER_COUNCIL and turn.council_id is not None:
            return several_councils(self.answer, meaning, result)
        if meaning.more_regions and result.intent in PER_REGION and turn.region_id is not None:
            return several_regions(self.answer, meaning, result)
        return result

    def which_council(self, meaning: Interpretation) -> Reply:
        names = [self.council_name(council_id) for council_id in meaning.choices]
        return which_council((meaning.shared_name or "").title(), names)

    def not_held(self, meaning: Interpretation) -> Reply:
        turn = meaning.turn
        return not_held(meaning.not_held,
                        council=self.council_name(turn.council_id) if turn.council_id is not None else None,
                        region=self.region_name(turn.region_id) if turn.region_id is not None else None)

    def clarify(self, meaning: Interpretation) -> Reply:
        return clarify(meaning.turn.intent, meaning.turn.grade)

    def unknown(self, meaning: Interpretation) -> Reply:
        """Run the name through the council resolver: a forgiving match answers; otherwise the
        command's own "I don't know a council called ..." reply with suggestions."""
        name = meaning.unknown_name or ""
        resolution = self.directory.resolve_council(name)
        if resolution.match is not None:
            turn = replace(meaning.turn, council_id=resolution.match,
                           intent=meaning.turn.intent if meaning.turn.intent != "clarify" else "council_status",
                           aspect=meaning.turn.aspect or "overall")
            return self.answer(replace(meaning, turn=turn, unknown_name=None))
        region = self.directory.resolve_region(name)
        if region.match is not None and meaning.turn.intent != "council_status":
            turn = replace(meaning.turn, region_id=region.match)
            return self.answer(replace(meaning, turn=turn, unknown_name=None))
        person = self.directory.resolve_person(name)
        if person.match is not None and resolution.candidates == ():
            turn = replace(meaning.turn, person_id=person.match, intent="broker_person")
            return self.answer(replace(meaning, turn=turn, unknown_name=None))
        return self.run("council", name)

    def feature(self, command: str, args: str, intent: str, **entities: Any) -> Reply:
        reply = self.run(command, args.strip())
        if reply.kind == "error":
            return reply
        return self.shaped(reply, intent, **entities)

    def ask_home(self, meaning: Interpretation) -> Reply:
        return Reply(
            text="Which council or region are you with? Tell me once (for example \u201cKnowsley\u201d or "
            "\u201cNorth West\u201d) and I'll use it for the rest of this conversation.",
            kind="question",
            intent="clarify_home",
            entities={"pending": meaning.turn.intent},
        )

    # --- council status --------------------------------------------------------------------

    def on_council_status(self, meaning: Interpretation) -> Reply:
        turn = meaning.turn
        if turn.council_id is None:
            if turn.region_id is not None:
                return self.on_council_list(meaning)
            return self.clarify(meaning)
        status, card = self.status_and_card(turn.council_id)
        name = status.council.name
        aspect = turn.aspect or "overall"
        text = card.text
        latest = status.latest
        if latest is not None and status.council.current:
            if aspect == "history":
                text = history_sentence(status, turn.grade) + " " + card.text
            elif aspect == "sub_judgement" and turn.sub_judgement:
                label = SUB_JUDGEMENTS[turn.sub_judgement]
                value = latest.sub_judgements.get(turn.sub_judgement) or "not judged separately"
                text = (f"At its latest inspection (published {published(latest)}), {name}'s "
                        f"\u201c{label}\u201d judgement was {value}; overall it was judged {latest.overall}.")
            elif aspect == "dates":
                text = (f"{name} was last inspected on {fmt_date(latest.inspection_date)}; the report was "
                        f"published on {published(latest)} (judged {latest.overall}).")
            elif turn.grade:
                yes = latest.overall == turn.grade
                text = ("Yes. " if yes else "No. ") + card.text
        return self.shaped(card, "council_status", text, aspect=aspect, judgement=turn.grade,
                           sub_judgement=SUB_JUDGEMENTS.get(turn.sub_judgement or ""))

    # --- deadlines -------------------------------------------------------------------------

    def on_deadlines(self, meaning: Interpretation) -> Reply:
        turn = meaning.turn
        if turn.council_id is not None:
            return self.council_deadline(turn.council_id)
        region = self.region_of(turn)
        days = turn.days
        args = " ".join(x for x in (region or "", str(days) if days is not None else "") if x)
        return self.feature("deadlines", args, "deadlines", region=region, days=days)

    def council_deadline(self, council_id: int) -> Reply:
        status, card = self.status_and_card(council_id)
        name = status.council.name
        stage, latest = status.stage, status.latest
        broker = join_names([b.name for b in status.brokers])
        tail = f" Lead broker: {broker}." if broker else ""
        if stage is not None and stage.deadline is not None:
            tense = "is" if stage.deadline >= self.today else "was"
            when = f"{fmt_date(stage.deadline)} ({days_phrase(stage.deadline, self.today)})"
            if stage.key == "judged_inadequate" and latest is not None and tense == "was":
                text = (f"{name}'s six-month {overdue_deadline(stage.deadline, self.today)}; it was judged "
                        f"Inadequate (published {published(latest)}).")
            elif stage.key == "judged_inadequate" and latest is not None:
                text = (f"{name}'s six-month deadline to improve {tense} {when}; it was judged Inadequate "
                        f"(published {published(latest)}).")
            else:
                text = (f"{name}'s next deadline {tense} {when}, at the \u201c{stage.label}\u201d stage "
                        f"(since {fmt_date(stage.since)}).")
        elif latest is not None:
            text = (f"{name} has no intervention deadline: its latest Ofsted judgement is {latest.overall} "
                    f"(published {published(latest)}).")
        else:
            text = f"{name} has no intervention deadline and no ILACS judgement on record."
        return self.shaped(card, "deadlines", text + tail, aspect="deadline")

    # --- brokers ---------------------------------------------------------------------------

    def on_broker(self, meaning: Interpretation) -> Reply:
        turn = meaning.turn
        if turn.person_id is not None:
            return self.on_broker_person(meaning)
        if turn.council_id is not None:
            return self.on_broker_for_council(meaning)
        if turn.region_id is not None:
            return self.on_broker_for_region(meaning)
        return self.shaped(self.run("broker"), "broker_list")

    def on_broker_for_council(self, meaning: Interpretation) -> Reply:
        turn = meaning.turn
        if turn.council_id is None:
            return self.on_broker(replace(meaning, turn=replace(turn, intent="broker")))
        reply = self.run("broker", self.council_name(turn.council_id))
        return self.shaped(reply, "broker_for_council")

    def on_broker_for_region(self, meaning: Interpretation) -> Reply:
        turn = meaning.turn
        region = self.region_of(turn)
        if region is None:
            return self.on_broker(replace(meaning, turn=replace(turn, intent="broker")))
        reply = self.run("broker", region)
        return self.shaped(reply, "broker_for_region")

    def on_broker_person(self, meaning: Interpretation) -> Reply:
        turn = meaning.turn
        if turn.person_id is None:
            return self.on_broker(replace(meaning, turn=replace(turn, intent="broker")))
        person = self.directory.person(turn.person_id)
        reply = self.run("broker", person.name)
        text = reply.text
        if turn.aspect == "count":
            text = self.councils_covered(person.name, person.regions) + " " + text
        if meaning.wants_contact or not person.regions or person.email or person.phone:
            text += f" Contact: {person.contact_line}."
        if person.starts_on and person.starts_on > self.today:
            text += f" Starts on {fmt_date(person.starts_on)}."
        return self.shaped(reply, "broker_person", text)

    def councils_covered(self, name: str, regions: tuple[str, ...]) -> str:
        """ "Dave Smith covers 27 councils: North East (12) and Yorkshire and the Humber (15)."."""
        counts = []
        for region in regions:
            region_id = self.directory.resolve_region(region).match
            if region_id is not None:
                counts.append((region, len(self.services.councils.list(region_id, None).items)))
        if not counts:
            return f"{name} does not cover any region's councils."
        total = sum(n for _, n in counts)
        if len(counts) == 1:
            return f"{name} covers {plural(total, 'council')}, all in {counts[0][0]}."
        parts = join_names([f"{region} ({n})" for region, n in counts])
        return f"{name} covers {plural(total, 'council')}: {parts}."

    # --- lists and counts ------------------------------------------------------------------

    def _list(self, meaning: Interpretation, intent: str) -> Reply:
        turn = meaning.turn
        region = self.region_of(turn) or ""
        region_id = turn.region_id
        if region_id is None and turn.council_id is not None:
            region_id = self.directory.council(turn.council_id).region.id
        reply = self.run("council", f"list {region} {turn.grade or ''}".strip())
        if reply.intent != "council_list":
            return reply
        result = self.services.councils.list(region_id, turn.grade)
        count = len(result.items)
        where = f"in {region}" if region else "in England"
        if turn.grade:
            verb = "is" if count == 1 else "are"
            head = (f"{plural(count, 'council')} {where} {verb} judged {turn.grade}" if count
                    else f"No councils {where} are judged {turn.grade}")
            if intent == "council_list" and count:
                names = [item.name for item in result.items]
                shown = join_names(names) if count <= LIST_IN_TEXT else (
                    ", ".join(names[:LIST_IN_TEXT]) + f" and {count - LIST_IN_TEXT} more")
                text = f"{head}: {shown}."
            else:
                text = head + "."
        else:
            spread = "; ".join(f"{short_grade(g)}: {n}" for g, n in result.counts.items())
            text = (f"{region or 'England'} has {plural(count, 'council')} with children's services. "
                    f"Latest Ofsted judgements: {spread}.")
        return self.shaped(reply, intent, text, region=region or None, judgement=turn.grade, count=count)

    def on_council_list(self, meaning: Interpretation) -> Reply:
        return self._list(meaning, "council_list")

    def on_council_count(self, meaning: Interpretation) -> Reply:
        return self._list(meaning, "council_count")

    # --- contacts and the workflow features ------------------------------------------------

    def on_contacts(self, meaning: Interpretation) -> Reply:
        topic = meaning.turn.topic
        reply = self.run("contacts", TOPIC_ARGUMENT.get(topic or "", ""))
        text = None
        if topic:
            people = [c.person for c in self.services.brokers.contacts(topic)]
            if people:
                label = TOPIC_LABELS.get(topic, topic).lower()
                names = join_names([f"{p.name} ({p.contact_line})" if p.email or p.phone else p.name
                                    for p in people], "or")
                text = f"For {label}, contact {names}."
        return self.shaped(reply, "contacts", text, topic=topic)

    def on_signup_status(self, meaning: Interpretation) -> Reply:
        region = self.region_of(meaning.turn)
        return self.feature("signup", region or "", "signup_status", region=region)

    def on_peer_reviews(self, meaning: Interpretation) -> Reply:
        region = self.region_of(meaning.turn)
        return self.feature("peerreview", f"list {region or ''}", "peer_reviews", region=region)

    def on_funding(self, meaning: Interpretation) -> Reply:
        region = self.region_of(meaning.turn)
        reply = self.feature("funding", "", "funding", region=region)
        if region is None or reply.intent != "funding":
            return reply
        for section in reply.sections:
            for line in section.lines:
                if line.startswith(f"{region}: "):
                    share = line.removeprefix(f"{region}: ")
                    return replace(reply, text=f"{region}'s share of the regional pot is {share}. {reply.text}")
        return reply


# Intent -> the method that answers it ("help", "thanks", "out_of_domain" and "clarify" are
# answered in `Answerer.answer` itself); an intent not listed gets the clarifying question.
HANDLERS: dict[str, Callable[[Answerer, Interpretation], Reply]] = {
    "council_status": Answerer.on_council_status,
    "deadlines": Answerer.on_deadlines,
    "broker": Answerer.on_broker,
    "broker_for_council": Answerer.on_broker_for_council,
    "broker_for_region": Answerer.on_broker_for_region,
    "broker_person": Answerer.on_broker_person,
    "council_list": Answerer.on_council_list,
    "council_count": Answerer.on_council_count,
    "contacts": Answerer.on_contacts,
    "signup_status": Answerer.on_signup_status,
    "peer_reviews": Answerer.on_peer_reviews,
    "funding": Answerer.on_funding,
    "council_history": on_council_history,
    "source_fact": on_source_fact,
    "programme": on_programme,
    "reported_intervention": on_reported_intervention,
}
