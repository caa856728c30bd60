"""ONS population figures bundled with the project (`storage/data/ons/`, OGL v3.0)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

ONS_DIR = Path(__file__).parent / "data" / "ons"
REGION_POPULATION_FILE = ONS_DIR / "region_population_0_19_mid2022_mid2023.csv"


@dataclass(frozen=True)
class RegionPopulation:
    """Population aged 0-19 by region code (E12...) for one ONS mid-year estimate."""

    mid_year: int
    by_region_code: dict[str, int]
    source_file: str


def region_population_0_19(mid_year: int | None = None, path: Path = REGION_POPULATION_FILE) -> RegionPopulation:
    """The 0-19 population of each English region for `mid_year` (default: the latest in the file)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = [r for r in csv.DictReader(handle) if r["region_code"].startswith("E12")]
    year = mid_year if mid_year is not None else max(int(r["mid_year"]) for r in rows)
    chosen = [r for r in rows if int(r["mid_year"]) == year]
    if not chosen:
        raise LookupError(f"no ONS 0-19 population for mid-{year} in {path.name}")
    return RegionPopulation(
        mid_year=year,
        by_region_code={r["region_code"]: int(r["pop_0_19"]) for r in chosen},
        source_file=chosen[0]["source_file"],
    )
