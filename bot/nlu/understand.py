"""Message text + conversation context -> one interpretation: an intent and its slots.

Rules, not a model: deterministic, explainable and fast. The order of the checks below is the
priority between intents (a contact topic beats "peer reviews", a named person beats "broker").
Follow-ups borrow the slots they lack from the previous turn; "my"/"our" borrow the asker's home.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from bot.nlu import lexicon as lx
from bot.nlu.context import Context, Turn
from bot.nlu.dates import DateRange, parse_when
from bot.nlu.spotter import STOPWORDS, Spotted, Spotter
from bot.services.resolver import normalise_name

MAX_EXTRA_COUNCILS = 4

# Intents whose answer depends on which council or region ("our broker", "my region's deadline").
NEEDS_SUBJECT = {"council_status", "broker", "broker_for_council", "broker_for_region", "deadlines",
                 "council_list", "council_count", "signup_status", "peer_reviews", "funding"}
# Intents that are about one council / one region / anything.
COUNCIL_INTENTS = {"council_status", "broker_for_council"}
REGION_INTENTS = {"council_list", "council_count", "broker_for_region"}


@dataclass(frozen=True)
class Interpretation:
    turn: Turn
    when: DateRange | None = None
    wants_contact: bool = False
    unknown_name: str | None = None  # a capitalised name that matched nothing
    needs_home: bool = False  # "my region" but we do not know it yet
    understood: str = ""
    more_councils: tuple[int, ...] = ()  # "how are Knowsley and Halton doing?": the others


def _first(spotted: Spotted, kind: str) -> int | None:
    hits = [m for m in spotted.mentions if m.kind == kind]
    return hits[0].id if hits else None


def _unknown_name(text: str, spotted: Spotted) -> str | None:
    """Capitalised words (not the opening word of a sentence) that matched no known name: probably
    a council we do not know ("How is Gotham doing?"), worth naming back with suggestions."""
    words = re.findall(r"[A-Za-z][\w'’.&-]*", text)
    names = []
    for index, word in enumerate(words):
        clean = re.sub(r"['’]s$", "", word.rstrip("."))
        key = normalise_name(clean)
        if not clean[:1].isupper() or (index == 0 and len(words) > 1) or len(key) < 3:
            continue
        if key in STOPWORDS or key not in spotted.leftover:
            continue
        names.append(clean)
    return " ".join(dict.fromkeys(names)) or None


def understand(text: str, today: date, spotter: Spotter, context: Context) -> Interpretation:
    spotted = spotter.spot(text)
    norm = " ".join(spotted.tokens)
    council_id = _first(spotted, "council")
    region_id = _first(spotted, "region")
    person_id = _first(spotted, "person")
    grade = lx.grade_in(norm)
    sub = lx.sub_judgement_in(norm)
    topic = lx.topic_in(norm)
    when = parse_when(text, today)
    has_entity = council_id is not None or region_id is not None or person_id is not None
    previous = context.last
    follow_up = bool(lx.FOLLOW_UP.search(norm)) or (
        previous is not None and has_entity and len(spotted.leftover) <= 2
    )
    mine = bool(lx.MINE.search(norm)) and not has_entity
    pronoun = bool(lx.PRONOUN.search(re.sub(r"\b(are|is|was|were) there\b", " ", norm)))

    # 1. Small talk and help.
    if not norm:
        return Interpretation(Turn("help"))
    if lx.GREETING.search(norm) or (lx.HELP.search(norm) and not has_entity):
        return Interpretation(Turn("help"))
    if lx.THANKS.search(norm):
        return Interpretation(Turn("thanks"))
    if lx.OUT_OF_DOMAIN_HINT.search(norm) and not lx.DOMAIN.search(norm):
        return Interpretation(Turn("out_of_domain"))
    if previous is not None and previous.intent in {"council_list", "council_count"} and lx.WHICH_ONES.search(norm) \
            and not has_entity:
        return Interpretation(replace(previous, intent="council_list"))

    intent: str | None = None
    aspect: str | None = None
    wants_contact = bool(lx.CONTACT_DETAILS.search(norm))

    # 2. Explicit topics, most specific first.
    if lx.SIGNUP.search(norm):
        intent = "signup_status"
    elif lx.FUNDING.search(norm):
        intent = "funding"
    elif person_id is not None and council_id is None and (
        lx.PERSON_ABOUT.search(norm) or lx.CONTACT.search(norm) or lx.BROKER.search(norm) or not spotted.leftover
        or len(spotted.leftover) <= 3
    ):
        intent = "broker_person"
    elif _asks_for_contact(norm, topic, has_entity):
        intent = "contacts"
    elif lx.PEER_REVIEWS.search(norm):
        intent = "peer_reviews"
    elif lx.DEADLINE.search(norm) or (when is not None and council_id is None and not lx.STATUS.search(norm)
                                      and not lx.COUNT.search(norm) and not lx.DATES.search(norm)):
        intent = "deadlines"
        aspect = "deadline"
    elif lx.BROKER.search(norm):
        intent = "broker"
    elif lx.COUNT.search(norm) and council_id is None and (grade or region_id is not None
                                                           or lx.COUNCILISH.search(norm)):
        intent = "council_count"
    elif council_id is None and (grade or lx.COUNCILISH.search(norm)) and (
        lx.LIST.search(norm) or region_id is not None
    ):
        intent = "council_list"
    elif lx.STATUS.search(norm) or lx.HISTORY.search(norm) or lx.DATES.search(norm) or sub is not None \
            or (grade is not None and (pronoun or council_id is not None)):
        intent = "council_status"
    elif topic is not None and not has_entity:
        intent = "contacts"  # "general enquiries?", "training places": the topic alone
    # A bare name ("Telford", "and Halton?") has no intent of its own: a follow-up keeps the
    # previous question, a fresh one gets the status card (below).

    # Council-status aspects.
    if intent == "council_status":
        if lx.HISTORY.search(norm):
            aspect = "history"
        elif sub is not None:
            aspect = "sub_judgement"
        elif lx.DATES.search(norm):
            aspect = "dates"
        else:
            aspect = "overall"

    turn = Turn(
        intent=intent or "",
        council_id=council_id,
        region_id=region_id,
        person_id=person_id,
        grade=grade,
        sub_judgement=sub,
        aspect=aspect,
        topic=topic,
        days=when.days_ahead(today) if when is not None and intent == "deadlines" and when.end >= today else None,
    )

    # 3. Follow-ups: "and Knowsley?", "what about London?" borrow the previous intent.
    if intent is None and has_entity and previous is not None:
        turn = _carry_intent(turn, previous)
    elif intent is None and has_entity:
        if council_id is not None:
            turn = replace(turn, intent="council_status", aspect="overall")
        elif region_id is not None:
            turn = replace(turn, intent="council_list")
        else:
            turn = replace(turn, intent="broker_person")
    # "who's their broker?", "was it inadequate before?": borrow the entity.
    elif intent is not None and not has_entity and previous is not None and not mine and _leans_on_context(
            norm, intent, pronoun or follow_up) and _unknown_name(text, spotted) is None:
        turn = _carry_entity(turn, previous, pronoun or follow_up)

    # 4. "my region", "our broker": the asker's home, from the directory or this conversation.
    needs_home = False
    if turn.intent in NEEDS_SUBJECT and mine and turn.council_id is None and turn.region_id is None:
        if context.home_council_id is not None or context.home_region_id is not None:
            turn = replace(turn, council_id=context.home_council_id, region_id=context.home_region_id)
        else:
            needs_home = True

    if not turn.intent:
        understood = ""
        if lx.DOMAIN.search(norm) or grade:
            return Interpretation(replace(turn, intent="clarify"), understood=understood,
                                  unknown_name=_unknown_name(text, spotted))
        name = _unknown_name(text, spotted)
        if name and not lx.OUT_OF_DOMAIN_HINT.search(norm):
            return Interpretation(replace(turn, intent="council_status", aspect="overall"), unknown_name=name)
        return Interpretation(replace(turn, intent="out_of_domain"))

    unknown = None
    if not has_entity and turn.council_id is None and turn.region_id is None and turn.person_id is None:
        unknown = _unknown_name(text, spotted)
    others = tuple(dict.fromkeys(m.id for m in spotted.of("council") if m.id != council_id))[:MAX_EXTRA_COUNCILS]
    return Interpretation(turn, when=when, wants_contact=wants_contact, unknown_name=unknown,
                          needs_home=needs_home, more_councils=others if council_id == turn.council_id else ())


CONTACT_TOPICS = {"review_team_training", "peer_review_bookings", "general_queries", "brokerage", "peer_challenge"}


def _asks_for_contact(norm: str, topic: str | None, has_entity: bool) -> bool:
    """ "Who do I ask about bookings?", "how do I apply for training?", "who are the contacts?"."""
    asks = bool(lx.CONTACT.search(norm))
    if topic in CONTACT_TOPICS and (asks or re.search(r"\bwho\b|\bhow (do|can|should|would) (i|we)\b", norm)):
        return True
    return asks and not has_entity and (topic is not None or not lx.BROKER.search(norm))


def _leans_on_context(norm: str, intent: str, explicit: bool) -> bool:
    """Whether a question without a name means "the one we were talking about". Lists and counts
    that say "councils" ("how many councils are outstanding?") are about England unless a pronoun
    or "and ..." points back; "who are the brokers?" asks for all of them."""
    if explicit:
        return True
    if intent in {"council_list", "council_count", "signup_status", "peer_reviews", "funding"}:
        return not lx.COUNCILISH.search(norm) and not lx.NATIONAL.search(norm)
    if intent == "broker":
        return not re.search(r"\bbrokers\b|\ball\b|\bevery\b", norm)
    return not lx.NATIONAL.search(norm)


def _carry_intent(turn: Turn, previous: Turn) -> Turn:
    """The new entity replaces the old one; the question stays the same (adapted to its kind)."""
    intent = previous.intent
    keep = {"grade": previous.grade if turn.grade is None else turn.grade,
            "aspect": previous.aspect, "sub_judgement": previous.sub_judgement or turn.sub_judgement,
            "topic": previous.topic, "days": previous.days}
    if turn.council_id is not None:
        if intent in {"broker_for_region", "broker_person", "broker_list", "broker"}:
            intent = "broker_for_council"
        elif intent in {"council_list", "council_count", "clarify", "out_of_domain", "help", "thanks",
                        "contacts", "funding", "peer_reviews", "signup_status"}:
            intent, keep["aspect"] = "council_status", "overall"
        elif intent == "deadlines":
            keep["aspect"] = "deadline"
    elif turn.region_id is not None:
        if intent in {"broker_for_council", "broker_person", "broker_list", "broker"}:
            intent = "broker_for_region"
        elif intent == "council_status":
            intent = "council_list"
            keep["grade"] = turn.grade
        elif intent in {"clarify", "out_of_domain", "help", "thanks", "contacts"}:
            intent = "council_list"
    elif turn.person_id is not None:
        intent = "broker_person"
    return replace(turn, intent=intent, **keep)  # type: ignore[arg-type]


def _carry_entity(turn: Turn, previous: Turn, explicit: bool) -> Turn:
    """Fill the missing council/region/person from the previous turn."""
    intent = turn.intent
    if intent in {"broker", "council_status", "deadlines"} and previous.council_id is not None:
        return replace(turn, council_id=previous.council_id, region_id=None)
    if intent in {"broker", "council_list", "council_count", "deadlines", "signup_status", "peer_reviews",
                  "funding"} and previous.region_id is not None:
        return replace(turn, region_id=previous.region_id)
    if intent in {"council_list", "council_count"} and previous.council_id is not None and explicit:
        return turn
    if intent in {"broker", "contacts"} and previous.person_id is not None and explicit:
        return replace(turn, person_id=previous.person_id, intent="broker_person")
    return turn
