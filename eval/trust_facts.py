"""Facts for the trust evaluation, read from the official files the bot ships with.

Kept apart from the bot on purpose: the expected answers of the evaluation are computed here from
the published files (DfE/ONS codes, Ofsted history since 2009, the roster, the seed documents), so
a bug in the bot's own loaders cannot make the evaluation agree with it.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import holidays
from dateutil.relativedelta import relativedelta

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "storage" / "data"
OFSTED = DATA / "ofsted"
# The source documents sit in ../shared beside the repository (as on every developer machine and in CI).
SEEDS = Path(os.environ.get("BROKER_BOT_SEEDS", ROOT.parent / "shared" / "seeds"))

INADEQUATE = "Inadequate"
RI = "Requires improvement to be good"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]

# Frameworks in la_inspections_2009-2023.csv: (label, date column, overall column, old grade scale).
# Before 2013 Ofsted's grades were outstanding/good/adequate/inadequate; the sheet writes
# "Adequate" as "Requires improvement to be good" in those columns.
OLD_FRAMEWORKS = [
    ("safeguarding (SLAC)", "Safeguarding & Looked After Children (SLAC) Inspection publication date",
     "SLAC Safeguarding Overall effectiveness (OE)", True),
    ("looked after children (SLAC)", "Safeguarding & Looked After Children (SLAC) Inspection publication date",
     "SLAC Looked After Children Overall Effectiveness (OE)", True),
    ("SLAC safeguarding re-inspection", "SLAC re-inspection of Safeguarding publication date",
     "SLAC re-inspection Safeguarding OE", True),
    ("SLAC looked after re-inspection",
     "SLAC re-inspection of services for Children Looked After publication date",
     "SLAC re-inspection of services Children Looked After OE", True),
    ("child protection inspection", "Child Protection Inspections (CPI) publication date",
     "CPI Overall Effectiveness (OE)", True),
    ("child protection re-inspection", "Child Protection Re-Inspection (CPRI) publication date",
     "CPRI Overall Effectiveness (OE)", True),
    ("targeted looked after children inspection",
     "Targeted Looked After Children (TLAC) inspection publication date", "TLAC Overall Effectiveness (OE)", True),
    ("single inspection framework", "Single Inspection of LA Children's Services (SIF)  First SIF publication date",
     " First SIF Overall Judgement\n(OE)", False),
    ("SIF re-inspection",
     "Single Inspection of LA Children's Services (SIF) SIF Re-inspection publication date",
     " SIF Re-inspection Overall Judgement\n(OE)", False),
]
# Whole-service frameworks: the strict reading of "was X ever inadequate".
WHOLE_SERVICE = {"single inspection framework", "SIF re-inspection", "ILACS"}


@dataclass(frozen=True)
class Judgement:
    framework: str
    published: date
    overall: str  # as the framework graded it ("Adequate" for the old scale)


@dataclass
class Council:
    dfe: str
    ons: str
    name: str  # la_name as DfE spells it
    region: str
    first_year: int
    forms: set[str] = field(default_factory=set)  # formal spellings (DfE, Ofsted, display)
    aliases: set[str] = field(default_factory=set)  # informal short names from council_aliases.csv
    history: list[Judgement] = field(default_factory=list)
    has_old_row: bool = False

    @property
    def display(self) -> str:
        return display_name(self.name)

    @property
    def latest(self) -> Judgement | None:
        ilacs = [j for j in self.history if j.framework == "ILACS"]
        return max(ilacs, key=lambda j: j.published) if ilacs else None

    def inadequate(self, strict: bool = False) -> list[Judgement]:
        return [j for j in self.history if j.overall == INADEQUATE
                and (not strict or j.framework in WHOLE_SERVICE)]

    def inadequate_events(self, strict: bool = False) -> list[date]:
        """Distinct publication dates with an Inadequate overall judgement (one SLAC inspection
        with both parts inadequate is one event)."""
        return sorted({j.published for j in self.inadequate(strict)})


def display_name(name: str) -> str:
    name = re.sub(r", (City|County) of$", "", name)
    return name.replace("St. ", "St ")


def join_key(name: str) -> str:
    """Normalise a council name for joining sheets that spell it differently."""
    key = display_name(name).lower().replace("&", "and").replace("-", " ")
    key = re.sub(r"\b(borough|county|city of)\b", " ", key)
    return re.sub(r"\s+", " ", key).strip()


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def date_forms(day: date) -> list[str]:
    """A date as the bot may write it: 4 September 2025, 4 Sep 2025, 04/09/2025."""
    return [long_date(day), f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}", day.strftime("%d/%m/%Y")]


def grade_phrase(grade: str) -> str:
    return "Requires improvement" if grade == RI else grade


def deadline_after(published: date, months: int = 6) -> date:
    """Six calendar months after publication, moved to the next working day in England."""
    day = published + relativedelta(months=months)
    bank = holidays.country_holidays("GB", subdiv="ENG", years=[day.year, day.year + 1])
    while day.weekday() >= 5 or day in bank:
        day = date.fromordinal(day.toordinal() + 1)
    return day


def _day(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    return datetime.fromisoformat(text.split(" ")[0]).date()


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


class Facts:
    """Every council with its codes, region, names and full inspection history; brokers; regions."""

    def __init__(self) -> None:
        self.councils: dict[str, Council] = {}  # by DfE code, current councils only
        self.by_ons: dict[str, Council] = {}
        for row in _rows(DATA / "local_authorities.csv"):
            if row["current_2024"] != "True":
                continue
            council = Council(dfe=row["old_la_code"], ons=row["new_la_code"], name=row["la_name"],
                              region=row["gor_name"], first_year=int(row["first_mid_year_in_file"]))
            council.forms |= {row["la_name"], display_name(row["la_name"])}
            self.councils[council.dfe] = council
            self.by_ons[council.ons] = council
        for row in _rows(DATA / "dfe_old_la_codes.csv"):
            if row["new_la_code"] in self.by_ons:
                self.by_ons[row["new_la_code"]].forms.add(row["la_name"])
        for row in _rows(DATA / "council_aliases.csv"):
            if row["ons_code"] in self.by_ons:
                self.by_ons[row["ons_code"]].aliases.add(row["alias"])
        self._load_ilacs()
        self._load_old_frameworks()
        self.brokers = self._load_brokers()
        self.regions = sorted({c.region for c in self.councils.values()})

    def _load_ilacs(self) -> None:
        for row in _rows(OFSTED / "ilacs_inspection_history_2018-2025.csv"):
            council = self.by_ons.get(row["Local authority area code"])
            if council is None:
                continue
            council.forms.add(row["Local authority name"])
            published = _day(row["Publication date"])
            assert published is not None
            council.history.append(Judgement("ILACS", published, row["Overall effectiveness"]))

    def _load_old_frameworks(self) -> None:
        """Join the 2009-2023 sheet (names only, no codes) on normalised names, then check the join
        against the ILACS sheet: the first ILACS publication date must agree."""
        index = {join_key(c.name): c for c in self.councils.values()}
        for row in _rows(OFSTED / "la_inspections_2009-2023.csv"):
            name = row["Local authority name"]
            council = index.get(join_key(name))
            if council is None:
                assert name == "Cumbria", f"no council for {name!r} in la_inspections_2009-2023.csv"
                continue
            first_ilacs = _day(row["First ILACS framework publication date"])
            ilacs_days = {j.published for j in council.history if j.framework == "ILACS"}
            assert first_ilacs is None or first_ilacs in ilacs_days, f"join check failed for {name}"
            council.forms.add(name)
            council.has_old_row = True
            for label, date_column, overall_column, old_scale in OLD_FRAMEWORKS:
                published, overall = _day(row[date_column]), row[overall_column].strip()
                if published is None or not overall:
                    continue
                if old_scale and overall == RI:
                    overall = "Adequate"
                council.history.append(Judgement(label, published, overall))
        for council in self.councils.values():
            council.history.sort(key=lambda j: j.published)

    def _load_brokers(self) -> dict[str, list[str]]:
        """Person -> regions (spelt as local_authorities.csv does)."""
        canonical = {r.lower(): r for r in {c.region for c in self.councils.values()}}
        brokers: dict[str, list[str]] = {}
        for row in _rows(DATA / "roster.csv"):
            if row["role"] != "lead_broker":
                continue
            brokers[row["name"]] = [canonical[r.strip().lower()] for r in row["regions"].split(";") if r.strip()]
        return brokers

    def broker_of_region(self, region: str) -> str:
        names = [name for name, regions in self.brokers.items() if region in regions]
        assert len(names) == 1, region
        return names[0]

    def council(self, name: str) -> Council:
        """A council by its DfE name or display name (exact); fails loudly on a typo in a template."""
        for council in self.councils.values():
            if name in (council.name, council.display) or name in council.forms:
                return council
        raise KeyError(name)

    def in_region(self, region: str) -> list[Council]:
        return sorted((c for c in self.councils.values() if c.region == region), key=lambda c: c.display)


def seed_text(prefix: str) -> str:
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    assert matches, f"seed {prefix} not found in {SEEDS}"
    return matches[0].read_text(encoding="utf-8")
