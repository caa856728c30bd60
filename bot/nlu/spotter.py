"""Spot council, region and person mentions in free text, forgivingly and fast.

The directory's names and aliases are turned once into an n-gram table; a message is then scanned
longest n-gram first, so "North East Lincolnshire" beats the region "North East" and "East Sussex"
beats "East". Whatever is left is tried fuzzily (rapidfuzz) so "Hertfordshre" and "Knowlsey" still
land, with guards so everyday words ("people", "dealing") never turn into councils.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from bot.services.directory import Directory, Vocabulary
from bot.services.resolver import normalise_name

# "ambiguous": a word several councils share ("kingston", "sussex"); its id indexes `Spotter.groups`.
Kind = Literal["council", "region", "person", "ambiguous"]

MAX_NGRAM = 6

# Informal names the seed aliases do not carry. Keys are normalised; values are council names.
INFORMAL_COUNCIL_NAMES: dict[str, str] = {
    "east riding": "East Riding of Yorkshire",
    "east yorkshire": "East Riding of Yorkshire",
    "ne lincs": "North East Lincolnshire",
    "ne lincolnshire": "North East Lincolnshire",
    "north east lincs": "North East Lincolnshire",
    "nel": "North East Lincolnshire",
    "north lincs": "North Lincolnshire",
    "mk": "Milton Keynes",
    "bcp": "Bournemouth, Christchurch and Poole",
    "cheshire west": "Cheshire West and Chester",
    "cwac": "Cheshire West and Chester",
    "tower hamlet": "Tower Hamlets",
    "bath and north east somerset": "Bath and North East Somerset",
    "bath and ne somerset": "Bath and North East Somerset",
    "the isle of wight": "Isle of Wight",
    "kingston upon hull": "Kingston upon Hull",
    "hull city council": "Kingston upon Hull",
    "westmorland": "Westmorland and Furness",
    "county durham": "County Durham",
    "brum": "Birmingham",
    "west northants": "West Northamptonshire",
    "w northants": "West Northamptonshire",
    "north northants": "North Northamptonshire",
    "n northants": "North Northamptonshire",
    "hants": "Hampshire",
    "derbys": "Derbyshire",
    "lbbd": "Barking and Dagenham",
    "b and d": "Barking and Dagenham",
    "b and h": "Brighton and Hove",
    "e yorks": "East Riding of Yorkshire",
}

# Short forms of the county part of a name: with a direction in front ("S Glos", "N Yorks") they
# name the council whose name is that direction and county.
COUNTY_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "yorkshire": ("yorks",),
    "northamptonshire": ("northants",),
    "bedfordshire": ("beds",),
    "berkshire": ("berks",),
    "lincolnshire": ("lincs",),
    "gloucestershire": ("glos",),
    "somerset": ("som",),
}
DIRECTION_LETTERS = {"north": "n", "south": "s", "east": "e", "west": "w", "central": "c"}

# Short forms of regions the seed aliases do not carry. Keys are normalised; values are region names.
INFORMAL_REGION_NAMES: dict[str, str] = {
    "w mids": "West Midlands",
    "west mids": "West Midlands",
    "w midlands": "West Midlands",
    "e mids": "East Midlands",
    "e midlands": "East Midlands",
    "yorks": "Yorkshire and the Humber",
    "yorks and humber": "Yorkshire and the Humber",
    "yorkshire and humber": "Yorkshire and the Humber",
    "n east": "North East",
    "n west": "North West",
    "s east": "South East",
    "s west": "South West",
}

# Informal names that stand for several councils: asked about, they get a which-one question.
INFORMAL_SHARED_NAMES: dict[str, tuple[str, ...]] = {
    "northants": ("North Northamptonshire", "West Northamptonshire"),
    "berks": ("Bracknell Forest", "Reading", "Slough", "West Berkshire", "Windsor and Maidenhead", "Wokingham"),
    "berkshire": ("Bracknell Forest", "Reading", "Slough", "West Berkshire", "Windsor and Maidenhead", "Wokingham"),
    "beds": ("Bedford", "Central Bedfordshire", "Luton"),
    "bedfordshire": ("Bedford", "Central Bedfordshire", "Luton"),
}

# Words of several councils' names that are never, alone, a name worth asking about.
NOT_SHARED_NAMES = frozenset({"north", "south", "east", "west", "central", "upon", "city", "great"})

# Words that are never part of a name, so n-grams starting or ending with them are not names
# and they are never fuzzily matched. Domain words are here too: "brokers" must not become Bromley.
STOPWORDS: frozenset[str] = frozenset(
    [
        "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "anyone", "are", "as", "ask", "at",
        "be", "been", "before", "being", "both", "but", "by", "can", "could", "covers", "cover", "covering",
        "covered", "current", "currently", "did", "do", "does", "doing", "done", "each", "either", "else", "ever",
        "for", "from", "get", "gets", "getting", "give", "go", "going", "got", "had", "has", "have", "having", "he",
        "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "know",
        "last", "latest", "let", "like", "look", "looks", "looked", "looking", "many", "may", "me", "might", "mine",
        "more", "most", "much", "must", "my", "need", "next", "no", "nope", "not", "now", "of", "off", "on", "once",
        "one", "only", "or", "other", "our", "ours", "out", "over", "please", "previous", "previously", "rated",
        "rating", "say", "see", "she", "should", "show", "so", "some", "still", "such", "tell", "than", "thanks",
        "thank", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "to",
        "too", "under", "up", "us", "very", "was", "we", "were", "what", "whats", "when", "where", "which", "who",
        "whom", "whos", "why", "will", "with", "would", "yes", "you", "your", "yours", "again", "latest", "recent",
        "recently", "currently", "plus", "vs", "versus", "okay", "ok", "hi", "hello", "hey", "council", "councils",
        "authority", "authorities", "la", "las", "local", "region", "regions", "area", "areas", "broker", "brokers",
        "lead", "leads", "leader", "leaders", "leadership", "deadline", "deadlines", "due", "improve", "improvement",
        "improved", "inadequate", "outstanding", "good", "requires", "require", "ri", "failing", "judged",
        "judgement", "judgment", "judgements", "inspection", "inspections", "inspected", "ofsted", "ilacs",
        "published", "publication", "status", "overall", "rating", "grade", "graded", "children", "child", "care",
        "leavers", "help", "protection", "services", "service", "social", "work", "people", "person", "someone",
        "somebody", "contact", "contacts", "email", "phone", "number", "review", "reviews", "peer", "training",
        "booking", "bookings", "book", "general", "queries", "query", "question", "questions", "funding", "fund",
        "money", "signed", "sign", "signup", "agreement", "agreed", "list", "count", "many", "total", "which",
        "number", "week", "weeks", "month", "months", "year", "years", "day", "days", "today", "tomorrow", "date",
        "dates", "time", "months", "intervention", "commissioner", "trust", "doing", "dealing", "feeling", "heading",
        "history", "before", "earlier", "since", "used", "ever", "been", "timeline", "director", "directors", "dcs",
        "cover", "responsible", "looks", "after", "handles", "run", "runs", "covers", "between"
    ]
)

# "reading" is a council (Reading) but also a word; it is still matched exactly as a name, only
# never fuzzily. Single short tokens (<= 4 characters) are only ever matched exactly.
MIN_FUZZY_LENGTH = 5


def fuzzy_cutoff(length: int) -> float:
    """Short spans need a closer match: one typo in "Luton" is a fifth of the word."""
    if length <= 6:
        return 90.0
    return 86.0 if length < 10 else 82.0


@dataclass(frozen=True)
class Mention:
    """One entity found in the text: which, where (token span) and how sure."""

    kind: Kind
    id: int
    start: int
    end: int  # exclusive
    surface: str
    score: float = 100.0

    @property
    def exact(self) -> bool:
        return self.score >= 100.0


@dataclass(frozen=True)
class Spotted:
    tokens: tuple[str, ...]
    mentions: tuple[Mention, ...]
    leftover: tuple[str, ...]  # tokens not in any mention, in order

    def of(self, kind: Kind) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind]


class Spotter:
    """An n-gram table over the directory's vocabulary, rebuilt when the directory changes."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        self._vocabulary: Vocabulary | None = None
        self._table: dict[str, tuple[Kind, int]] = {}
        self._fuzzy_keys: list[str] = []
        self._fuzzy_values: list[tuple[Kind, int]] = []
        self._capital_only: set[str] = set(AMBIGUOUS_WORDS)
        self.groups: list[tuple[int, ...]] = []  # the councils each "ambiguous" mention may mean

    def _ensure(self) -> None:
        vocabulary = self.directory.vocabulary()
        if vocabulary is self._vocabulary or (
            self._vocabulary is not None and vocabulary.councils == self._vocabulary.councils
            and vocabulary.regions == self._vocabulary.regions and vocabulary.people == self._vocabulary.people
        ):
            self._vocabulary = vocabulary
            return
        self._vocabulary = vocabulary
        self._build(vocabulary)

    def _build(self, vocabulary: Vocabulary) -> None:
        """Priority on a shared key: region > council name or alias > person > council stripped."""
        table: dict[str, tuple[Kind, int]] = {}
        for key, council_id in vocabulary.councils_stripped.items():
            if key not in STOPWORDS:
                table[key] = ("council", council_id)
        for key, person_id in vocabulary.people.items():
            table[key] = ("person", person_id)
        for key, council_id in vocabulary.councils.items():
            table[key] = ("council", council_id)
        for short, council_id in derived_aliases(vocabulary.councils):
            table.setdefault(short, ("council", council_id))
        for alias, name in INFORMAL_COUNCIL_NAMES.items():
            found = vocabulary.councils.get(normalise_name(name))
            if found is not None:
                table[alias] = ("council", found)
        for key, region_id in vocabulary.regions.items():
            table[key] = ("region", region_id)
        for short, council_id in directional_short_forms(vocabulary, table):
            table.setdefault(short, ("council", council_id))
        for alias, name in INFORMAL_REGION_NAMES.items():
            found = vocabulary.regions.get(normalise_name(name))
            if found is not None:
                table.setdefault(alias, ("region", found))
        self.groups = []
        for word, councils in shared_names(vocabulary, table).items():
            table[word] = ("ambiguous", len(self.groups))
            self.groups.append(councils)
        # First names ("what about Dave?"), when unique and not a place; typed with a capital only.
        first_names: dict[str, set[int]] = {}
        for key, person_id in vocabulary.people.items():
            if " " in key:
                first_names.setdefault(key.split()[0], set()).add(person_id)
        self._capital_only = set(AMBIGUOUS_WORDS)
        for first, ids in first_names.items():
            if len(ids) == 1 and len(first) >= 3 and first not in table and first not in STOPWORDS:
                table[first] = ("person", next(iter(ids)))
                self._capital_only.add(first)
        self._table = table
        fuzzy = {k: v for k, v in table.items() if len(k) >= MIN_FUZZY_LENGTH and k not in self._capital_only}
        self._fuzzy_keys = list(fuzzy)
        self._fuzzy_values = list(fuzzy.values())

    def spot(self, text: str) -> Spotted:
        self._ensure()
        tokens = tuple(normalise_name(text).split())
        taken = [False] * len(tokens)
        mentions: list[Mention] = []
        lower_case: list[Mention] = []  # "reading", "bury" typed in lower case: names only if alone
        # Longest first; within one length, n-grams starting with "the" go last, so in "has the
        # East Mids" the alias "east mids" wins over "the east".
        for size in range(min(MAX_NGRAM, len(tokens)), 0, -1):
            starts = sorted(range(len(tokens) - size + 1), key=lambda i: (tokens[i] == "the", i))
            for start in starts:
                if any(taken[start : start + size]):
                    continue
                key = " ".join(tokens[start : start + size])
                hit = self._table.get(key)
                if hit is None:
                    continue
                if size == 1 and key in self._capital_only and not _capitalised(text, key):
                    if key in AMBIGUOUS_WORDS and hit[0] == "council":
                        lower_case.append(Mention(hit[0], hit[1], start, start + 1, key))
                    continue
                mentions.append(Mention(hit[0], hit[1], start, start + size, key))
                for i in range(start, start + size):
                    taken[i] = True
        if not any(m.kind in {"council", "region", "ambiguous"} for m in mentions):
            for mention in lower_case:
                if not _used_as_a_word(tokens, mention.start):
                    mentions.append(mention)
                    taken[mention.start] = True
        mentions.extend(self._fuzzy(tokens, taken))
        mentions.sort(key=lambda m: m.start)
        leftover = tuple(t for t, used in zip(tokens, taken, strict=True) if not used)
        return Spotted(tokens=tokens, mentions=tuple(mentions), leftover=leftover)

    def _fuzzy(self, tokens: tuple[str, ...], taken: list[bool]) -> list[Mention]:
        found: list[Mention] = []
        for size in (3, 2, 1):
            for start in range(len(tokens) - size + 1):
                if any(taken[start : start + size]):
                    continue
                words = tokens[start : start + size]
                if words[0] in STOPWORDS or words[-1] in STOPWORDS or any(w.isdigit() for w in words):
                    continue
                if size > 1 and all(w in STOPWORDS for w in words):
                    continue
                query = " ".join(words)
                if len(query) < MIN_FUZZY_LENGTH:
                    continue
                if size == 1 and query in self._capital_only:
                    continue
                cutoff = fuzzy_cutoff(len(query))
                best = process.extractOne(query, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=cutoff)
                if best is None:
                    continue
                key, score, index = best
                if abs(len(key.split()) - size) > 1 or key[0] != query[0]:
                    continue  # a typo rarely hits the first letter: "Wessex" is not Essex
                kind, value = self._fuzzy_values[index]
                found.append(Mention(kind, value, start, start + size, query, score))
                for i in range(start, start + size):
                    taken[i] = True
        return found


