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
from bot.nlu.spotter import AMBIGUOUS_WORDS, STOPWORDS, Spotted, Spotter
from bot.services.resolver import normalise_name

MAX_EXTRA_COUNCILS = 4

# Intents whose answer depends on which council or region ("our broker", "my region's deadline").
NEEDS_SUBJECT = {"council_status", "broker", "broker_for_council", "broker_for_region", "deadlines",
                 "council_list", "council_count", "signup_status", "peer_reviews", "funding"}


@dataclass(frozen=True)
class Interpretation:
    turn: Turn
    when: DateRange | None = None
    wants_contact: bool = False
    unknown_name: str | None = None  # a capitalised name that matched nothing
    needs_home: bool = False  # "my region" but we do not know it yet
    more_councils: tuple[int, ...] = ()  # "how are Knowsley and Halton doing?": the others
    more_regions: tuple[int, ...] = ()  # "brokers for London and the South East": the others
    not_held: str | None = None  # "council tax": something asked about that the bot does not hold
    choices: tuple[int, ...] = ()  # "kingston": the councils a shared name may mean
    shared_name: str | None = None


def _first(spotted: Spotted, kind: str) -> int | None:
    hits = [m for m in spotted.mentions if m.kind == kind]
    return hits[0].id if hits else None


def _unknown_name(text: str, spotted: Spotted) -> str | None:
    """Words that matched no known name but look like one: capitalised (not the opening word of a
    sentence), or in lower case a word that is none of the words the bot's questions are made of
    ("how is gotham doing?"). Probably a council we do not know, worth naming back with
    suggestions, and never a reason to fall back on the previous council."""
    words = re.findall(r"[A-Za-z][\w'’.&-]*", text)
    names = []
    for index, word in enumerate(words):
        clean = re.sub(r"['’]s$", "", word.rstrip("."))
        key = normalise_name(clean)
        if len(key) < 3 or key in STOPWORDS or key not in spotted.leftover:
            continue
        if clean[:1].isupper() and not (index == 0 and len(words) > 1):
            names.append(clean)
        elif len(key) >= 4 and key.isalpha() and key not in AMBIGUOUS_WORDS and not lx.is_known_word(key):
            names.append(clean[:1].upper() + clean[1:])
    return " ".join(dict.fromkeys(names)) or None


@dataclass(frozen=True)
class Signals:
    """What one message says, before any context is applied."""

    text: str
    norm: str
    spotted: Spotted
    council_id: int | None
    region_id: int | None
    person_id: int | None
    grade: str | None
    sub_judgement: str | None
    topic: str | None
    when: DateRange | None
    pronoun: bool

    @property
    def has_entity(self) -> bool:
        return self.council_id is not None or self.region_id is not None or self.person_id is not None


def read_signals(text: str, today: date, spotter: Spotter) -> Signals:
    spotted = spotter.spot(text)
    norm = " ".join(spotted.tokens)
    return Signals(
        text=text,
        norm=norm,
        spotted=spotted,
        council_id=_first(spotted, "council"),
        region_id=_first(spotted, "region"),
        person_id=_first(spotted, "person"),
        grade=lx.grade_in(norm),
        sub_judgement=lx.sub_judgement_in(norm),
        topic=lx.topic_in(norm),
        when=parse_when(text, today),
        pronoun=bool(lx.PRONOUN.search(re.sub(r"\b(are|is|was|were) there\b", " ", norm))),
    )


def classify(s: Signals) -> str | None:
    """The intent the words ask for, most specific first; None for a bare name ("Telford",
    "and Halton?"), which a follow-up resolves from the previous question."""
    norm = s.norm
    if (record := lx.record_question(norm)) is not None:  # the record since 2009, the source documents
        return record
    if lx.SIGNUP.search(norm):
        return "signup_status"
    if lx.FUNDING.search(norm):
        return "funding"
    if s.person_id is not None and s.council_id is None and (
        lx.PERSON_ABOUT.search(norm) or lx.CONTACT.search(norm) or lx.BROKER.search(norm)
        or len(s.spotted.leftover) <= 3
    ):
        return "broker_person"
    if _asks_for_contact(norm, s.topic, s.has_entity):
        return "contacts"
    if lx.PEER_REVIEWS.search(norm):
        return "peer_reviews"
    if lx.DEADLINE.search(norm) or (
        s.when is not None and s.council_id is None and not lx.STATUS.search(norm)
        and not lx.COUNT.search(norm) and not lx.DATES.search(norm)
    ):
        return "deadlines"
    if lx.BROKER.search(norm):
        return "broker"
    if lx.COUNT.search(norm) and s.council_id is None and (
        s.grade or s.region_id is not None or lx.COUNCILISH.search(norm)
    ):
        return "council_count"
    if s.council_id is None and (s.grade or lx.COUNCILISH.search(norm)) and (
        lx.LIST.search(norm) or s.region_id is not None
    ):
        return "council_list"
    if lx.STATUS.search(norm) or lx.HISTORY.search(norm) or lx.DATES.search(norm) or s.sub_judgement \
            or (s.grade is not None and (s.pronoun or s.council_id is not None)):
        return "council_status"
    if s.topic is not None and not s.has_entity:
        return "contacts"  # "general enquiries?", "training places": the topic alone
    return None


def status_aspect(s: Signals) -> str:
    """Which part of a council's status is asked about."""
    if lx.HISTORY.search(s.norm):
        return "history"
    if s.sub_judgement is not None:
        return "sub_judgement"
    if lx.DATES.search(s.norm):
        return "dates"
    return "overall"


