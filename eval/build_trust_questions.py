"""Write eval/trust_questions.jsonl: questions a director might type, with expected answers
computed from the official files (see trust_facts.py), never typed in by hand.

The templates and the informal names ("brum", "herts", "the wirral") are written here; every
expected fact (grade, date, broker, deadline, verdict, count, candidates) is derived by script.
Randomness (which council goes with which template) uses a fixed seed, so the file is stable.

Run: .venv/bin/python eval/build_trust_questions.py
Each line: {"id", "category", "sequence", "question", "expect"}; see score_trust.py for the checks.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trust_facts import (
    INADEQUATE,
    Council,
    Facts,
    date_forms,
    deadline_after,
    grade_phrase,
    seed_text,
)

OUT = Path(__file__).resolve().parent / "trust_questions.jsonl"
SEED = 20261124

# What an honest "I don't hold that" / "I don't know X" may say.
NOT_HELD = ["don't hold", "do not hold", "don't have", "do not have", "doesn't hold", "not something I hold",
            "not held", "don't keep", "do not keep", "no data", "outside what I", "can't tell you",
            "cannot tell you", "not in my data", "isn't something I", "don't record", "do not record"]
DONT_KNOW = ["don't know", "do not know", "no council called", "not a council I know", "couldn't find",
             "could not find", "can't find", "no council matches", "not recognise", "don't recognise"]
NO_EARLIER = ["no record", "no earlier", "no inspection", "no judgement", "did not exist", "didn't exist",
              "created", "formed", "came into being", "new council", "records start", "records begin",
              "before it existed", "reorganis", "only since"]

# Informal, short, lower-case and misspelt names a broker types -> the council's DfE name.
INFORMAL = {
    "reading": "Reading", "stoke": "Stoke-on-Trent", "brum": "Birmingham", "bucks": "Buckinghamshire",
    "herts": "Hertfordshire", "notts": "Nottinghamshire", "lincs": "Lincolnshire", "the wirral": "Wirral",
    "hull": "Kingston upon Hull, City of", "durham": "County Durham", "telford": "Telford and Wrekin",
    "b&nes": "Bath and North East Somerset", "st helens": "St. Helens", "lancs": "Lancashire",
    "cambs": "Cambridgeshire", "glos": "Gloucestershire", "leics": "Leicestershire", "oxon": "Oxfordshire",
    "wilts": "Wiltshire", "worcs": "Worcestershire", "warks": "Warwickshire", "staffs": "Staffordshire",
    "bristol": "Bristol, City of", "brighton": "Brighton and Hove", "southend": "Southend-on-Sea",
    "newcastle": "Newcastle upon Tyne", "redcar": "Redcar and Cleveland", "stockton": "Stockton-on-Tees",
    "iow": "Isle of Wight", "central beds": "Central Bedfordshire", "west northants": "West Northamptonshire",
    "blackburn": "Blackburn with Darwen", "rbkc": "Kensington and Chelsea", "h&f": "Hammersmith and Fulham",
    "east riding": "East Riding of Yorkshire", "mk": "Milton Keynes", "knowsley": "Knowsley",
    "harrow": "Harrow", "halton": "Halton", "sefton": "Sefton", "leeds": "Leeds", "bradford": "Bradford",
    "hertfordshre": "Hertfordshire", "knowlsey": "Knowsley", "birmingam": "Birmingham",
    "liverpol": "Liverpool", "northumberlnd": "Northumberland", "middlesborough": "Middlesbrough",
    "peterbrough": "Peterborough", "sheffeild": "Sheffield", "wolverhampon": "Wolverhampton",
    "glocestershire": "Gloucestershire", "darlinton": "Darlington", "cornwal": "Cornwall",
    "manchester": "Manchester", "sandwell": "Sandwell", "walsall": "Walsall", "devon": "Devon",
}
# Region short forms -> the region as local_authorities.csv spells it.
REGION_SHORT = {
    "W Mids": "West Midlands", "Y&H": "Yorkshire and The Humber", "NE": "North East", "eastern": "East of England",
    "the NW": "North West", "SW": "South West", "East Mids": "East Midlands", "the south east": "South East",
    "london": "London", "yorkshire": "Yorkshire and The Humber", "WM": "West Midlands", "EoE": "East of England",
}
AMBIGUOUS = {"kingston": "kingston", "tyneside": "tyneside", "sussex": "sussex", "cheshire": "cheshire",
             "northants": "northamptonshire"}
UNKNOWN = ["Gotham", "Narnia", "Borsetshire", "Ambridge", "Wessex", "Middlemarch", "Casterbridge", "Trumpton",
           "Midsomer", "Barchester", "Llareggub", "Melchester"]

STATUS_T = ["how is {n} doing?", "how's {n} getting on", "{n} ofsted?", "status of {n}", "what's {n}'s rating?",
            "whats the latest on {n}", "{n}"]
BROKER_T = ["who is the broker for {n}?", "who covers {n}", "{n} broker?", "who's the lead broker for {n}",
            "broker {n}"]
DEADLINE_T = ["when does {n} have to improve by?", "{n} deadline", "what's the deadline for {n}?"]
OOD_T = ["who is the DCS in {n}?", "how many children in care in {n}?", "how much is council tax in {n}?",
         "what's the best pub in {n}", "what's the weather like in {n} today?", "which is the best school in {n}?",
         "who is the leader of {n} council?", "when is bin collection in {n}?",
         "how many social workers does {n} employ?", "what is {n}'s children's services budget?",
         "who is the chief executive of {n}?", "how many foster carers are there in {n}?",
         "who is the MP for {n}?", "what's the unemployment rate in {n}?", "is {n} a nice place to live?"]


class Builder:
    def __init__(self) -> None:
        self.facts = Facts()
        self.rng = random.Random(SEED)
        self.items: list[dict[str, Any]] = []
        self.sequences = 0

    # --- expectations ---------------------------------------------------------------------

    def names(self, council: Council) -> list[str]:
        return sorted(council.forms | {council.display})

    def status_expect(self, council: Council) -> dict[str, Any]:
        latest = council.latest
        assert latest is not None
        return {"council_code": council.dfe, "ok": True,
                "must_contain": [grade_phrase(latest.overall), date_forms(latest.published)]}

    def broker_expect(self, council: Council) -> dict[str, Any]:
        return {"council_code": council.dfe, "must_contain": [self.facts.broker_of_region(council.region)]}

    def deadline_expect(self, council: Council) -> dict[str, Any]:
        latest = council.latest
        assert latest is not None
        if latest.overall == INADEQUATE:
            return {"council_code": council.dfe, "must_contain": [date_forms(deadline_after(latest.published))]}
        return {"council_code": council.dfe, "must_contain": [grade_phrase(latest.overall)],
                "must_not_contain": ["overdue"]}

    def add(self, category: str, question: str, expect: dict[str, Any], sequence: str | None = None) -> None:
        self.items.append({"id": f"t{len(self.items) + 1:03d}", "category": category, "sequence": sequence,
                           "question": question, "expect": expect})

    def add_sequence(self, turns: list[tuple[str, dict[str, Any]]]) -> None:
        """Lines sharing one conversation. Each follow-up must not name the council of the turn
        before it unless it is the same council."""
        self.sequences += 1
        sid = f"s{self.sequences:02d}"
        previous: list[str] = []
        for question, expect in turns:
            expect = dict(expect)
            current = expect.get("council_code")
            ban = [code for code in previous if code != current]
            if ban:
                expect["not_council_codes"] = ban
            self.add("followup", question, expect, sid)
            previous = [current] if current else list(expect.get("council_codes", [])) or previous

    # --- categories -----------------------------------------------------------------------

    def resolve_names(self) -> None:
        """Item 1: lower case, informal, short and misspelt names; regions in short forms."""
        f = self.facts
        for index, (typed, official) in enumerate(INFORMAL.items()):
            council = f.council(official)
            kind = index % 3
            if kind == 0:
                template = self.rng.choice(STATUS_T)
                self.add("names", template.format(n=typed), self.status_expect(council))
            elif kind == 1:
                self.add("names", self.rng.choice(BROKER_T).format(n=typed), self.broker_expect(council))
            else:
                latest = council.latest
                assert latest is not None
                if latest.overall == INADEQUATE:
                    self.add("names", self.rng.choice(DEADLINE_T).format(n=typed), self.deadline_expect(council))
                else:
                    verdict = "No"
                    self.add("names", f"is {typed} inadequate?",
                             {**self.status_expect(council), "first_word": verdict})
        inadequate_now = [c for c in f.councils.values() if c.latest and c.latest.overall == INADEQUATE]
        for council in sorted(inadequate_now, key=lambda c: c.display)[:6]:
            self.add("names", f"is {council.display.lower()} inadequate?",
                     {**self.status_expect(council), "first_word": "Yes"})
        for short, region in REGION_SHORT.items():
            broker = f.broker_of_region(region)
            self.add("names", f"{short} lead broker", {"must_contain": [broker], "no_card": True})
        for short in ["W Mids", "NE", "Y&H", "eastern", "the NW", "SW"]:
            region = REGION_SHORT[short]
            bad = [c for c in f.in_region(region) if c.latest and c.latest.overall == INADEQUATE]
            expect: dict[str, Any] = {"no_card": True, "must_contain": [["0", "no councils", "none"]]}
            if bad:
                expect["must_contain"] = [self.names(c) for c in bad]
            self.add("names", f"which councils in {short} are inadequate?", expect)
        for short in ["NE", "Y&H", "W Mids", "eastern"]:
            region = REGION_SHORT[short]
            self.add("names", f"how many councils are in {short}?",
                     {"must_contain": [str(len(f.in_region(region)))], "no_card": True})

    def ambiguous_and_unknown(self) -> None:
        """Item 1: which-one questions for ambiguous names, "I don't know X" for unknown ones."""
        f = self.facts
        templates = ["how's {n} doing?", "who is the broker for {n}?", "{n} ofsted rating", "is {n} inadequate?"]
        for typed, stem in AMBIGUOUS.items():
            candidates = [c for c in f.councils.values() if re.search(rf"\b{stem}\b", c.name, re.I)]
            assert len(candidates) >= 2, typed
            for template in self.rng.sample(templates, 3):
                self.add("ambiguous", template.format(n=typed),
                         {"must_contain": [self.names(c) for c in candidates], "no_card": True})
        for index, name in enumerate(UNKNOWN):
            template = ["how is {n} doing?", "who is the broker for {n}?", "is {n} inadequate?",
                        "{n} deadline"][index % 4]
            typed = name if index % 3 else name.lower()
            self.add("ambiguous", template.format(n=typed),
                     {"must_contain": [name, DONT_KNOW], "no_card": True})

    def follow_ups(self) -> None:
        """Item 1: sequences that switch council; the typed name always wins over context."""
        f = self.facts
        pool = [c for c in f.councils.values() if c.latest is not None]
        by_region: dict[str, list[Council]] = {}
        for council in pool:
            by_region.setdefault(council.region, []).append(council)

        def other_region(a: Council) -> Council:
            return self.rng.choice([c for c in pool if c.region != a.region])

        informal = list(INFORMAL.items())
        self.rng.shuffle(informal)
        pairs = iter(informal)
        for _ in range(8):  # status A, then the broker of an informally named B
            a = self.rng.choice(pool)
            typed, official = next(pairs)
            b = f.council(official)
            if b.region == a.region:
                a = other_region(b)
            self.add_sequence([(f"how is {a.display} doing?", self.status_expect(a)),
                               (f"who is the broker for {typed}?", self.broker_expect(b)),
                               ("and when were they last inspected?", {"council_code": b.dfe})])
        for _ in range(5):  # bare follow-up "and B?" keeps the question, changes the council
            a = self.rng.choice(pool)
            typed, official = next(pairs)
            b = f.council(official)
            self.add_sequence([(f"who is the lead broker for {a.display}?", self.broker_expect(a)),
                               (f"and {typed}?", self.broker_expect(b)),
                               (f"how is {a.display.lower()} doing?", self.status_expect(a))])
        telford = f.council("Telford and Wrekin")
        for typed, stem in [("kingston", "kingston"), ("tyneside", "tyneside"), ("sussex", "sussex")]:
            a = telford if typed == "kingston" else self.rng.choice(pool)
            candidates = [c for c in f.councils.values() if re.search(rf"\b{stem}\b", c.name, re.I)]
            self.add_sequence([(f"how is {a.display} doing?", self.status_expect(a)),
                               (f"how's {typed} doing?", {"must_contain": [self.names(c) for c in candidates],
                                                          "no_card": True,
                                                          "must_not_contain": [a.display]})])
        for name in ["Gotham", "Borsetshire"]:
            a = self.rng.choice(pool)
            self.add_sequence([(f"how is {a.display} doing?", self.status_expect(a)),
                               (f"and {name}?", {"must_contain": [name, DONT_KNOW], "no_card": True,
                                                 "must_not_contain": [a.display]})])
        for command in ["/council Harrow", "council Knowsley", "/council St Helens", "council hull"]:
            council = f.council({"hull": "Kingston upon Hull, City of", "St Helens": "St. Helens"}.get(
                command.split(" ", 1)[1], command.split(" ", 1)[1]))
            self.add_sequence([(command, self.status_expect(council)),
                               ("who's the broker?", self.broker_expect(council)),
                               ("when's their deadline?", self.deadline_expect(council))])
        stable = self.stable_councils()
        for _ in range(3):  # an out-of-domain question about B between two about A
            a, b = self.rng.choice(pool), self.rng.choice(stable)
            while b is a:
                b = self.rng.choice(stable)
            self.add_sequence([(f"how is {a.display} doing?", self.status_expect(a)),
                               (f"how many children in care in {b.display}?",
                                {"no_card": True, "must_contain": [NOT_HELD], "must_not_contain": [a.display]}),
                               (f"and was {b.display} ever inadequate?", self.history_ever(b)[1])])
        self.add_sequence([("W Mids lead broker", {"must_contain": [f.broker_of_region("West Midlands")]}),
                           ("and eastern?", {"must_contain": [f.broker_of_region("East of England")],
                                             "must_not_contain": [f.broker_of_region("West Midlands")]})])
        hull, leeds, reading = (f.council(n) for n in ("Kingston upon Hull, City of", "Leeds", "Reading"))
        self.add_sequence([("how is Hull doing?", self.status_expect(hull)),
                           ("who is the broker for reading?", self.broker_expect(reading)),
                           ("compare Hull and Leeds", self.compare_expect([hull, leeds]))])

    def out_of_domain(self) -> None:
        """Item 2: real councils, questions the bot holds no data for: honest, never a card."""
        pool = sorted(self.facts.councils.values(), key=lambda c: c.dfe)
        for template in OOD_T:
            for council in self.rng.sample(pool, 2):
                name = council.display if self.rng.random() < 0.6 else council.display.lower()
                self.add("out_of_domain", template.format(n=name), {"must_contain": [NOT_HELD], "no_card": True})

    def history_ever(self, council: Council) -> tuple[str, dict[str, Any]]:
        events = council.inadequate_events()
        if events:
            return "Yes", {"council_code": council.dfe, "first_word": "Yes",
                           "must_contain": [[str(d.year) for d in events]]}
        return "No", {"council_code": council.dfe, "first_word": "No"}

    def history(self) -> None:
        """Item 3: the inspection history since 2009, verdict first. Councils are chosen where the
        verdict is the same whether or not the 2009-13 partial frameworks count, so that every
        expected answer is beyond argument."""
        f = self.facts
        stable = self.stable_councils()
        ever_yes = [c for c in stable if c.inadequate_events()]
        ever_no = [c for c in stable if not c.inadequate_events()]
        birmingham = f.council("Birmingham")
        self.add("history", "was Birmingham ever inadequate?", self.history_ever(birmingham)[1])
        for council in self.rng.sample(ever_yes, 8) + self.rng.sample(ever_no, 6):
            form = self.rng.choice(["was {n} ever inadequate?", "has {n} ever been judged inadequate?",
                                    "has {n} ever been rated inadequate by ofsted"])
            self.add("history", form.format(n=council.display), self.history_ever(council)[1])
        # "When was X last inadequate" (the year of the latest inadequate judgement).
        for council in [f.council("Luton"), *self.rng.sample(ever_yes, 7)]:
            last = council.inadequate_events()[-1]
            self.add("history", f"when was {council.display} last inadequate?",
                     {"council_code": council.dfe, "must_contain": [str(last.year)], "first_word_not": ["No"]})
        for council in self.rng.sample(ever_no, 3):
            self.add("history", f"when was {council.display} last judged inadequate?",
                     {"council_code": council.dfe, "first_word_not": ["Yes"],
                      "must_contain": [["never", "not been", "has not", "hasn't", "no inadequate", "not judged",
                                        "was not", "wasn't", "no record", "none"]]})
        # "Did X come out of inadequate": yes when the latest judgement is better than an earlier
        # inadequate one; no when it is inadequate now and has been since its first inadequate.
        came_out = [c for c in ever_yes if c.latest and c.latest.overall != INADEQUATE]
        still = [c for c in f.councils.values() if c.latest and c.latest.overall == INADEQUATE
                 and all(j.overall == INADEQUATE for j in c.history if j.published >= c.inadequate_events()[0])]
        st_helens = f.council("St. Helens")
        self.add("history", "did St Helens come out of inadequate?",
                 {"council_code": st_helens.dfe, "first_word": "Yes"})
        for council in self.rng.sample([c for c in came_out if c is not st_helens], 5):
            self.add("history", f"did {council.display} come out of inadequate?",
                     {"council_code": council.dfe, "first_word": "Yes"})
        for council in sorted(still, key=lambda c: c.dfe)[:4]:
            self.add("history", f"has {council.display} come out of inadequate?",
                     {"council_code": council.dfe, "first_word": "No"})
        # "What did X get in YEAR": years with exactly one inspection event.
        newham = f.council("Newham")
        self.add("history", "what did Newham get in 2019", self.year_expect(newham, 2019))
        candidates: list[tuple[Council, int]] = []
        for council in stable:
            years: dict[int, set[Any]] = {}
            for j in council.history:
                years.setdefault(j.published.year, set()).add(j.published)
            candidates += [(council, y) for y, days in years.items() if len(days) == 1 and y < 2018]
        candidates.sort(key=lambda pair: (pair[0].dfe, pair[1]))
        old_scale = [p for p in candidates if p[1] <= 2012 and any(
            j.overall == "Adequate" for j in p[0].history if j.published.year == p[1])]
        sif = [p for p in candidates if p[1] in (2014, 2015, 2016, 2017)]
        for council, year in self.rng.sample(sif, 8) + self.rng.sample(old_scale, 4):
            form = self.rng.choice(["what did {n} get in {y}?", "what was {n} rated in {y}",
                                    "{n} ofsted judgement {y}"])
            self.add("history", form.format(n=council.display, y=year), self.year_expect(council, year))
        # "How many times": distinct inadequate inspections.
        for council in self.rng.sample(ever_yes, 6):
            events = council.inadequate_events()
            words = {1: ["once", "one"], 2: ["twice", "two"], 3: ["three"], 4: ["four"], 5: ["five"]}
            self.add("history", f"how many times has {council.display} been judged inadequate?",
                     {"council_code": council.dfe,
                      "must_contain": [[str(len(events)), *words.get(len(events), [])],
                                       *[str(year) for year in sorted({d.year for d in events})]]})
        # Reorganised councils with no rows before they existed: honest, not "never".
        for council in sorted(f.councils.values(), key=lambda c: c.dfe):
            if council.first_year > 2012 and not any(j.published.year < 2018 for j in council.history):
                expect: dict[str, Any] = {"council_code": council.dfe,
                                          "must_contain": [NO_EARLIER, str(council.first_year)]}
                bad_years = sorted({d.year for d in council.inadequate_events()})
                if bad_years:  # judged inadequate since it was created: still a plain "Yes"
                    expect["first_word"] = "Yes"
                    expect["must_contain"] += [str(y) for y in bad_years]
                self.add("history", f"was {council.display} ever inadequate?", expect)

    def stable_councils(self) -> list[Council]:
        """Councils with rows before 2018 whose inadequate judgements are the same whether or not
        the partial 2009-13 frameworks (looked-after, child protection) count."""
        stable = [c for c in self.facts.councils.values() if c.has_old_row and c.history[0].published.year < 2018
                  and c.inadequate_events() == c.inadequate_events(strict=True)]
        return sorted(stable, key=lambda c: c.dfe)

    def year_expect(self, council: Council, year: int) -> dict[str, Any]:
        grades = sorted({grade_phrase(j.overall) for j in council.history if j.published.year == year})
        return {"council_code": council.dfe, "must_contain": [*grades, str(year)], "first_word_not": ["No"]}

    def documents(self) -> None:
        """Item 4: bulletin 7, the intervention history and programme memberships, from the seeds."""
        f = self.facts
        bulletin = seed_text("004")
        assert "no charge to individual councils" in bulletin
        scheduled = re.search(r"(\d+) reviews have been scheduled so far in (\d\d)/(\d\d)", bulletin)
        training = re.search(r"date currently available is (\w+) (\d+)/(\d+)\. The events take place at ([\w ]+)\.",
                             bulletin)
        pot = re.search(r"total of (£[\d.]+m) has been allocated", bulletin)
        assert scheduled and training and pot
        month, d1, d2, venue = training.groups()
        free = ["no charge", "free", "not charged", "no cost"]
        self.add("documents", "is there a charge for a safeguarding peer review?",
                 {"must_contain": [free], "first_word": "No"})
        self.add("documents", "do councils have to pay for peer reviews?", {"must_contain": [free]})
        self.add("documents", "how much does a peer review cost", {"must_contain": [free]})
        self.add("documents", f"how many peer reviews were scheduled in 20{scheduled.group(2)}/{scheduled.group(3)}?",
                 {"must_contain": [scheduled.group(1)]})
        self.add("documents", "how many safeguarding peer reviews have been scheduled so far in 11/12",
                 {"must_contain": [scheduled.group(1)]})
        dates = [f"{d1}/{d2} {month}", f"{d1} and {d2} {month}", f"{d1}-{d2} {month}", f"{month} {d1}/{d2}",
                 f"{d1} {month}"]
        self.add("documents", "when is the review team training?", {"must_contain": [dates]})
        self.add("documents", "where is the review-team training held?", {"must_contain": [venue]})
        self.add("documents", "when and where is peer review training", {"must_contain": [dates, venue]})
        formula = [["lump sum", "flat rate"], ["50%", "half"], ["0-19", "0 to 19", "aged 0", "young people"]]
        self.add("documents", f"how is the {pot.group(1)} split?", {"must_contain": formula})
        self.add("documents", "how is the regional funding worked out?", {"must_contain": formula})
        millions = float(pot.group(1).strip("£m"))
        self.add("documents", "how much money was allocated to regions this year?",
                 {"must_contain": [[pot.group(1), f"£{millions:g} million", f"£{round(millions * 1e6):,}"]]})
        # Interventions (seed 002): dated past events on each council's timeline.
        cyp = seed_text("002")
        events = dict(re.findall(r"• (\w+) – (children’s [^\n]+)", cyp))
        assert {"Birmingham", "Doncaster", "Norfolk", "Sandwell"} <= set(events), events
        for name, wording in [("Birmingham", "when did Birmingham get a commissioner?"),
                              ("Doncaster", "when did the Doncaster children's trust start?"),
                              ("Norfolk", "when was a commissioner appointed in norfolk?"),
                              ("Birmingham", "has brum had a children's commissioner?")]:
            council = f.council(name)
            when = re.search(r"(January|February|March|April|May|June|July|August|September|October|November"
                             r"|December) (\d{4})", events[name])
            expect: dict[str, Any] = {"council_code": council.dfe,
                                      "must_contain": [["commissioner", "trust"]]}
            if when:
                expect["must_contain"].append(f"{when.group(1)} {when.group(2)}")
            if wording.startswith("has"):
                expect["first_word"] = "Yes"
            self.add("documents", wording, expect)
        self.add("documents", "has Sandwell had a commissioner?",
                 {"council_code": f.council("Sandwell").dfe, "first_word": "Yes", "must_contain": ["commissioner"]})
        for name in re.findall(r"developed in (\w+) and (\w+), with (\w+) due to follow", cyp)[0]:
            council = f.council(name)
            self.add("documents", f"does {name} have a children's services trust?",
                     {"council_code": council.dfe, "must_contain": ["trust"]})
        # Programmes: Partners in Practice (seed 002) and development demonstrators (seed 000).
        pip_text = re.search(r"exemplars are (.+?)\.\n", cyp, re.S)
        assert pip_text
        pip = self.programme_councils(pip_text.group(1))
        self.add("documents", "which councils are partners in practice?",
                 {"must_contain": [self.names(c) for c in pip]})
        for council in pip[:3]:
            self.add("documents", f"is {council.display} a partner in practice?",
                     {"council_code": council.dfe, "first_word": "Yes"})
        outsider = next(c for c in sorted(f.councils.values(), key=lambda c: c.dfe) if c not in pip
                        and c.latest and c.latest.overall == INADEQUATE)
        self.add("documents", f"is {outsider.display} a partners in practice council?",
                 {"council_code": outsider.dfe, "first_word": "No"})
        demo_text = seed_text("000")
        demo = [f.council(n) for n in ("Barnet", "Cheshire West and Chester", "Hampshire", "Stoke-on-Trent",
                                       "Lincolnshire") if n.split()[0] in demo_text]
        self.add("documents", "which councils were development demonstrator sites?",
                 {"must_contain": [self.names(c) for c in demo]})
        self.add("documents", "was Barnet a development demonstrator?",
                 {"council_code": f.council("Barnet").dfe, "first_word": "Yes"})

    def programme_councils(self, text: str) -> list[Council]:
        """Councils named in the seed's sentence ("Tri-borough (Westminster, ...), Richmond and
        Kingston, Leeds and Durham"); in that sentence Kingston and Richmond are the London ones."""
        local = {"Kingston": "Kingston upon Thames", "Richmond": "Richmond upon Thames", "Durham": "County Durham",
                 "Hammersmith & Fulham": "Hammersmith and Fulham"}
        parts = re.split(r",\s*|\s+and\s+(?!Chelsea|Fulham)|\(|\)", text.replace("\n", " "))
        found: list[Council] = []
        for part in parts:
            part = part.strip().removeprefix("and ").strip()
            if not part or part == "Tri-borough":
                continue
            council = self.facts.council(local.get(part, part))
            if council not in found:
                found.append(council)
        return found

    def compare_expect(self, councils: list[Council]) -> dict[str, Any]:
        must: list[Any] = []
        for council in councils:
            latest = council.latest
            assert latest is not None
            must += [self.names(council), grade_phrase(latest.overall)]
        return {"must_contain": must, "council_codes": [c.dfe for c in councils]}

    def several(self) -> None:
        """Item 5: several councils, regions or people at once; counts for people."""
        f = self.facts
        pool = sorted((c for c in f.councils.values() if c.latest), key=lambda c: c.dfe)
        pairs = [("Kingston upon Hull, City of", "Leeds", "compare hull and leeds")]
        for _ in range(5):
            a, b = self.rng.sample(pool, 2)
            pairs.append((a.name, b.name, f"compare {a.display} and {b.display}"))
        for a_name, b_name, question in pairs:
            self.add("several", question, self.compare_expect([f.council(a_name), f.council(b_name)]))
        for first, second in [("London", "the South East"), ("the North West", "the South West"),
                              ("W Mids", "eastern"), ("Y&H", "the East Midlands")]:
            regions = [REGION_SHORT.get(name) or name.removeprefix("the ").title() for name in (first, second)]
            assert all(r in f.regions for r in regions), regions
            self.add("several", f"brokers for {first} and {second}",
                     {"must_contain": [f.broker_of_region(r) for r in regions]})
        inadequate = [c for c in pool if c.latest and c.latest.overall == INADEQUATE]
        others = [c for c in pool if c not in inadequate]
        trios = [["Knowsley", "Halton", "Sefton"]]
        for size in (1, 2, 1, 2):  # a mix, so the answer has to tell them apart
            mix = self.rng.sample(inadequate, size) + self.rng.sample(others, 3 - size)
            self.rng.shuffle(mix)
            trios.append([c.display for c in mix])
        for trio in trios:
            councils = [f.council(n) for n in trio]
            bad = [c for c in councils if c.latest and c.latest.overall == INADEQUATE]
            expect: dict[str, Any] = {"must_contain": [self.names(c) for c in bad]}
            self.add("several", f"which of {trio[0]}, {trio[1]} and {trio[2]} are inadequate?", expect)
        for person, regions in f.brokers.items():
            count = sum(len(f.in_region(r)) for r in regions)
            self.add("several", f"how many councils does {person} cover?", {"must_contain": [str(count)]})
        for a_name, b_name in [("Knowsley", "Halton"), ("Leeds", "Bradford")]:
            a, b = f.council(a_name), f.council(b_name)
            self.add("several", f"how are {a_name} and {b_name} doing?", self.compare_expect([a, b]))
            self.add("several", f"who covers {a_name.lower()} and {b_name.lower()}?",
                     {"must_contain": sorted({f.broker_of_region(a.region), f.broker_of_region(b.region)})})

    def build(self) -> list[dict[str, Any]]:
        self.resolve_names()
        self.ambiguous_and_unknown()
        self.follow_ups()
        self.out_of_domain()
        self.history()
        self.documents()
        self.several()
        return self.items


def main() -> int:
    items = Builder().build()
    with OUT.open("w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for item in items:
        counts[item["category"]] = counts.get(item["category"], 0) + 1
    print(f"wrote {len(items)} questions to {OUT}")
    for category, count in counts.items():
        print(f"  {category:15} {count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