# Names that are also everyday words: only taken as names when typed with a capital letter.
AMBIGUOUS_WORDS: frozenset[str] = frozenset({"reading", "east", "bury", "bath", "poole", "stoke", "sutton"})


# After one of these, a lower-case "reading" is the verb ("reading the report"), not the council.
OBJECT_WORDS = frozenset({"the", "a", "an", "this", "that", "these", "those", "it", "them", "my", "our", "your",
                          "his", "her", "their", "about", "up", "through", "into", "over", "back", "all"})


def _used_as_a_word(tokens: tuple[str, ...], index: int) -> bool:
    return index + 1 < len(tokens) and tokens[index + 1] in OBJECT_WORDS


def directional_short_forms(vocabulary: Vocabulary, table: dict[str, tuple[Kind, int]]) -> list[tuple[str, int]]:
    """ "S Glos", "south glos", "N Yorks", "W Northants": a direction (or its letter) and a short form
    of the rest of a council's name, from the rest's own aliases or `COUNTY_SHORT_FORMS`."""
    aliases: dict[int, set[str]] = {}
    for key, (kind, value) in table.items():
        if kind == "council":
            aliases.setdefault(value, set()).add(key)
    by_name = {normalise_name(name): council_id for council_id, name in vocabulary.current_names.items()}
    found: list[tuple[str, int]] = []
    for council_id, name in vocabulary.current_names.items():
        words = normalise_name(name).split()
        if len(words) < 2 or words[0] not in DIRECTION_LETTERS:
            continue
        rest = " ".join(words[1:])
        shorts = {rest, *COUNTY_SHORT_FORMS.get(rest, ())}
        if rest in by_name:
            shorts |= {a for a in aliases.get(by_name[rest], set()) if " " not in a}
        for short in shorts:
            for direction in (words[0], DIRECTION_LETTERS[words[0]]):
                found.append((f"{direction} {short}", council_id))
    return found


