"""Questions about a council's Ofsted record since 2009, answered verdict first.

"was X ever inadequate?", "when was X last inadequate?", "did X come out of inadequate?",
"what did X get in 2015?", "how many times has X been inadequate?". The record is every
judgement the bot holds: the 2009-13 safeguarding and looked after children inspections, child
protection inspections, the single inspection framework (2013-18) and its re-inspections, then
ILACS, each named with its framework. A council created by a reorganisation has no record from
before it existed, and the answer says so rather than "never".
"""

from __future__ import annotations

import re
from datetime import date

from bot.commands.council import created_note
from bot.core.format import fmt_date, join_names
from bot.core.reply import Action, Reply, Section
from bot.domain.judgements import INADEQUATE, framework_label, short_grade
from bot.nlu import lexicon as lx
from bot.nlu.answer_tools import AnswerTools, which_council
from bot.nlu.understand import Interpretation
from bot.services.resolver import normalise_name
from bot.services.values import CouncilStatus, JudgementInfo

TIMES = {1: "once", 2: "twice"}
EXCLUDES_CURRENT = re.compile(r"\b(before|previously|previous|earlier|in the past)\b")


def described(j: JudgementInfo) -> str:
    """ "Inadequate (single inspection framework, published 23 May 2014)"."""
    return f"{short_grade(j.overall)} ({framework_label(j.framework)}, published {fmt_date(j.day)})"


def where_when(j: JudgementInfo) -> str:
    """ "(single inspection framework, published 23 May 2014)"."""
    return f"({framework_label(j.framework)}, published {fmt_date(j.day)})"


def by_date(judgements: list[JudgementInfo]) -> dict[date, list[JudgementInfo]]:
    """Judgements grouped by publication date: one inspection that judged two parts (safeguarding
    and looked after children, 2009-12) is one occasion."""
    out: dict[date, list[JudgementInfo]] = {}
    for j in judgements:
        out.setdefault(j.day, []).append(j)
    return out


def occasions(judgements: list[JudgementInfo]) -> str:
    """ "2010 (safeguarding ...), 2014 (single inspection framework, published 23 May 2014)"."""
    parts = []
    for day, group in by_date(judgements).items():
        labels = "; ".join(framework_label(j.framework) for j in group)
        parts.append(f"{day.year} ({labels}, published {fmt_date(day)})")
    return join_names(parts)


def when_phrase(when_text: str) -> str:
    """ "March 2014" -> "in March 2014"; "by January 2016 ..." and "as of ..." stay as they are."""
    return when_text if when_text.startswith(("by ", "as of ")) else f"in {when_text}"


def times(count: int) -> str:
    return TIMES.get(count, f"{count} times")


