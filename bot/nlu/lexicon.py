"""The words that signal each intent, grade, sub-judgement and contact topic.

All patterns run on normalised text (lower case, punctuation dropped, "'s" removed, "&" -> "and"),
so "Who's Knowsley's broker?" is matched as "who knowsley broker". Keeping them in one table makes
the engine's behaviour reviewable: a new phrasing is a new alternative here plus an eval item.
"""

from __future__ import annotations

import re

from bot.domain.judgements import GOOD, INADEQUATE, OUTSTANDING, REQUIRES_IMPROVEMENT


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


HELP = _re(
    r"^(help|help me|\?+|menu|commands?|usage)$|what can (you|i) (do|ask|help)|what (do|can) you (do|know|answer)"
    r"|how (do|does|can) (i|this|it|you) (use|work)|how to use|what are you|who are you|list of commands"
    r"|what commands|what questions can"
)
GREETING = _re(r"^(hi|hello|hey|hiya|morning|good morning|good afternoon|afternoon|evening)( there| bot)?$")
THANKS = _re(
    r"^(many thanks|thanks|thank you|thankyou|thx|cheers|ta|great|brilliant|perfect|lovely|ok|okay|fab|super)"
    r"( (thanks|thank you|cheers|very much|so much|a lot|that is|thats|really|very|great|helpful|useful|brilliant))*$"
    r"|^(many thanks|thanks|thank you|cheers)\b"
)

BROKER = _re(
    r"\bbrokers?\b|\bbrokered\b|who (covers|looks after|is responsible for|supports|handles|leads on|leads for"
    r"|is the lead|is our lead|is lead)|covered by|responsible for|point of contact for"
    r"|who (do|should) (we|i) (talk|speak) to about|\bwhose (patch|area|region|side)\b"
)
PERSON_ABOUT = _re(
    r"\b(what|which) (regions?|areas?|councils?|patch) (does|do|is)\b|\bwho is\b|\bwho\b$|\bwhat does .* (do|cover)"
    r"|\bcover(s|ing)?\b|\bpatch\b|\bregions?\b|\bwhere does\b|\btell me about\b|\bresponsible\b"
)
CONTACT = _re(
    r"\bcontacts?\b|who (do|should|can|could|would) (i|we) (ask|contact|speak|talk|email|call|write|go|apply)"
    r"|who to (ask|contact|speak|talk|email|apply)|\bemail\b|\bphone\b|\bnumber for\b|get in touch|speak to|talk to"
    r"|\bapply\b|\bapplication\b|\bsend\b.*\bto\b|\bwho handles\b|who deals with|who can (help|answer)"
    r"|\bwhere (do|does|should|can) .*\b(go|send|sent)\b|\bwhere to (send|go|ask)\b"
)
CONTACT_DETAILS = _re(
    r"\bemail|\bphone\b|\bnumber\b|\bcontact\b|\bcontact details\b|get in touch|\breach\b|\bcall\b|\bget hold of\b"
)
TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("review_team_training", _re(r"\btrain(ing|er|ers|ed)?\b|\breview team\b|\breviewers?\b")),
    ("peer_review_bookings", _re(r"\bbook(ing|ings|ed)?\b|\breserve\b|\bschedule a\b")),
    ("general_queries", _re(r"\bgeneral\b|\bqueries\b|\bquery\b|\benquir(y|ies)\b|\banything else\b|\bquestions\b")),
    ("peer_challenge", _re(r"\bpeer challenge\b")),
    ("brokerage", _re(r"\bbrokerage\b|\bcommissioning\b")),
    ("peer_reviews", _re(r"\bpeer reviews?\b|\bsafeguarding reviews?\b")),
)
TOPIC_ARGUMENT = {
    "peer_review_bookings": "bookings",
    "review_team_training": "training",
    "general_queries": "general",
    "peer_challenge": "challenge",
    "brokerage": "brokerage",
    "peer_reviews": "reviews",
}

