"""Ofsted's inspections of councils' children's services before ILACS, from the published sheet
`LA_inspections_2009-2023` ("Children's social care data in England 2023", bundled as
`data/ofsted/la_inspections_2009-2023.csv`).

The sheet has no codes: one row per council, named as Ofsted spells it, so it is joined on
normalised names. Several councils are spelt differently there (`Bristol`, `Durham`,
`Kingston Upon Hull`, `Bedford Borough`, `Herefordshire`, `Richmond Upon Thames`, `St Helens`);
`join_key` folds those differences, and any name that still matches no council fails the load
loudly rather than dropping a council's history. Cumbria (abolished in 2023) is joined to its own,
no longer current, record. Reorganised councils created since 2019 (Dorset, Bournemouth,
Christchurch and Poole, the Northamptonshires, Cumberland, Westmorland and Furness) have no
earlier rows.

Before 2013 Ofsted graded outstanding / good / adequate / inadequate; the sheet writes "Adequate"
as "Requires improvement to be good" in those columns, so they are read back as "Adequate". The
ILACS columns are left out: the ILACS history sheet carries them with codes and inspection dates.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

SHEET = "ofsted/la_inspections_2009-2023.csv"
NAME = "Local authority name"
REQUIRES_IMPROVEMENT = "Requires improvement to be good"
ADEQUATE = "Adequate"


@dataclass(frozen=True)
class Framework:
    key: str  # stored in OfstedJudgement.framework
    date_column: str
    overall_column: str
    old_scale: bool  # graded outstanding / good / adequate / inadequate
    sub_columns: tuple[tuple[str, str], ...] = ()  # (OfstedJudgement field, column)


def _sif(prefix: str) -> tuple[tuple[str, str], ...]:
    return (
        ("help_and_protection", f" {prefix} children who need help and protection "),
        ("children_in_care", f" {prefix} children looked after and achieving permanence "),
        ("care_leavers", f" {prefix} CLA Sub: Experiences and progress of care leavers"),
        ("leaders", f" {prefix} leadership, management and governance"),
    )


FRAMEWORKS: tuple[Framework, ...] = (
    Framework("SLAC safeguarding", "Safeguarding & Looked After Children (SLAC) Inspection publication date",
              "SLAC Safeguarding Overall effectiveness (OE)", True),
    Framework("SLAC looked after", "Safeguarding & Looked After Children (SLAC) Inspection publication date",
              "SLAC Looked After Children Overall Effectiveness (OE)", True),
    Framework("SLAC safeguarding re-inspection", "SLAC re-inspection of Safeguarding publication date",
              "SLAC re-inspection Safeguarding OE", True),
    Framework("SLAC looked after re-inspection",
              "SLAC re-inspection of services for Children Looked After publication date",
              "SLAC re-inspection of services Children Looked After OE", True),
    Framework("CPI", "Child Protection Inspections (CPI) publication date", "CPI Overall Effectiveness (OE)", True),
    Framework("CPRI", "Child Protection Re-Inspection (CPRI) publication date", "CPRI Overall Effectiveness (OE)",
              True),
    Framework("TLAC", "Targeted Looked After Children (TLAC) inspection publication date",
              "TLAC Overall Effectiveness (OE)", True),
    Framework("SIF", "Single Inspection of LA Children's Services (SIF)  First SIF publication date",
              " First SIF Overall Judgement\n(OE)", False, _sif("First SIF")),
    Framework("SIF re-inspection",
              "Single Inspection of LA Children's Services (SIF) SIF Re-inspection publication date",
              " SIF Re-inspection Overall Judgement\n(OE)", False, _sif("SIF Re-inspection")),
)


@dataclass(frozen=True)
class EarlierJudgement:
    sheet_name: str  # the council as the sheet spells it
    framework: str
    published: date
    overall: str
    sub_judgements: dict[str, str | None]


def join_key(name: str) -> str:
    """A council name folded for joining sheets that spell it differently: "Bristol, City of",
    "Bristol" -> "bristol"; "Bedford Borough" -> "bedford"; "St. Helens" -> "st helens";
    "Kingston Upon Hull" -> "kingston upon hull"."""
    name = re.sub(r", (City|County) of$", "", name).replace("St. ", "St ")
    key = name.lower().replace("&", "and").replace("-", " ")
    key = re.sub(r"\b(borough|county|city of)\b", " ", key)
    return re.sub(r"\s+", " ", key).strip()


def _day(text: str) -> date | None:
    text = (text or "").strip()
    return date.fromisoformat(text[:10]) if text else None


def _grade(raw: str, old_scale: bool) -> str:
    grade = " ".join(raw.split())
    return ADEQUATE if old_scale and grade == REQUIRES_IMPROVEMENT else grade


def read_earlier_judgements(path: Path) -> list[EarlierJudgement]:
    """Every pre-ILACS judgement in the sheet, one per framework column group that has a date and
    an overall grade."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    out: list[EarlierJudgement] = []
    for row in rows:
        for framework in FRAMEWORKS:
            published, overall = _day(row[framework.date_column]), row[framework.overall_column].strip()
            if published is None or not overall:
                continue
            subs = {field: (_grade(row[column], framework.old_scale) or None)
                    for field, column in framework.sub_columns}
            out.append(EarlierJudgement(row[NAME].strip(), framework.key, published,
                                        _grade(overall, framework.old_scale), subs))
    return out


def first_ilacs_dates(path: Path) -> dict[str, date]:
    """Sheet name -> its first ILACS publication date, to check the name join against the ILACS
    history (which has codes)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    dates = {row[NAME].strip(): _day(row["First ILACS framework publication date"]) for row in rows}
    return {name: day for name, day in dates.items() if day is not None}
