"""Funding (bulletin 7): a flat lump sum per region plus a variable sum split 50% by number of
councils and 50% by population aged 0-19, summing exactly to the pot in pennies."""

from __future__ import annotations

import random

import pytest

from bot.domain.funding import (
    FundingError,
    RegionBasis,
    allocate,
    fmt_money,
    largest_remainder,
    parse_money,
)

NINE = [
    RegionBasis("E12000001", "North East", 12, 600_560),
    RegionBasis("E12000002", "North West", 24, 1_783_489),
    RegionBasis("E12000003", "Yorkshire and the Humber", 15, 1_305_335),
    RegionBasis("E12000004", "East Midlands", 10, 1_139_556),
    RegionBasis("E12000005", "West Midlands", 14, 1_473_856),
    RegionBasis("E12000006", "East of England", 11, 1_501_563),
    RegionBasis("E12000007", "London", 33, 2_104_265),
    RegionBasis("E12000008", "South East", 19, 2_201_458),
    RegionBasis("E12000009", "South West", 15, 1_237_325),
]


@pytest.mark.parametrize(
    ("text", "pennies"),
    [
        ("£2.25m", 225_000_000),
        ("2.25m", 225_000_000),
        ("2250000", 225_000_000),
        ("£2,250,000", 225_000_000),
        ("£100k", 10_000_000),
        ("100K", 10_000_000),
        ("£1.5 million", 150_000_000),
        ("£100.55", 10_055),
        ("0", 0),
    ],
)
def test_parse_money_accepts_the_ways_people_write_amounts(text: str, pennies: int) -> None:
    assert parse_money(text) == pennies


@pytest.mark.parametrize("text", ["lots", "£", "2.25x", "£1.234", "-5"])
def test_parse_money_refuses_what_it_cannot_read(text: str) -> None:
    with pytest.raises(FundingError):
        parse_money(text)


def test_largest_remainder_sums_exactly_and_gives_leftovers_to_largest_remainders() -> None:
    assert largest_remainder(10, [1, 1, 1]) == [4, 3, 3]
    assert largest_remainder(100, [1, 2, 3, 4]) == [10, 20, 30, 40]
    assert largest_remainder(7, [5, 0, 5]) == [4, 0, 3]
    with pytest.raises(FundingError):
        largest_remainder(10, [0, 0])


def test_split_sums_to_the_pot_for_many_pots_and_lump_sums() -> None:
    """Property: for any pot and any affordable lump sum, every column and the table sum exactly."""
    rng = random.Random(20111212)
    for _ in range(2000):
        pot = rng.randint(1, 10_000_000_00)
        lump = rng.randint(0, pot // len(NINE))
        regions = [RegionBasis(r.key, r.name, rng.randint(1, 40), rng.randint(1, 3_000_000)) for r in NINE]
        table = allocate(pot, lump, regions)
        assert table.total == pot
        assert sum(r.by_councils for r in table.rows) + sum(r.by_population for r in table.rows) == table.variable
        assert all(r.total >= lump for r in table.rows)
        variable = pot - lump * len(regions)
        councils = sum(r.councils for r in regions)
        people = sum(r.population for r in regions)
        for row, basis in zip(table.rows, regions, strict=True):
            # each part is within a penny of its exact share
            assert abs(row.by_councils * councils - (variable // 2) * basis.councils) <= councils
            assert abs(row.by_population * people - (variable - variable // 2) * basis.population) <= people


def test_bulletin_pot_with_a_hundred_thousand_lump_sum() -> None:
    table = allocate(225_000_000, 10_000_000, NINE)
    assert table.total == 225_000_000
    assert table.variable == 135_000_000
    london = next(r for r in table.rows if r.name == "London")
    # London: 33/153 of £675,000 plus 2,104,265/13,347,407 of £675,000
    assert london.by_councils == 14_558_823
    assert london.total == 35_200_432
    assert max(table.rows, key=lambda r: r.total).name == "London"


def test_lump_sums_larger_than_the_pot_are_refused() -> None:
    with pytest.raises(FundingError, match="come to more than the pot"):
        allocate(100_000_00, 20_000_00, NINE)
    with pytest.raises(FundingError):
        allocate(0, 0, NINE)


def test_fmt_money() -> None:
    assert fmt_money(225_000_000) == "£2,250,000"
    assert fmt_money(35_200_432) == "£352,004.32"
    assert fmt_money(100, pence=True) == "£1.00"


def test_funding_command_default_table_sums_to_the_pot(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/funding")
    assert reply.intent == "funding"
    regions = reply.entities["regions"]
    assert len(regions) == 9
    assert sum(r["total_pennies"] for r in regions.values()) == 225_000_000
    assert reply.entities["lump_sum_pennies"] == 10_000_000
    assert sum(r["councils"] for r in regions.values()) == 153
    assert regions["London"]["population_0_19"] == 2_104_265  # ONS mid-2023
    assert reply.entities["ons_mid_year"] == 2023
    assert reply.facts[-1].label == "Total" and reply.facts[-1].value == "£2,250,000.00"
    assert reply.text.startswith("£2,250,000 split between 9 regions")


def test_funding_command_takes_pot_and_lump_sum(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("/funding £3.1m £150k")
    assert reply.entities["pot_pennies"] == 310_000_000
    assert reply.entities["lump_sum_pennies"] == 15_000_000
    assert sum(r["total_pennies"] for r in reply.entities["regions"].values()) == 310_000_000
    assert all(r["lump_sum_pennies"] == 15_000_000 for r in reply.entities["regions"].values())
    odd = ask("/funding 1000000.01 0")
    assert sum(r["total_pennies"] for r in odd.entities["regions"].values()) == 100_000_001


def test_funding_command_bad_input(ask) -> None:  # type: ignore[no-untyped-def]
    unreadable = ask("/funding lots")
    assert unreadable.kind == "error" and unreadable.ephemeral
    assert "can't read “lots”" in unreadable.text
    too_big = ask("/funding £500k £100k")
    assert too_big.kind == "error" and "come to more than the pot of £500,000" in too_big.text
    assert ask("/funding 1 2 3").kind == "error"