SIGNUP = _re(
    r"\bsign(ed|ing)? ?up\b|\bsignups?\b|\bsigned\b|\bagreement\b|\bagreed\b|\bsign off\b|\bsigned off\b"
    r"|\bon board\b|\bcommitted\b|\bjoined up\b|\bsignatures?\b|\bsignator(y|ies)\b"
)
FUNDING = _re(
    r"\bfund(s|ing|ed)?\b|\bmoney\b|\ballocations?\b|\ballocated\b|\bgrants?\b|\bpot\b|\bbudgets?\b|\blump sum\b"
    r"|how much .*\b(get|gets|receive|allocated|given)\b|\bfinanc"
)
PEER_REVIEWS = _re(
    r"\bpeer reviews?\b|\bsafeguarding reviews?\b|\breviews? (booked|scheduled|coming|planned|due)\b"
    r"|\btraining (events?|dates?|sessions?|venue)\b|\bupcoming reviews?\b"
)
DEADLINE = _re(
    r"\bdeadlines?\b|\bdue\b|\bimprove by\b|\b(have|has|need|needs|got) to improve\b|\btime (left|to improve)\b"
    r"|\bhow long\b|\b(time|days|months|long) (has|have|does|do) .* (left|got)\b|\bgot left\b|\bleft to improve\b"
    r"|\boverdue\b|\bescalat|\bcommissioner\b|\bintervention\b|\brun(s)? out\b|\bexpir|\bcut ?off\b"
    r"|\bsix months\b|\b6 months\b|\bhow many days\b|\bwhen (does|do|must|will) .* (improve|face)\b"
    r"|\bface intervention\b"
)
COUNT = _re(r"\bhow many\b|\bnumber of\b|\bcount\b|\btotal\b|\bhow much of\b")
LIST = _re(
    r"\bwhich\b|\blist\b|\bshow\b|\bname\b|\bwhat (councils|las|authorities|local authorities)\b|\bany\b|\ball\b"
    r"|\bcouncils (are|were|in|judged|rated|with|that)\b|\b(councils|las|authorities)\b"
)
COUNCILISH = _re(r"\b(councils|las|authorities|local authorities|boroughs|counties|unitaries)\b")
STATUS = _re(
    r"\bhow (is|are|was)\b|\bdoing\b|\bstatus\b|\bofsted\b|\bjudg|\brat(ed|ing)\b|\bgrade\b|\binspect|\bpublish"
    r"|\bperform|\boverall\b|\bresult\b|\boutcome\b|\bcard\b|\bsummary\b|\bupdate on\b|\bwhere (is|are) .* at\b"
    r"|\blatest on\b|\bnews\b|\btell me about\b|\bhappening (with|at|in)\b|\bgoing on (with|at|in)\b"
    r"|\bcompar(e|ed|ing|ison)\b|\bside by side\b"
)
HISTORY = _re(
    r"\bbefore\b|\bprevious(ly)?\b|\bever\b|\bhistory\b|\bhistoric|\blast time\b|\bearlier\b|\bin the past\b"
    r"|\bused to\b|\bprior\b|\balways\b|\btrack record\b|\btimeline\b|\bpast judgements?\b|\bagain\b|\bfirst time\b"
)
DATES = _re(
    r"\bwhen (was|were|did|is|it was)\b.*\b(inspect|publish|judg|report|visit|ofsted|rated|graded)"
    r"|\binspection date\b|\bdate of (the )?(last )?inspection\b|\bwhen was it\b|\bpublication date\b"
    r"|\bwhen .* (inspected|published)\b|\blast inspected\b|\binspection dates?\b"
    r"|\bdates?\b.*\b(inspect|publish|report)"
)
NATIONAL = _re(r"\bengland\b|\bnationally\b|\bnational\b|\bacross the country\b|\bcountry\b|\bin total\b")
MINE = _re(r"\b(my|our|we|us|mine)\b")
PRONOUN = _re(r"\b(their|its|it|they|them|there|that council|this council|same|that one|that region|this region"
              r"|the council|the region|his|her)\b")