def shared_names(vocabulary: Vocabulary, table: dict[str, tuple[Kind, int]]) -> dict[str, tuple[int, ...]]:
    """Words that several current councils' names share and that name nothing on their own
    ("kingston": upon Hull or upon Thames; "sussex": East or West), plus the informal ones."""
    by_word: dict[str, set[int]] = {}
    for council_id, name in vocabulary.current_names.items():
        for word in set(normalise_name(name).split()):
            by_word.setdefault(word, set()).add(council_id)
    shared = {
        word: tuple(sorted(ids, key=lambda i: vocabulary.current_names[i]))
        for word, ids in by_word.items()
        if len(ids) > 1 and len(word) >= 4 and word not in STOPWORDS and word not in NOT_SHARED_NAMES
        and word not in table
    }
    by_name = {normalise_name(name): council_id for council_id, name in vocabulary.current_names.items()}
    for word, names in INFORMAL_SHARED_NAMES.items():
        ids = tuple(by_name[normalise_name(n)] for n in names if normalise_name(n) in by_name)
        if len(ids) > 1:
            shared[word] = ids
    return shared


def _capitalised(text: str, word: str) -> bool:
    return re.search(r"\b" + re.escape(word.capitalize()) + r"\b", text) is not None or word.upper() in text


def derived_aliases(councils: dict[str, int]) -> list[tuple[str, int]]:
    """Short forms people use: the words before "upon", "on", "with" or "and" in a council's name
    ("Newcastle upon Tyne" -> "newcastle", "Telford and Wrekin" -> "telford"), kept only when unique."""
    heads: dict[str, set[int]] = {}
    for key, council_id in councils.items():
        words = key.split()
        for joiner in ("upon", "on", "with", "and"):
            if joiner in words[1:]:
                head = " ".join(words[: words.index(joiner)])
                if head and head not in STOPWORDS and len(head) >= 4:
                    heads.setdefault(head, set()).add(council_id)
                break
    return [(head, next(iter(ids))) for head, ids in heads.items() if len(ids) == 1 and head not in councils]
