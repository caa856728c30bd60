"""The regional funding table: councils per region from the database, ONS 0-19 population from
the bundled mid-year estimates, and the split from :mod:`bot.domain.funding` (bulletin 7)."""

from __future__ import annotations

from sqlmodel import select

from bot.domain.funding import DEFAULT_LUMP_SUM_PENNIES, DEFAULT_POT_PENNIES, FundingTable, RegionBasis, allocate
from bot.services.directory import council_counts_by_region
from storage.db import Database
from storage.ons import region_population_0_19
from storage.tables import Region


class FundingService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def basis(self) -> tuple[list[RegionBasis], int]:
        """Each region's current councils and 0-19 population, and the ONS mid-year used."""
        population = region_population_0_19()
        with self.db.session() as session:
            counts = council_counts_by_region(session)
            regions = session.exec(select(Region).order_by(Region.code)).all()
            basis = [
                RegionBasis(
                    key=r.code, name=r.name, councils=int(counts.get(r.id or 0, 0)),
                    population=population.by_region_code.get(r.code, 0),
                )
                for r in regions
            ]
        return basis, population.mid_year

    def table(
        self, pot: int = DEFAULT_POT_PENNIES, lump_sum: int = DEFAULT_LUMP_SUM_PENNIES
    ) -> tuple[FundingTable, int]:
        """The split of `pot` pennies with `lump_sum` pennies per region; also the ONS mid-year used."""
        basis, mid_year = self.basis()
        return allocate(pot, lump_sum, basis), mid_year