WHICH_ONES = _re(r"\b(which|list|name|show)( me)? (ones|them|they|those)\b|^(which|who) (are they|ones)\b|^list them\b")
FOLLOW_UP = _re(r"^(and|what about|how about|and what about|same for|now|ok|okay|also|then)\b|\b(too|as well|instead)$")
DOMAIN = _re(
    r"\bcouncils?\b|\bbrokers?\b|\bofsted\b|\bregions?\b|\bdeadlines?\b|\binadequate\b|\boutstanding\b|\bjudg"
    r"|\binspect|\bpeer\b|\bfunding\b|\bsign ?up\b|\bcontacts?\b|\bilacs\b|\bdirector|\bdcs\b|\bintervention\b"
    r"|\bchildren\b|\bcare\b|\bimprove|\blocal authorit|\bla\b|\blas\b|\bescalat|\bcommissioner\b|\bsafeguarding\b"
)

# Grades: the longer phrases first so "requires improvement" is not read as something else.
GRADES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (REQUIRES_IMPROVEMENT, _re(r"\brequires? improvement( to be good)?\b|\bri\b|\bneeds? improvement\b")),
    (INADEQUATE, _re(r"\binadequate\b|\bfailing\b|\bfailed\b|\binadaquate\b|\binadequte\b|\binadeqate\b")),
    (OUTSTANDING, _re(r"\boutstanding\b|\boutstandng\b")),
    (GOOD, _re(r"\bgood\b(?! (morning|afternoon|evening))")),
)

SUB_JUDGEMENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("care_leavers", _re(r"\bcare leavers?\b|\bleaving care\b|\bcare leaver\b")),
    ("children_in_care", _re(r"\bchildren in care\b|\blooked after\b|\bin care\b|\bcla\b|\blac\b")),
    ("help_and_protection", _re(r"\bhelp and protection\b|\bneed help\b|\bprotection\b|\bchild protection\b")),
    ("leaders", _re(r"\bleaders\b|\bleadership\b|\bimpact of leaders\b|\bmanagement\b")),
)

OUT_OF_DOMAIN_HINT = _re(
    r"\bweather\b|\bjoke\b|\bfootball\b|\brecipe\b|\bcapital of\b|\bstock\b|\bbitcoin\b|\btrain times\b|\btime is it\b"
    r"|\bwho won\b|\bmeaning of life\b|\bpizza\b|\bholiday\b|\bsong\b|\bpoem\b|\btranslate\b"
    r"|\b(book|order|buy|get|find) me\b|\btrain to\b|\btaxi\b|\bflights?\b|\bhotel\b|\brestaurant\b|\bcricket\b"
    r"|\bscore\b|\bpassword\b|\blunch\b|\bdinner\b"
)


def grade_in(text: str) -> str | None:
    for grade, pattern in GRADES:
        if pattern.search(text):
            return grade
    return None


def sub_judgement_in(text: str) -> str | None:
    for key, pattern in SUB_JUDGEMENTS:
        if pattern.search(text):
            return key
    return None


def topic_in(text: str) -> str | None:
    for topic, pattern in TOPICS:
        if pattern.search(text):
            return topic
    return None

