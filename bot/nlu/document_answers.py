"""Questions answered from the source documents, each citing its source briefly.

Bulletin 7 of the Children's Improvement Board (4 November 2011): peer reviews carry no charge,
22 were scheduled in 2011/12, review-team training on 8/9 February at Warwick University, and how
the £2.25m regional pot is split. Children & Young People Now (22 January 2013 and 5 January
2016): development demonstrator sites, Partners in Practice, and the interventions of 2014-16
(commissioners in Birmingham, Norfolk and Sandwell; trusts in Doncaster and Slough, Sunderland to
follow). Interventions are past events: the answer also says what the intervention ladder holds
now, and nothing here opens an escalation.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.core.format import fmt_date, join_names
from bot.core.reply import Action, Reply, Section
from bot.nlu import lexicon as lx
from bot.nlu.answer_tools import AnswerTools, which_council
from bot.nlu.history_answers import when_phrase
from bot.nlu.understand import Interpretation
from bot.services.resolver import normalise_name
from bot.services.values import ReportedInterventionInfo

FOLLOW_ON = {
    "review_team_training": Action("Training events in the bot", "/peerreview training list"),
    "peer_reviews_scheduled": Action("Peer reviews booked now", "/peerreview list"),
    "peer_review_charge": Action("Who to contact about bookings", "/contacts bookings"),
}
PROGRAMME_SCOPE = {
    "Partners in Practice": "partners_in_practice",
    "Development demonstrator": "development_demonstrators",
}
YES_NO_QUESTION = re.compile(r"^(has|have|had|did|does|do|is|was|were|are)\b")


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def on_source_fact(tools: AnswerTools, meaning: Interpretation) -> Reply:
    topic = lx.document_topic(normalise_name(tools.message.text)) or ""
    fact = tools.services.documents.fact(topic)
    if fact is None:  # the lexicon and the facts file disagree: say so rather than guess
        return Reply(text="I don't hold that in the source documents.", intent="clarify")
    text = f"{sentence(fact.fact)} ({fact.source})."
    if topic == "peer_review_charge":
        text = f"No charge: {text}"
    if topic == "funding_formula":  # the bulletin's rule, then the split the bot works out from it
        card = tools.run("funding")
        if card.kind != "error":
            return replace(card, text=f"{text} {card.text}", intent="funding",
                           entities={**card.entities, "topic": topic, "source": fact.source})
    follow = FOLLOW_ON.get(topic)
    return Reply(text=text, actions=(follow,) if follow else (), intent="source_fact",
                 entities={"topic": topic, "source": fact.source})


def on_programme(tools: AnswerTools, meaning: Interpretation) -> Reply:
    norm = normalise_name(tools.message.text)
    programme = lx.programme_in(norm) or "Partners in Practice"
    documents = tools.services.documents
    members = documents.programme_members(programme)
    scope = documents.fact(PROGRAMME_SCOPE[programme])
    source = scope.source if scope else ""
    names = join_names([m.council for m in members])
    council_id = meaning.turn.council_id
    if council_id is None and meaning.unknown_name:
        return tools.unknown(meaning)
    if council_id is None:
        about = f" ({sentence(scope.fact)}.)" if scope else ""
        text = f"{programme} councils named in {source}: {names}.{about}"
        lines = tuple(f"{m.council}: {m.programme}, {m.note}" for m in members)
        return Reply(text=text, title=programme, sections=(Section(lines=lines),), intent="programme",
                     entities={"programme": programme, "councils": [m.council for m in members], "source": source})
    name = tools.services.directory.council(council_id).name
    mine = [m for m in members if m.council_id == council_id]
    if mine:
        text = f"Yes: {name} is a {mine[0].programme} council: {mine[0].note}."
    else:
        text = f"No: {name} is not among the {programme} councils named in {source} ({names})."
        if programme == "Development demonstrator" and scope:
            text += f" That article names only some of the sites: {scope.fact}."
    return Reply(text=text, title=name, intent="programme",
                 entities={"programme": programme, "council": name, "member": bool(mine), "source": source})


def describe(event: ReportedInterventionInfo) -> str:
    return f"{event.council}: {event.summary} {when_phrase(event.when_text)}"


def on_reported_intervention(tools: AnswerTools, meaning: Interpretation) -> Reply:
    council_id = meaning.turn.council_id
    if council_id is None and meaning.unknown_name:
        return tools.unknown(meaning)
    documents = tools.services.documents
    everyone = documents.interventions()
    source = everyone[0].source if everyone else "the source documents"
    if council_id is None:
        if not everyone:
            return which_council("reported_intervention", "when did Birmingham get a commissioner?")
        text = (f"Past interventions reported in {source}: " + "; ".join(describe(e) for e in everyone)
                + ". These are past events, not current escalations.")
        return Reply(text=text, title="Past interventions", intent="reported_intervention",
                     entities={"councils": [e.council for e in everyone], "source": source},
                     actions=(Action("Current deadlines", "/deadlines"),))
    status = tools.services.councils.status(council_id)
    name = status.council.name
    events = list(status.reported_interventions)
    norm = normalise_name(tools.message.text)
    if events:
        done = [e for e in events if e.kind != "trust_planned"]
        verdict = "Yes: " if done and YES_NO_QUESTION.search(norm) else ""
        text = verdict + "; ".join(describe(e) for e in events) + f" ({events[0].source}; a past event)."
    else:
        text = (f"No: the source documents I hold record no commissioner or children's services trust for {name} "
                f"(they name {join_names(sorted({e.council for e in everyone}))}; {source}).")
    stage = status.stage
    if stage is not None:
        text += f" Current intervention stage on record: {stage.label} (since {fmt_date(stage.since)})."
    else:
        text += " No current escalation is recorded."
    return Reply(text=text, title=name, intent="reported_intervention",
                 entities={"council": name, "interventions": [e.kind for e in events], "source": source},
                 actions=(Action("Timeline", f"/council timeline {name}", style="primary"),))
