"""Splitting the regional sector-led improvement pot (bulletin 7, seed `004_77f8c6ff52eca5f8.txt`).

"A total of £2.25m has been allocated to regions for this financial year ... based on a flat rate
lump sum per region plus a variable sum which is based 50% on the number of local authorities and
50% on the number of young people aged 0-19."

All arithmetic is in integer pennies. Each part (councils half, population half) is shared out
with the largest-remainder method, so every column and the whole table add up to the pot exactly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_POT_PENNIES = 2_250_000_00  # £2.25m (bulletin 7, 2011/12)
DEFAULT_LUMP_SUM_PENNIES = 100_000_00  # £100,000 per region: a parameter; the bulletin gives no figure

_MONEY = re.compile(r"^£?\s*(\d[\d,]*(?:\.\d+)?|\.\d+)\s*(k|m|bn|thousand|million)?$")
_MULTIPLIERS = {None: 1, "k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000, "bn": 1_000_000_000}


@dataclass(frozen=True)
class RegionBasis:
    """What one region's share is based on: its number of councils and population aged 0-19."""

    key: str
    name: str
    councils: int
    population: int


@dataclass(frozen=True)
class RegionAllocation:
    key: str
    name: str
    councils: int
    population: int
    lump_sum: int  # pennies
    by_councils: int  # pennies
    by_population: int  # pennies

    @property
    def total(self) -> int:
        return self.lump_sum + self.by_councils + self.by_population


@dataclass(frozen=True)
class FundingTable:
    pot: int  # pennies
    lump_sum: int  # pennies per region
    rows: tuple[RegionAllocation, ...]

    @property
    def variable(self) -> int:
        return self.pot - self.lump_sum * len(self.rows)

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


class FundingError(ValueError):
    """Parameters that cannot be shared out; the message is for the user."""


def largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """Share `total` (whole units) in proportion to `weights`; the parts add up to `total` exactly.

    Each part is its exact quota rounded down; the units left over go one each to the parts with
    the largest remainders (ties: the earlier part first, so the result is deterministic).
    """
    if total < 0:
        raise FundingError("Cannot share out a negative amount.")
    weight_sum = sum(weights)
    if any(w < 0 for w in weights) or weight_sum <= 0:
        raise FundingError("Shares need positive weights.")
    floors = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    leftover = total - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:leftover]:
        floors[i] += 1
    return floors


def allocate(pot: int, lump_sum: int, regions: Sequence[RegionBasis]) -> FundingTable:
    """Split `pot` pennies: `lump_sum` pennies per region, then the rest 50/50 by councils and by
    population aged 0-19. Raises `FundingError` when the lump sums alone exceed the pot."""
    if not regions:
        raise FundingError("There are no regions to share the pot between.")
    if pot <= 0:
        raise FundingError("The pot must be more than £0.")
    if lump_sum < 0:
        raise FundingError("The lump sum can't be negative.")
    lumps = lump_sum * len(regions)
    if lumps > pot:
        raise FundingError(
            f"{len(regions)} lump sums of {fmt_money(lump_sum)} ({fmt_money(lumps)}) come to more than "
            f"the pot of {fmt_money(pot)}: lower the lump sum or raise the pot."
        )
    variable = pot - lumps
    by_councils_total = variable // 2
    by_population_total = variable - by_councils_total
    by_councils = largest_remainder(by_councils_total, [r.councils for r in regions])
    by_population = largest_remainder(by_population_total, [r.population for r in regions])
    rows = tuple(
        RegionAllocation(
            key=r.key, name=r.name, councils=r.councils, population=r.population,
            lump_sum=lump_sum, by_councils=c, by_population=p,
        )
        for r, c, p in zip(regions, by_councils, by_population, strict=True)
    )
    return FundingTable(pot=pot, lump_sum=lump_sum, rows=rows)


MAX_POT_PENNIES = 10**12  # £10bn: far above any real pot, so a larger figure is a typo


def parse_money(text: str) -> int:
    """`£2.25m`, `2.25m`, `2250000`, `£2,250,000`, `£100k`, `£1.5 million` -> pennies."""
    raw = text
    cleaned = text.strip().lower().replace(" ", "")
    cleaned = cleaned.replace("million", "m").replace("thousand", "k")
    match = _MONEY.match(cleaned)
    if not match:
        raise FundingError(
            f"I can't read “{raw}” as an amount of money. Write it like £2.25m, 2250000, £2,250,000 or £100k."
        )
    number, unit = match.group(1).replace(",", ""), match.group(2)
    whole, _, fraction = number.partition(".")
    multiplier = _MULTIPLIERS[unit] * 100  # pennies
    # exact decimal arithmetic: whole part times multiplier plus the fraction scaled down
    pennies_num = int(whole or "0") * multiplier * 10 ** len(fraction) + int(fraction or "0") * multiplier
    pennies, rest = divmod(pennies_num, 10 ** len(fraction))
    if rest:
        raise FundingError(f"“{raw}” has fractions of a penny.")
    if pennies > MAX_POT_PENNIES:
        raise FundingError(f"“{raw}” is more than £10bn; write the amount again (for example £2.25m).")
    return pennies


def fmt_money(pennies: int, *, pence: bool = False) -> str:
    """`£2,250,000` (whole pounds unless `pence` or the amount has pence)."""
    pounds, rest = divmod(abs(pennies), 100)
    sign = "-" if pennies < 0 else ""
    if pence or rest:
        return f"{sign}£{pounds:,}.{rest:02d}"
    return f"{sign}£{pounds:,}"