# Things people ask about councils that the bot does not hold, whatever council they name: the
# answer says so plainly (and what it does hold) rather than showing a status card as if it
# answered. "Children in care" alone is an Ofsted sub-judgement; "how many children in care" is a
# count the bot does not keep.
NOT_HELD: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("the names of directors of children's services",
     _re(r"\bdcs\b|\bdirectors? of child(ren)?s? services\b|\bwho (is|are) (the|their|its) directors?\b"
         r"|\bwho (runs|heads|leads|manages) (the )?child(ren)?s? services\b")),
    ("the names of council leaders, chief executives, mayors or councillors",
     _re(r"\bleader of\b|\bcouncil leaders?\b|\bchief exec|\bceo\b|\bmayors?\b|\bcouncillors?\b"
         r"|\bwho (runs|leads) (the )?council\b|\blead member\b|\bportfolio holder\b|\bcabinet member\b")),
    ("council meeting or committee dates", _re(r"\b(council|cabinet|committee|full council) meetings?\b")),
    ("politicians or elections", _re(r"\bmps?\b|\bmember of parliament\b|\belections?\b|\bconstituenc"
                                     r"|\bprime minister\b|\bministers?\b|\bpoliticians?\b|\bparty\b")),
    ("numbers of children or children in care",
     _re(r"\b(how many|number of|numbers of|count of|figures? for|rate of) (the )?(children|kids|young people"
         r"|looked after|care leavers|cla|lac|child protection)\b|\bchildren in care (figures|numbers|rate)\b")),
    ("staffing figures", _re(r"\b(how many|number of) (social workers|staff|employees|foster carers|foster"
                             r"|adopters|caseworkers)\b|\bemploy(s|ed)?\b|\bcaseloads?\b|\bvacanc|\bagency staff\b"
                             r"|\bfoster carers?\b")),
    ("council tax", _re(r"\bcouncil tax\b|\bbusiness rates\b")),
    ("councils' budgets or spending", _re(r"\b(services|council|councils|their|its|annual) budgets?\b"
                                          r"|\bspend(s|ing)?\b|\bdeficit\b|\boverspend")),
    ("pub or restaurant recommendations", _re(r"\bpubs?\b|\brestaurants?\b|\bbars?\b|\bcafes?\b|\bthings to do\b")),
    ("weather forecasts", _re(r"\bweather\b|\bforecast\b|\braining\b")),
    ("information about schools", _re(r"\bschools?\b|\bgcse|\ba levels?\b|\bexam results\b")),
    ("bin collection days or other local services", _re(r"\bbins?\b|\bbin collection\b|\brubbish\b|\brecycling\b"
                                              r"|\bparking\b|\bpotholes?\b|\blibrary\b|\blibraries\b")),
    ("local statistics such as unemployment, crime or house prices",
     _re(r"\bunemployment\b|\bcrime\b|\bhouse prices?\b|\brents?\b|\bincome\b|\bdeprivation\b|\bwages?\b")),
    ("views on what a place is like to live in",
     _re(r"\bnice place\b|\bplace to live\b|\bgood place\b|\bsafe (place|area)\b|\bworth (living|visiting)\b"
         r"|\bmove to\b")),
)


BUDGET = _re(r"\bbudgets?\b|\bspend(s|ing)?\b")


def not_held_in(text: str) -> str | None:
    """What the question asks for that the bot does not hold ("council tax"), or None."""
    for label, pattern in NOT_HELD:
        if pattern.search(text):
            return label
    return None


# Everyday words a question to the bot is made of that no pattern above spells out. With the
# patterns' own words they tell a lower-case unknown name ("gotham") from an ordinary word.
COMMON_WORDS = frozenset(
    """
    about above across actually after afternoon again against ago ahead also although always among amount another
    answer anything anyway anywhere area around asked asking available away back bad best better between big bit
    both bring brief briefly call came can cannot case cases change changed check checked close come comes coming
    compare compared comparison complete could couple day detail details development different does doing done
    down during
    each early easy either else end enough even evening every everyone everything exactly example fact far fast few
    find fine first following found four friday full further give given giving going gone great group guess happen
    happened happens hard help here high hold hope idea important information instead interested item items keep
    kind knew know known large later least left less level like likely line little live long look lot lots made
    main make makes making matter maybe mean means meant mind minute more morning most move much must name named
    names near need needed needs never new next nice night nothing number numbers often old once open order other
    others otherwise over own part particular past perhaps place places point possible pretty probably problem
    quick quickly quite rather real really reason recent remind right round same saw seem seems sent set several
    short since small soon sorry sort start started state still stuff sure take taken talk team tell thing things
    think third three through thus today together told top towards true try trying turn two type unless until upon
    usual usually want wanted wants way well went whatever whether while whole within without wonder word words
    working works world worse worst write wrong yesterday yet
    """.split()  # noqa: SIM905 (a word list reads better as words)
)


