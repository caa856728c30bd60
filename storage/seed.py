"""Seed loader: reference data from the bundled real files, idempotent.

Reference data (regions, councils, Ofsted judgements) is brought into line with the files on
every run. The roster (people, broker assignments, contacts) is an editable example from
bulletin 7 (seed `004_77f8c6ff52eca5f8.txt`): the loader only adds what is missing and never
overwrites edits made later through chat or the CLI.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from storage.earlier_history import load_documents, load_earlier_judgements, load_visits
from storage.normalise import normalise_name
from storage.seed_rows import DATA_DIR, SeedReport, read_csv, rows_by_key, upsert
from storage.tables import (
    BrokerAssignment,
    Contact,
    Council,
    CouncilAlias,
    CouncilSuccession,
    OfstedJudgement,
    Person,
    Region,
    RegionAlias,
    SeedState,
    utc_now,
)

# Reorganisations where one area split or merged (data/README.md). Codes that only changed their
# ONS code (Buckinghamshire, North Yorkshire, Somerset) are found from the shared DfE code.
SPLITS_AND_MERGERS: tuple[tuple[str, str, int], ...] = (
    ("E10000009", "E06000059", 2019),  # Dorset (county) -> Dorset
    ("E10000009", "E06000058", 2019),  # Dorset (Christchurch) -> Bournemouth, Christchurch and Poole
    ("E06000029", "E06000058", 2019),  # Poole -> BCP
    ("E06000028", "E06000058", 2019),  # Bournemouth -> BCP
    ("E10000021", "E06000061", 2021),  # Northamptonshire -> North Northamptonshire
    ("E10000021", "E06000062", 2021),  # Northamptonshire -> West Northamptonshire
    ("E10000006", "E06000063", 2023),  # Cumbria -> Cumberland
    ("E10000006", "E06000064", 2023),  # Cumbria -> Westmorland and Furness
)

JUDGEMENT_COLUMNS = {
    "overall": "Overall effectiveness",
    "leaders": "The impact of leaders on social work practice with children and families",
    "help_and_protection": "The experiences and progress of children who need help and protection",
    "children_in_care": "The experiences and progress of children in care",
    "care_leavers": "The experiences and progress of care leavers",
}


def display_council_name(dfe_name: str) -> str:
    """`Bristol, City of` -> `Bristol`; the official form is kept as an alias."""
    for suffix in (", City of", ", County of"):
        if dfe_name.endswith(suffix):
            return dfe_name[: -len(suffix)]
    return dfe_name


def display_region_name(name: str) -> str:
    return "Yorkshire and the Humber" if name == "Yorkshire and The Humber" else name


def parse_date(raw: str) -> date | None:
    raw = (raw or "").strip()
    return date.fromisoformat(raw[:10]) if raw else None


def load_regions_and_councils(session: Session, report: SeedReport) -> dict[str, Council]:
    """Regions, councils, their aliases and successions. Each table's rows are looked up with one
    SELECT and written with one flush (ids are needed only by the next table)."""
    rows = list(read_csv("local_authorities.csv"))
    regions: dict[str, Region] = {}
    known_regions = rows_by_key(session, Region, ("code",))
    for row in rows:
        code = row["gor_code"]
        if code not in regions:
            regions[code] = upsert(
                session, report, Region, {"code": code}, {"name": display_region_name(row["gor_name"])},
                known=known_regions,
            )
    session.flush()
    known_region_aliases = rows_by_key(session, RegionAlias, ("alias",))
    for alias_row in read_csv("region_aliases.csv"):
        region = regions[alias_row["region_code"]]
        upsert(
            session, report, RegionAlias,
            {"alias": normalise_name(alias_row["alias"])}, {"region_id": region.id}, known=known_region_aliases,
        )
    councils: dict[str, Council] = {}
    aliases: list[tuple[str, str]] = []  # (ONS code, alias)
    known_councils = rows_by_key(session, Council, ("ons_code",))
    for row in rows:
        population = row["pop_0_17_2024"] or row["pop_0_17_2012"]
        councils[row["new_la_code"]] = upsert(
            session, report, Council, {"ons_code": row["new_la_code"]},
            {
                "dfe_code": row["old_la_code"],
                "name": display_council_name(row["la_name"]),
                "la_type": row["la_type"],
                "region_id": regions[row["gor_code"]].id,
                "current": row["current_2024"] == "True",
                "first_year": int(row["first_mid_year_in_file"]),
                "last_year": int(row["last_mid_year_in_file"]),
                "population_0_17": int(population) if population else None,
            },
            known=known_councils,
        )
        if display_council_name(row["la_name"]) != row["la_name"]:
            aliases.append((row["new_la_code"], row["la_name"]))
    session.flush()
    aliases += [(alias_row["ons_code"], alias_row["alias"]) for alias_row in read_csv("council_aliases.csv")]
    known_aliases = rows_by_key(session, CouncilAlias, ("alias",))
    for ons_code, alias in aliases:
        _add_council_alias(session, report, councils[ons_code], alias, known_aliases)
    _load_successions(session, report, councils)
    return councils


def _add_council_alias(
    session: Session, report: SeedReport, council: Council, alias: str, known: dict[tuple[Any, ...], Any]
) -> None:
    key = normalise_name(alias)
    if key and key != normalise_name(council.name):
        upsert(session, report, CouncilAlias, {"alias": key}, {"council_id": council.id}, known=known)


def _load_successions(session: Session, report: SeedReport, councils: dict[str, Council]) -> None:
    pairs = [(old, new, year) for old, new, year in SPLITS_AND_MERGERS]
    current_by_dfe = {c.dfe_code: c for c in councils.values() if c.current}
    for council in councils.values():
        successor = current_by_dfe.get(council.dfe_code)
        if not council.current and successor is not None and successor.ons_code != council.ons_code:
            pairs.append((council.ons_code, successor.ons_code, (council.last_year or 0) + 1))
    known = rows_by_key(session, CouncilSuccession, ("predecessor_id", "successor_id"))
    for old, new, year in pairs:
        upsert(
            session, report, CouncilSuccession,
            {"predecessor_id": councils[old].id, "successor_id": councils[new].id}, {"year": year}, known=known,
        )


def load_ofsted(session: Session, report: SeedReport, councils: dict[str, Council]) -> list[str]:
    """Judgement history joined on ONS code; returns the codes that matched no council."""
    unmatched: list[str] = []
    history = list(read_csv("ofsted/ilacs_inspection_history_2018-2025.csv"))
    types = {(r["Local authority area code"], r["Inspection date"]): r["Inspection type"] for r in history}
    latest = [
        {**r, "Inspection type": types.get((r["Local authority area code"], r["Inspection date"]),
                                           "ILACS Standard Inspection")}
        for r in read_csv("ofsted/ilacs_inspections_as_at_31_March_2025.csv")
    ]
    known = rows_by_key(session, OfstedJudgement, ("council_id", "inspection_date", "inspection_type"))
    for source, rows in (("ILACS history 2018-2025", history), ("ILACS as at 31 March 2025", latest)):
        for row in rows:
            council = councils.get(row["Local authority area code"])
            if council is None:
                unmatched.append(row["Local authority area code"])
                continue
            values: dict[str, Any] = {
                column: (row.get(header) or None) for column, header in JUDGEMENT_COLUMNS.items()
            }
            values["publication_date"] = parse_date(row["Publication date"])
            key = {
                "council_id": council.id,
                "inspection_date": parse_date(row["Inspection date"]),
                "inspection_type": row["Inspection type"],
            }
            if tuple(key.values()) not in known:
                values["source"] = source
            upsert(session, report, OfstedJudgement, key, values, known=known)
    return unmatched


def load_roster(session: Session, report: SeedReport) -> None:
    regions = {r.name: r for r in session.exec(select(Region)).all()}
    regions["Yorkshire and The Humber"] = regions["Yorkshire and the Humber"]
    people: dict[str, Person] = {}
    for row in read_csv("roster.csv"):
        people[row["name"]] = upsert(
            session, report, Person, {"name": row["name"]},
            {
                "role": row["role"],
                "title": row["title"],
                "email": row["email"],
                "phone": row["phone"],
                "access": "broker" if row["role"].endswith("broker") else "viewer",
                "starts_on": parse_date(row["starts_on"]),
                "source": row["source"],
                "source_date": parse_date(row["source_date"]),
            },
            overwrite=False,
        )
        for region_name in filter(None, row["regions"].split(";")):
            upsert(
                session, report, BrokerAssignment,
                {"person_id": people[row["name"]].id, "region_id": regions[region_name].id},
                {"is_lead": True}, overwrite=False,
            )
    for row in read_csv("contacts.csv"):
        upsert(
            session, report, Contact,
            {"topic": row["topic"], "person_id": people[row["person"]].id},
            {"note": row["note"], "source": row["source"], "source_date": parse_date(row["source_date"])},
            overwrite=False,
        )


def seed_reference_data(session: Session) -> tuple[SeedReport, list[str]]:
    """Load everything; the caller owns the transaction. Returns the report and unmatched codes."""
    report = SeedReport()
    councils = load_regions_and_councils(session, report)
    unmatched = load_ofsted(session, report, councils)
    load_earlier_judgements(session, report, councils)
    load_visits(session, report, councils)
    load_documents(session, report, councils)
    load_roster(session, report)
    return report, unmatched


def is_seeded(session: Session) -> bool:
    return session.exec(select(Region).limit(1)).first() is not None


SEED_FILES = (
    "local_authorities.csv",
    "region_aliases.csv",
    "council_aliases.csv",
    "roster.csv",
    "contacts.csv",
    "ofsted/ilacs_inspection_history_2018-2025.csv",
    "ofsted/ilacs_inspections_as_at_31_March_2025.csv",
    "ofsted/la_inspections_2009-2023.csv",
    "ofsted/ilacs_in_year_activity_2024-25.csv",
    "documents/interventions.csv",
    "documents/programmes.csv",
)


def bundled_data_hash() -> str:
    """A fingerprint of the files the loader reads (about 1 ms)."""
    digest = hashlib.sha256()
    for name in SEED_FILES:
        digest.update(name.encode())
        digest.update((DATA_DIR / name).read_bytes())
    return digest.hexdigest()


def loaded_data_hash(session: Session) -> str | None:
    state = session.exec(select(SeedState).order_by(col(SeedState.id).desc())).first()
    return state.data_hash if state else None


def record_data_hash(session: Session, data_hash: str) -> None:
    state = session.exec(select(SeedState)).first() or SeedState(data_hash=data_hash)
    state.data_hash = data_hash
    state.loaded_at = utc_now()
    session.add(state)
