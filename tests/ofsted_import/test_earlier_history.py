"""Seeding the history before ILACS and beside it: the 2009-2023 sheet joined on names, the
2024-25 visits, and the source documents' interventions and programmes. Expected values come
from the files themselves and from eval/trust_facts.py, which joins the sheet independently."""

from __future__ import annotations

import csv
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import func, select

from bot.services import Services
from storage.earlier_history import NameJoinError, match_sheet_names
from storage.earlier_inspections import FRAMEWORKS, SHEET
from storage.seed_rows import DATA_DIR
from storage.tables import (
    ILACS,
    Council,
    InterventionEvent,
    OfstedJudgement,
    OfstedVisit,
    ProgrammeMembership,
    ReportedIntervention,
)

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "eval"))

from trust_facts import Facts  # noqa: E402


def sheet_rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def facts() -> Facts:
    return Facts()


def councils_by_code(services: Services) -> dict[str, Council]:
    with services.db.session() as session:
        return {c.ons_code: c for c in session.exec(select(Council)).all()}


def test_every_sheet_name_joins_and_the_differently_spelt_ones_land_right(services: Services) -> None:
    councils = councils_by_code(services)
    names = [row["Local authority name"] for row in sheet_rows(SHEET)]
    matched = match_sheet_names(names, councils)
    assert len(matched) == len(names) == 152
    dfe_names = {row["new_la_code"]: row["la_name"] for row in sheet_rows("local_authorities.csv")}
    spelt_differently = {name: dfe_names[council.ons_code] for name, council in matched.items()
                         if name != dfe_names[council.ons_code]}
    assert spelt_differently == {
        "Bedford Borough": "Bedford", "Bristol": "Bristol, City of", "Durham": "County Durham",
        "Herefordshire": "Herefordshire, County of", "Kingston Upon Hull": "Kingston upon Hull, City of",
        "Richmond Upon Thames": "Richmond upon Thames", "St Helens": "St. Helens",
    }
    assert not matched["Cumbria"].current  # abolished in 2023: its own former record
    assert all(council.current for name, council in matched.items() if name != "Cumbria")


def test_a_name_that_matches_no_council_is_refused(services: Services) -> None:
    with pytest.raises(NameJoinError, match="Gotham"):
        match_sheet_names(["Gotham"], councils_by_code(services))


def test_each_councils_record_matches_the_independent_join(services: Services, facts: Facts) -> None:
    councils = councils_by_code(services)
    with services.db.session() as session:
        rows = session.exec(select(OfstedJudgement)).all()
    stored: dict[int, Counter[tuple[date, str]]] = {}
    for row in rows:
        day = row.publication_date or row.inspection_date
        assert day is not None
        stored.setdefault(row.council_id, Counter())[(day, row.overall)] += 1
    for council in facts.councils.values():
        expected = Counter((j.published, j.overall) for j in council.history)
        assert stored.get(councils[council.ons].id or 0, Counter()) == expected, council.name


def test_the_old_grade_adequate_is_restored_for_2009_13(services: Services) -> None:
    old_scale = [f for f in FRAMEWORKS if f.old_scale]
    ri = "Requires improvement to be good"
    written_as_ri = sum(1 for row in sheet_rows(SHEET) for f in old_scale
                        if row[f.date_column].strip() and row[f.overall_column].strip() == ri)
    with services.db.session() as session:
        old = session.exec(select(OfstedJudgement).where(
            OfstedJudgement.framework.in_([f.key for f in old_scale]))).all()  # type: ignore[attr-defined]
    assert written_as_ri > 0
    assert sum(r.overall == "Adequate" for r in old) == written_as_ri
    assert not any(r.overall == "Requires improvement to be good" for r in old)
    assert all(r.inspection_date is None for r in old)  # the sheet gives publication dates only


def test_reorganised_councils_have_no_rows_before_they_existed(services: Services) -> None:
    councils = councils_by_code(services)
    for code in ("E06000059", "E06000058", "E06000061", "E06000062", "E06000063", "E06000064"):
        status = services.councils.status(councils[code].id or 0)
        first = status.council.first_year
        assert first is not None and all(j.day.year >= first for j in status.history), status.council.name


def test_latest_judgements_stay_ilacs(services: Services) -> None:
    as_at = sheet_rows("ofsted/ilacs_inspections_as_at_31_March_2025.csv")
    grades = Counter(row["Overall effectiveness"] for row in as_at)
    listed = services.councils.list()
    assert listed.counts == {g: grades[g] for g in ("Outstanding", "Good", "Requires improvement to be good",
                                                    "Inadequate")}
    birmingham = services.councils.status(services.directory.resolve_council("Birmingham").match or 0)
    assert birmingham.latest is not None and birmingham.latest.framework == ILACS
    assert birmingham.history[0].framework != ILACS  # 2010, before ILACS


def test_visits_and_documents_are_loaded_once(services: Services) -> None:
    visits = [r for r in sheet_rows("ofsted/ilacs_in_year_activity_2024-25.csv")
              if "visit" in r["Inspection/Visit type"].lower()]
    with services.db.session() as session:
        assert session.exec(select(func.count()).select_from(OfstedVisit)).one() == len(visits)
        assert session.exec(select(func.count()).select_from(ReportedIntervention)).one() == len(
            sheet_rows("documents/interventions.csv"))
        assert session.exec(select(func.count()).select_from(ProgrammeMembership)).one() == len(
            sheet_rows("documents/programmes.csv"))


def test_past_interventions_never_become_escalations(services: Services) -> None:
    """Birmingham's commissioner (March 2014) is history: no ladder event, no deadline, no reminder."""
    as_at = sheet_rows("ofsted/ilacs_inspections_as_at_31_March_2025.csv")
    inadequate_now = {r["Local authority area code"] for r in as_at if r["Overall effectiveness"] == "Inadequate"}
    councils = councils_by_code(services)
    reported = {r["ons_code"] for r in sheet_rows("documents/interventions.csv")}
    with services.db.session() as session:
        events = session.exec(select(InterventionEvent)).all()
    by_id = {c.id: code for code, c in councils.items()}
    assert {by_id[e.council_id] for e in events} == inadequate_now
    due = services.escalations.due_items(date(2000, 1, 1), date(2030, 1, 1))
    assert not {item.council for item in due} & {councils[code].name for code in reported - inadequate_now}