def _pattern_words() -> frozenset[str]:
    words: set[str] = set()
    for value in list(globals().values()):
        patterns = [value] if isinstance(value, re.Pattern) else [
            item[1] for item in value if isinstance(item, tuple) and len(item) == 2
            and isinstance(item[1], re.Pattern)
        ] if isinstance(value, tuple) else []
        for pattern in patterns:
            found = re.findall(r"[a-z]{3,}", re.sub(r"\\[a-zA-Z]", " ", pattern.pattern))
            words.update(found)
            # "demonstrators?" also spells "demonstrator": the singular of an optional plural.
            words.update(word[:-1] for word in found if word.endswith("s") and len(word) > 4)
    return frozenset(words)


# --- the record since 2009 and the source documents -----------------------------------------
# Answered by bot/nlu/history_answers.py ("council_history") and bot/nlu/document_answers.py
# ("source_fact", "programme", "reported_intervention"); `record_question` is checked before the
# other intents because these questions share words with them ("peer review", "funding",
# "commissioner", "judged").
HISTORY_COUNT = _re(r"\bhow many times\b|\bhow often\b|\bnumber of times\b")
HISTORY_CAME_OUT = _re(
    r"\b(come|came|coming|comes|got|get|gotten|getting|climb|climbed|move|moved|moving|taken|been) out of\b"
    r"|\bout of (inadequate|special measures|intervention)\b|\bno longer inadequate\b|\bexit(ed)? inadequate\b"
    r"|\brecover(ed)? from inadequate\b|\bimproved (from|since|after) (being )?inadequate\b"
)
HISTORY_LAST = _re(
    r"\blast\b.*\b(inadequate|outstanding|good|requires improvement|failing|ri)\b"
    r"|\blast (time )?(judged|rated|graded)\b"
)
HISTORY_EVER = _re(
    r"\bever\b|\bbefore\b|\bpreviously\b|\bprevious\b|\bin the past\b|\bhistory\b|\bhistoric|\btrack record\b"
    r"|\bat any (point|time)\b|\bpast (judgements?|inspections?|ratings?)\b|\bsince 2009\b"
    r"|\b(earlier|previous|past|old|older) (judgements?|inspections?|grades?|ratings?|results?|reports?)\b"
)
YEAR = _re(r"\b(20[0-2]\d)\b")
HISTORY_YEAR_WORDS = _re(
    r"\b(get|got|gets|rated|rating|judged|judgement|judgment|graded|grade|ofsted|inspection|inspected|result"
    r"|outcome|score|scored|receive|received)\b"
)
OTHER_SUBJECTS = _re(
    r"\bbrokers?\b|\bdeadlines?\b|\bdue\b|\boverdue\b|\bescalat|\bcontacts?\b|\bsign(ed|ing)? ?up\b"
    r"|\bfunding\b|\bpeer (reviews?|challenge)\b|\btraining\b"
)
PAST_INTERVENTION = _re(r"\bcommissioners?\b|\btrusts?\b")
LADDER_NOW = _re(r"\bdeadlines?\b|\bdue\b|\boverdue\b|\bescalat|\bstage\b|\bnext step\b|\bhow long\b")
PROGRAMMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Partners in Practice", _re(r"\bpartners? in practice\b|\bpip\b")),
    ("Development demonstrator", _re(r"\bdemonstrators?\b|\bdemonstration sites?\b")),
)
PEER_REVIEW_WORDS = _re(r"\bpeer reviews?\b|\bsafeguarding reviews?\b|\breviews?\b")
CHARGE = _re(r"\bcharges?\b|\bcharged\b|\bcosts?\b|\bpay\b|\bpaid\b|\bfees?\b|\bprice\b|\bfree\b|\bhow much is\b")
SCHEDULED_2011 = _re(r"\b(2011|2011 12|2011 2012|11 12)\b.*\b(scheduled|booked|planned)\b"
                     r"|\b(scheduled|booked|planned)\b.*\b(2011|2011 12|2011 2012|11 12)\b|\bbulletin\b.*\bscheduled\b")