class HistoryAnswer:
    """One question about one council's record."""

    def __init__(self, status: CouncilStatus, grade: str, norm: str) -> None:
        self.status = status
        self.name = status.council.name
        self.grade = grade
        self.norm = norm
        self.history = list(status.history)
        self.matches = [j for j in self.history if j.overall == grade]

    def never(self) -> str:
        created = created_note(self.status)
        if created:
            text = f"{created} Since then {self.name} has not been judged {self.grade}." if self.history else created
        else:
            text = f"No: {self.name} has never been judged {self.grade} in any Ofsted inspection on record since 2009."
        return f"{text} {self.listing(self.history)}" if self.history else text

    @staticmethod
    def listing(judgements: list[JudgementInfo], limit: int = 8) -> str:
        """ "Judgements on record: Good (ILACS, published 5 July 2022); ..." newest first."""
        shown = [described(j) for j in reversed(judgements)][:limit]
        more = len(judgements) - len(shown)
        return "Judgements on record: " + "; ".join(shown) + (f"; and {more} earlier." if more else ".")

    def record(self) -> str:
        """ "Durham history": the whole record, with the verdict on Inadequate first."""
        inadequate = [j for j in self.history if j.overall == INADEQUATE]
        if not self.history:
            return self.never()
        head = (f"{self.name} was judged Inadequate {times(len(by_date(inadequate)))} since 2009: "
                f"{occasions(inadequate)}." if inadequate
                else f"No Inadequate judgement: {self.name} has never been judged Inadequate in any Ofsted "
                "inspection on record since 2009.")
        created = created_note(self.status)
        return f"{head} {self.listing(self.history, limit=20)}" + (f" {created}" if created else "")

    def reorganised(self) -> str:
        created = created_note(self.status)
        return f" {created}" if created and self.matches else ""

    def past_interventions(self) -> str:
        events = self.status.reported_interventions
        if not events:
            return ""
        parts = [f"{e.summary} {when_phrase(e.when_text)}" for e in events]
        return f" Past interventions: {join_names(parts)} ({events[0].source})."

    def ever(self) -> str:
        matches = self.matches
        latest = self.status.latest
        if EXCLUDES_CURRENT.search(self.norm) and "ever" not in self.norm.split() and latest is not None:
            matches = [j for j in matches if j is not latest]
            if not matches:
                earlier = [j for j in self.history if j is not latest]
                if not earlier:
                    return self.never()
                return (f"No: before its latest judgement {where_when(latest)}, {self.name} was not judged "
                        f"{self.grade} in any Ofsted inspection on record since 2009. " + self.listing(earlier))
        if not matches:
            return self.never()
        text = f"Yes: {self.name} was judged {self.grade} {times(len(by_date(matches)))}: {occasions(matches)}."
        if latest is not None and latest.overall == self.grade and latest in matches:
            text += " That is its current judgement."
        elif latest is not None:
            text += f" Its latest judgement is {latest.overall} {where_when(latest)}."
        return text + self.reorganised() + self.past_interventions()

    def last(self) -> str:
        if not self.matches:
            return self.never()
        last = self.matches[-1]
        latest = self.status.latest
        if last is latest:
            return f"{self.name} is judged {self.grade} now {where_when(last)}." + self.reorganised()
        after = [j for j in self.history if j.day > last.day]
        text = f"{self.name} was last judged {self.grade} in {last.day.year} {where_when(last)}."
        if latest is not None and after:
            text += f" Its latest judgement is {described(latest)}."
        return text + self.reorganised()

    def came_out(self) -> str:
        inadequate = [j for j in self.history if j.overall == INADEQUATE]
        latest = self.status.latest or (self.history[-1] if self.history else None)
        if not inadequate or latest is None:
            created = created_note(self.status)
            return (f"{self.name} has not been judged Inadequate in any Ofsted inspection on record since 2009, "
                    "so there was nothing to come out of." + (f" {created}" if created else ""))
        if latest.overall == INADEQUATE:
            text = f"No: {self.name} is judged Inadequate now {where_when(latest)}."
            better = [j for j in self.history if inadequate[0].day < j.day < latest.day and j.overall != INADEQUATE]
            earlier = [j for j in inadequate if j.day < better[0].day] if better else []
            if earlier:
                text += (f" It had come out of an earlier Inadequate judgement ({occasions(earlier)}) with "
                         f"{described(better[0])}.")
            return text + self.past_interventions()
        last_bad = inadequate[-1]
        after = [j for j in self.history if j.day > last_bad.day]
        text = f"Yes: {self.name} was last judged Inadequate in {last_bad.day.year} {where_when(last_bad)}"
        if after and after[0] is not latest:
            text += f"; the next judgement was {described(after[0])}"
        return text + f", and its latest is {described(latest)}." + self.past_interventions()

    def in_year(self, year: int) -> str:
        published = [j for j in self.history if j.day.year == year]
        visits = [v for v in self.status.visits if v.visit_date.year == year]
        if published:
            text = f"In {year}, Ofsted judged {self.name}: " + "; ".join(described(j) for j in published) + "."
        else:
            before = [j for j in self.history if j.day.year < year]
            first = self.status.council.first_year
            if created_note(self.status) and first is not None and year < first:
                text = f"No record before {first} (the council was created in {first}), so nothing for {year}."
            elif year < 2009:
                text = f"The record I hold starts in 2009, so I have nothing on {self.name} for {year}."
            elif before:
                text = (f"Nothing was published on {self.name} in {year}; the judgement in force was "
                        f"{described(before[-1])}.")
            else:
                text = f"Nothing on {self.name} is on record for {year} or earlier."
        if visits:
            text += " Visits that year (no judgement): " + "; ".join(
                f"{v.visit_type} on {fmt_date(v.visit_date)}" + (f" ({v.theme})" if v.theme else "") for v in visits
            ) + "."
        return text

    def count(self) -> str:
        if not self.matches:
            return self.never()
        dates = by_date(self.matches)
        text = (f"{self.name} has been judged {self.grade} {times(len(dates))} on record since 2009 (each "
                f"inspection counted once): {occasions(self.matches)}.")
        return text + self.reorganised()


def history_lines(status: CouncilStatus) -> tuple[str, ...]:
    """Every judgement and visit on record, oldest first, each with its framework."""
    entries = [(j.day, f"{fmt_date(j.day)}: {j.overall} ({framework_label(j.framework)})") for j in status.history]
    entries += [(v.visit_date, f"{fmt_date(v.visit_date)}: {v.visit_type}" + (f" ({v.theme})" if v.theme else "")
                 + ", no judgement") for v in status.visits]
    return tuple(line for _, line in sorted(entries, key=lambda entry: entry[0]))


def on_council_history(tools: AnswerTools, meaning: Interpretation) -> Reply:
    turn = meaning.turn
    if turn.council_id is None:
        if meaning.unknown_name:
            return tools.unknown(meaning)
        return which_council("council_history", "was Birmingham ever inadequate?")
    status = tools.services.councils.status(turn.council_id)
    norm = normalise_name(tools.message.text)
    question = lx.history_question(norm) or "ever"
    answer = HistoryAnswer(status, turn.grade or INADEQUATE, norm)
    year = lx.YEAR.search(norm)
    if question == "year" and year:
        text = answer.in_year(int(year.group(1)))
    else:
        text = {"count": answer.count, "came_out": answer.came_out, "last": answer.last,
                "record": answer.record}.get(question, answer.ever)()
    council = status.council
    return Reply(
        text=text,
        title=council.name,
        sections=(Section(heading="Ofsted record since 2009", lines=history_lines(status) or ("None on record.",)),),
        actions=(Action("Timeline", f"/council timeline {council.name}", style="primary"),
                 Action("Status card", f"/council {council.name}")),
        intent="council_status",
        entities={"council": council.name, "ons_code": council.ons_code, "aspect": "history",
                  "history_question": question, "judgement": turn.grade,
                  "overall": status.latest.overall if status.latest else None},
    )