def understand(text: str, today: date, spotter: Spotter, context: Context) -> Interpretation:
    s = read_signals(text, today, spotter)
    norm, previous = s.norm, context.last
    follow_up = bool(lx.FOLLOW_UP.search(norm)) or (
        previous is not None and s.has_entity and len(s.spotted.leftover) <= 2
    )
    mine = bool(lx.MINE.search(norm)) and not s.has_entity

    # 1. Small talk, help, the obviously off-topic and "which ones?".
    if not norm or lx.GREETING.search(norm) or (lx.HELP.search(norm) and not s.has_entity):
        return Interpretation(Turn("help"))
    if lx.THANKS.search(norm) and not s.has_entity and not lx.DOMAIN.search(norm):
        return Interpretation(Turn("thanks"))
    not_held = lx.not_held_in(norm)
    if not_held is None and s.council_id is not None and lx.BUDGET.search(norm):
        not_held = "councils' budgets or spending"  # the funding the bot holds is the regions' pot
    if not_held is not None:
        return Interpretation(Turn("out_of_domain", council_id=s.council_id, region_id=s.region_id),
                              not_held=not_held)
    if lx.OUT_OF_DOMAIN_HINT.search(norm) and not lx.DOMAIN.search(norm):
        return Interpretation(Turn("out_of_domain", council_id=s.council_id, region_id=s.region_id))
    if previous is not None and previous.intent in {"council_list", "council_count"} \
            and lx.WHICH_ONES.search(norm) and not s.has_entity:
        return Interpretation(replace(previous, intent="council_list"))

    # A name several councils share ("kingston", "sussex"): ask which, never guess or fall back.
    shared = s.spotted.of("ambiguous")
    if shared and s.council_id is None:
        return Interpretation(Turn("clarify_council"), choices=spotter.groups[shared[0].id],
                              shared_name=shared[0].surface)

    # 2. What the words ask for.
    intent = classify(s)
    aspect = status_aspect(s) if intent == "council_status" else "deadline" if intent == "deadlines" \
        else "history" if intent == "council_history" else None
    when = s.when
    turn = Turn(
        intent=intent or "",
        council_id=s.council_id,
        region_id=s.region_id,
        person_id=s.person_id,
        grade=s.grade,
        sub_judgement=s.sub_judgement,
        aspect=aspect,
        topic=s.topic,
        days=when.days_ahead(today) if when is not None and intent == "deadlines" and when.end >= today else None,
    )

    # 3. Follow-ups. "and Knowsley?", "what about London?" borrow the previous question ...
    unknown_name = _unknown_name(text, s.spotted)
    if intent is None and s.has_entity and previous is not None:
        turn = _carry_intent(turn, previous)
    elif intent is None and s.has_entity:
        fresh = "council_status" if s.council_id is not None else "council_list" if s.region_id is not None \
            else "broker_person"
        turn = replace(turn, intent=fresh, aspect="overall" if fresh == "council_status" else None)
    # ... and "who's their broker?", "was it inadequate before?" borrow the subject.
    elif intent is not None and not s.has_entity and previous is not None and not mine \
            and unknown_name is None and _leans_on_context(norm, intent, s.pronoun or follow_up):
        turn = _carry_entity(turn, previous, s.pronoun or follow_up)

    # 4. "my region", "our broker": the asker's home, from this conversation or (in the engine)
    # from the directory.
    needs_home = False
    if turn.intent in NEEDS_SUBJECT and mine and turn.council_id is None and turn.region_id is None:
        if context.home_council_id is not None or context.home_region_id is not None:
            turn = replace(turn, council_id=context.home_council_id, region_id=context.home_region_id)
        else:
            needs_home = True

    # 5. Nothing recognised: unclear (domain words), an unknown name, or off-topic.
    if not turn.intent:
        if lx.DOMAIN.search(norm) or s.grade:
            return Interpretation(replace(turn, intent="clarify"), unknown_name=unknown_name)
        if unknown_name and not lx.OUT_OF_DOMAIN_HINT.search(norm):
            return Interpretation(replace(turn, intent="council_status", aspect="overall"), unknown_name=unknown_name)
        return Interpretation(replace(turn, intent="out_of_domain"))

    has_subject = turn.council_id is not None or turn.region_id is not None or turn.person_id is not None
    others = tuple(dict.fromkeys(m.id for m in s.spotted.of("council") if m.id != s.council_id))
    other_regions = tuple(dict.fromkeys(m.id for m in s.spotted.of("region") if m.id != s.region_id))
    if turn.intent == "broker_person" and lx.COUNT.search(norm):
        turn = replace(turn, aspect="count")
    return Interpretation(
        turn,
        when=when,
        wants_contact=bool(lx.CONTACT_DETAILS.search(norm)),
        unknown_name=None if s.has_entity or has_subject else unknown_name,
        needs_home=needs_home,
        more_councils=others[:MAX_EXTRA_COUNCILS] if s.council_id == turn.council_id else (),
        more_regions=other_regions[:MAX_EXTRA_COUNCILS] if s.region_id == turn.region_id else (),
    )


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
    if intent in {"council_list", "council_count", "signup_status", "peer_reviews", "funding", "deadlines"}:
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
    if intent in {"broker", "council_status", "deadlines", "council_history"} and previous.council_id is not None:
        return replace(turn, council_id=previous.council_id, region_id=None)
    if intent in {"broker", "council_list", "council_count", "deadlines", "signup_status", "peer_reviews",
                  "funding"} and previous.region_id is not None:
        return replace(turn, region_id=previous.region_id)
    if intent in {"council_list", "council_count"} and previous.council_id is not None and explicit:
        return turn
    if intent in {"broker", "contacts"} and previous.person_id is not None and explicit:
        return replace(turn, person_id=previous.person_id, intent="broker_person")
    return turn