TRAINING_WHEN_WHERE = _re(r"\b(when|where|date|dates|venue|held|location)\b")
TRAINING = _re(r"\btrain(ing)?\b")
ASKS_WHO = _re(r"\bwho\b|\bapply\b|\bapplication\b|\bcontact\b|\bemail\b|\bphone\b|\bbook\b")
FORMULA = _re(
    r"\bsplit\b|\bformula\b|\bdivided\b|\bdistribut|\bshared out\b|\bworked out\b|\bcalculated\b|\bbasis\b"
    r"|\bhow (is|was|are|were) .* (allocated|shared|decided)\b"
)
POT = _re(r"\b2 25 ?m\b|\b2 25 million\b|\bpot\b|\bmoney\b|\bfund(s|ing)?\b|\ballocations?\b")


def record_question(norm: str) -> str | None:
    """The intent of a question about the record since 2009 or about the source documents, or
    None. `norm` is the normalised text (see the module docstring)."""
    if document_topic(norm) is not None:
        return "source_fact"
    if programme_in(norm) is not None:
        return "programme"
    if PAST_INTERVENTION.search(norm) and not LADDER_NOW.search(norm):
        return "reported_intervention"
    if history_question(norm) is not None:
        return "council_history"
    return None


def document_topic(norm: str) -> str | None:
    """Which bulletin 7 fact a question asks for (storage/data/documents/bulletin_facts.csv)."""
    if PEER_REVIEW_WORDS.search(norm) and CHARGE.search(norm):
        return "peer_review_charge"
    if PEER_REVIEW_WORDS.search(norm) and SCHEDULED_2011.search(norm):
        return "peer_reviews_scheduled"
    if TRAINING.search(norm) and TRAINING_WHEN_WHERE.search(norm) and not ASKS_WHO.search(norm):
        return "review_team_training"
    if FORMULA.search(norm) and POT.search(norm):
        return "funding_formula"
    return None


def programme_in(norm: str) -> str | None:
    for programme, pattern in PROGRAMMES:
        if pattern.search(norm):
            return programme
    return None


def history_question(norm: str) -> str | None:
    """What a question about a council's record asks: "count", "came_out", "last", "year" or
    "ever"; None when it is not about the record."""
    grade = grade_in(norm)
    if COUNCILISH.search(norm) or OTHER_SUBJECTS.search(norm):  # lists of councils; brokers, deadlines...
        return None
    if HISTORY_COUNT.search(norm) and grade:
        return "count"
    if HISTORY_CAME_OUT.search(norm):
        return "came_out"
    if HISTORY_LAST.search(norm) and grade:
        return "last"
    if YEAR.search(norm) and HISTORY_YEAR_WORDS.search(norm) and not DEADLINE.search(norm):
        return "year"
    if HISTORY_EVER.search(norm):
        return "ever" if grade else "record"
    return None


# Last, so every pattern above (the record and documents ones too) lends its words.
KNOWN_WORDS = COMMON_WORDS | _pattern_words()
# Pattern words that are stems ("escalat", "inspect", "judg"): a word starting with one is known.
KNOWN_STEMS = tuple(sorted(word for word in _pattern_words() if len(word) >= 5))


def is_known_word(word: str) -> bool:
    """True for a word the bot's questions are made of (not a name), with simple plurals and
    verb endings: "councils", "inspected", "covering"."""
    if word in KNOWN_WORDS:
        return True
    for suffix in ("s", "es", "ed", "d", "ing", "ly"):
        if word.endswith(suffix) and word[: -len(suffix)] in KNOWN_WORDS:
            return True
    return word.startswith(KNOWN_STEMS)
