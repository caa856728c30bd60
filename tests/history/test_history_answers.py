"""Plain-English questions about a council's record since 2009 and about the source documents,
through the real router. Expected verdicts and years come from eval/trust_facts.py, which reads
the official files on its own, not from the bot's loaders."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest

from bot.core.reply import Reply
from bot.render.text import render_text
from storage.seed_rows import DATA_DIR

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "eval"))

from trust_facts import Council, Facts

WORDS = {1: "once", 2: "twice"}


@pytest.fixture(scope="module")
def facts() -> Facts:
    return Facts()


def first_line(reply: Reply) -> str:
    return reply.text.strip().splitlines()[0]


def created_recently(council: Council) -> bool:
    return council.first_year > 2012 and not any(j.published.year < 2018 for j in council.history)


def test_was_it_ever_inadequate_is_right_for_every_council(ask, facts: Facts) -> None:  # type: ignore[no-untyped-def]
    wrong = []
    for council in facts.councils.values():
        reply = ask(f"was {council.display} ever inadequate?", conversation=f"ever-{council.dfe}")
        text = reply.text
        years = sorted({d.year for d in council.inadequate_events()})
        if years:
            ok = text.startswith("Yes") and all(str(y) in text for y in years)
        elif created_recently(council):
            ok = f"No record before {council.first_year}" in text
        else:
            ok = text.startswith("No") and "never" in text
        if not ok or reply.entities.get("council") != council.display.replace("St ", "St. "):
            wrong.append(f"{council.display}: {text[:160]}")
    assert not wrong, "\n".join(wrong)


def test_how_many_times_counts_each_inspection_once(ask, facts: Facts) -> None:  # type: ignore[no-untyped-def]
    for council in facts.councils.values():
        events = council.inadequate_events()
        if not events:
            continue
        text = ask(f"how many times has {council.display} been judged inadequate?",
                   conversation=f"count-{council.dfe}").text
        assert f"Inadequate {WORDS.get(len(events), f'{len(events)} times')}" in text, text
        assert all(str(day.year) in text for day in events), text


def test_came_out_and_last_inadequate(ask, facts: Facts) -> None:  # type: ignore[no-untyped-def]
    for council in facts.councils.values():
        events = council.inadequate_events()
        if not events or council.latest is None:
            continue
        out = ask(f"did {council.display} come out of inadequate?", conversation=f"out-{council.dfe}").text
        assert out.split()[0].rstrip(":") == ("No" if council.latest.overall == "Inadequate" else "Yes"), out
        last = ask(f"when was {council.display} last inadequate?", conversation=f"last-{council.dfe}").text
        assert str(events[-1].year) in last and last.split()[0] not in {"No", "No:", "No."}, last


def test_what_did_it_get_in_a_year_names_the_framework(ask, facts: Facts) -> None:  # type: ignore[no-untyped-def]
    birmingham = facts.council("Birmingham")
    sif = next(j for j in birmingham.history if j.framework == "single inspection framework")
    text = ask(f"what did Birmingham get in {sif.published.year}?").text
    assert text.startswith(f"In {sif.published.year}") and sif.overall in text
    assert "single inspection framework" in text
    old = next(j for j in facts.council("Sheffield").history if j.overall == "Adequate")
    text = ask(f"Sheffield ofsted judgement {old.published.year}").text
    assert "Adequate" in text and "Requires improvement" not in text.split(".")[0]


def test_reorganised_council_says_no_record_before_it_was_created(ask) -> None:  # type: ignore[no-untyped-def]
    text = ask("was Dorset ever inadequate?").text
    assert text.startswith("No record before 2019 (the council was created in 2019)")
    assert "never" not in text.split(".")[0]
    card = render_text(ask("/council North Northamptonshire"))
    assert "No record before 2021 (the council was created in 2021)." in card


def test_follow_up_about_the_record_uses_the_council_in_hand(ask) -> None:  # type: ignore[no-untyped-def]
    ask("how is Birmingham doing?", conversation="hist")
    reply = ask("was it ever inadequate?", conversation="hist")
    assert reply.entities["council"] == "Birmingham" and reply.text.startswith("Yes")
    other = ask("and Shropshire?", conversation="hist")
    assert other.entities["council"] == "Shropshire" and other.entities["aspect"] == "history"


def test_timeline_labels_frameworks_and_shows_past_interventions(ask) -> None:  # type: ignore[no-untyped-def]
    lines = ask("/council timeline Birmingham").sections[0].lines
    assert any("single inspection framework" in line for line in lines)
    commissioner = next(line for line in lines if "commissioner" in line)
    assert commissioner.startswith("March 2014: ") and "past event" in commissioner
    assert any(line.startswith("24 Sep 2024: Ofsted ILACS Focused Visit") for line in lines)
    card = render_text(ask("/council Birmingham"))
    assert "Earlier judgements (since 2009)" in card and "(child protection inspection)" in card


def programme_rows(programme: str) -> list[str]:
    with (DATA_DIR / "documents" / "programmes.csv").open(newline="", encoding="utf-8") as handle:
        return [row["council"] for row in csv.DictReader(handle) if row["programme"].startswith(programme)]


def test_programmes(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("which councils are partners in practice?")
    assert reply.intent == "programme" and sorted(reply.entities["councils"]) == sorted(
        programme_rows("Partners in Practice"))
    assert ask("is Leeds a partner in practice?").text.startswith("Yes")
    sites = ask("which councils were development demonstrator sites?")  # not taken for an unknown council
    assert sites.intent == "programme" and sorted(sites.entities["councils"]) == sorted(
        programme_rows("Development demonstrator"))
    no = ask("is Harrow a partners in practice council?").text
    assert no.startswith("No") and "Children & Young People Now, 5 January 2016" in no
    assert ask("was Barnet a development demonstrator?").text.startswith("Yes")


def test_bulletin_facts_cite_their_source(ask) -> None:  # type: ignore[no-untyped-def]
    cite = "(CIB bulletin 7, 4 November 2011)"
    charge = ask("is there a charge for a safeguarding peer review?")
    assert charge.text.startswith("No charge") and cite in charge.text
    assert "22" in ask("how many peer reviews were scheduled in 2011/12?").text
    training = ask("when and where is the review team training?").text
    assert "8/9 February" in training and "Warwick University" in training
    split = ask("how is the £2.25m split?")
    assert re.search(r"lump sum.*50%.*0-19", split.text) and cite in split.text
    assert ask("who handles review team training applications").intent == "contacts"


def test_interventions_are_dated_past_events(ask) -> None:  # type: ignore[no-untyped-def]
    birmingham = ask("when did Birmingham get a commissioner?").text
    assert "March 2014" in birmingham and "Children & Young People Now" in birmingham
    assert ask("has Sandwell had a commissioner?").text.startswith("Yes")
    assert "October 2014" in ask("when did the Doncaster children's trust start?").text
    harrow = ask("has Harrow had a commissioner?").text
    assert harrow.startswith("No") and "Current intervention stage on record" in harrow
