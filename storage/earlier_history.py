"""Seed loaders for the history before ILACS and beside it: earlier Ofsted frameworks (joined on
names, see `storage.earlier_inspections`), the 2024-25 focused and monitoring visits, and what the
source documents say (interventions and programme memberships, `data/documents/`, provenance in
`data/PROVENANCE.md`).

Each loader reads the rows it owns once and compares in memory, so a re-seed with unchanged files
writes nothing and costs a few queries, not one per row.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, SQLModel, select

from storage.earlier_inspections import SHEET, first_ilacs_dates, join_key, read_earlier_judgements
from storage.seed_rows import DATA_DIR, SeedReport, read_csv
from storage.tables import ILACS, Council, OfstedJudgement, OfstedVisit, ProgrammeMembership, ReportedIntervention

EARLIER_SOURCE = "Ofsted LA inspections 2009-2023"
VISIT_SOURCE = "ofsted/ilacs_in_year_activity_2024-25.csv"


class NameJoinError(ValueError):
    """A council in the 2009-2023 sheet matched no council, or matched the wrong one."""


def _sync(
    session: Session, report: SeedReport, model: type[SQLModel], existing: dict[Any, Any],
    key: Any, values: dict[str, Any],
) -> None:
    """Insert the row for `key` or bring its values into line; `existing` maps keys to rows."""
    table = str(model.__tablename__)
    row = existing.get(key)
    if row is None:
        existing[key] = row = model(**values)
        session.add(row)
        report.count(table, "added")
        return
    differing = {k: v for k, v in values.items() if getattr(row, k) != v}
    if not differing:
        report.count(table, "unchanged")
        return
    for column, value in differing.items():
        setattr(row, column, value)
    session.add(row)
    report.count(table, "changed")


def match_sheet_names(names: list[str], councils: dict[str, Council]) -> dict[str, Council]:
    """Sheet name -> council. Current councils first; a name no current council carries (Cumbria,
    abolished in 2023) goes to the former council of that name. Raises NameJoinError for a name
    that matches nothing or two councils."""
    current: dict[str, list[Council]] = {}
    former: dict[str, list[Council]] = {}
    for council in councils.values():
        (current if council.current else former).setdefault(join_key(council.name), []).append(council)
    matched: dict[str, Council] = {}
    for name in names:
        key = join_key(name)
        candidates = current.get(key) or former.get(key) or []
        if len(candidates) != 1:
            raise NameJoinError(f"{SHEET}: {name!r} matches {len(candidates)} councils")
        matched[name] = candidates[0]
    return matched


def load_earlier_judgements(session: Session, report: SeedReport, councils: dict[str, Council]) -> None:
    records = read_earlier_judgements(DATA_DIR / SHEET)
    matched = match_sheet_names(sorted({r.sheet_name for r in records} | set(first_ilacs_dates(DATA_DIR / SHEET))),
                                councils)
    _check_join(session, matched)
    rows = session.exec(select(OfstedJudgement).where(OfstedJudgement.framework != ILACS)).all()
    existing: dict[Any, Any] = {(r.council_id, r.framework, r.publication_date): r for r in rows}
    for record in records:
        council = matched[record.sheet_name]
        key = (council.id, record.framework, record.published)
        values = {
            "council_id": council.id, "framework": record.framework, "inspection_type": record.framework,
            "inspection_date": None, "publication_date": record.published, "overall": record.overall,
            "leaders": None, "help_and_protection": None, "children_in_care": None, "care_leavers": None,
            "source": EARLIER_SOURCE, **record.sub_judgements,
        }
        _sync(session, report, OfstedJudgement, existing, key, values)


def _check_join(session: Session, matched: dict[str, Council]) -> None:
    """The name join, checked against the codes: each sheet row's first ILACS publication date
    must be one of its council's ILACS judgements (loaded first, from the coded sheet)."""
    published: dict[int, set[date]] = {}
    for row in session.exec(select(OfstedJudgement).where(OfstedJudgement.framework == ILACS)).all():
        if row.publication_date is not None:
            published.setdefault(row.council_id, set()).add(row.publication_date)
    for name, first in first_ilacs_dates(DATA_DIR / SHEET).items():
        council = matched[name]
        if council.current and first not in published.get(council.id or 0, set()):
            raise NameJoinError(f"{SHEET}: {name!r} joined to {council.name}, whose ILACS record has no "
                                f"judgement published {first}")


def _day(raw: str) -> date | None:
    raw = (raw or "").strip()
    return date.fromisoformat(raw[:10]) if raw else None


def load_visits(session: Session, report: SeedReport, councils: dict[str, Council]) -> None:
    """Focused and monitoring visits from the 2024-25 in-year sheet (its inspections with a
    judgement are in the ILACS history already)."""
    existing: dict[Any, Any] = {(r.council_id, r.visit_date, r.visit_type): r
                                for r in session.exec(select(OfstedVisit)).all()}
    for row in read_csv(VISIT_SOURCE):
        kind = row["Inspection/Visit type"].strip()
        council = councils.get(row["Local authority area code"].strip())
        visited = _day(row["Inspection/Visit date"])
        if "visit" not in kind.lower() or council is None or visited is None:
            continue
        values = {"council_id": council.id, "visit_type": kind, "visit_date": visited,
                  "publication_date": _day(row["Publication date"]), "theme": row["Visit Theme"].strip()}
        _sync(session, report, OfstedVisit, existing, (council.id, visited, kind), values)


def load_documents(session: Session, report: SeedReport, councils: dict[str, Council]) -> None:
    """Interventions and programme memberships named in the seed articles (data/documents/)."""
    reported: dict[Any, Any] = {(r.council_id, r.kind): r for r in session.exec(select(ReportedIntervention)).all()}
    for row in read_csv("documents/interventions.csv"):
        council = councils[row["ons_code"]]
        values = {"council_id": council.id, "kind": row["kind"], "month": _day(row["month"]),
                  "when_text": row["when_text"], "summary": row["summary"], "source": row["source"],
                  "source_date": _day(row["source_date"])}
        _sync(session, report, ReportedIntervention, reported, (council.id, row["kind"]), values)
    members: dict[Any, Any] = {(r.council_id, r.programme): r for r in session.exec(select(ProgrammeMembership)).all()}
    for row in read_csv("documents/programmes.csv"):
        council = councils[row["ons_code"]]
        values = {"council_id": council.id, "programme": row["programme"], "since": None,
                  "note": f"{row['note']} ({row['source']})"}
        _sync(session, report, ProgrammeMembership, members, (council.id, row["programme"]), values)
