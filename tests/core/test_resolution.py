"""Forgiving council and region names."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from storage.seed import DATA_DIR


def ofsted_rows() -> list[dict[str, str]]:
    with (DATA_DIR / "ofsted" / "ilacs_inspections_as_at_31_March_2025.csv").open(encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def test_every_ofsted_spelling_resolves_to_the_council_with_that_ons_code(services) -> None:  # type: ignore[no-untyped-def]
    rows = ofsted_rows()
    assert len(rows) == 153
    wrong = []
    for row in rows:
        resolution = services.directory.resolve_council(row["Local authority name"])
        found = services.directory.council(resolution.match).ons_code if resolution.match else None
        if found != row["Local authority area code"]:
            wrong.append((row["Local authority name"], found))
    assert wrong == []


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Hull", "Kingston upon Hull"),
        ("hull city council", "Kingston upon Hull"),
        ("Durham", "County Durham"),
        ("Telford", "Telford and Wrekin"),
        ("Telford & Wrekin", "Telford and Wrekin"),
        ("Bristol", "Bristol"),
        ("City of Bristol", "Bristol"),
        ("St. Helens", "St. Helens"),
        ("st helens", "St. Helens"),
        ("B&NES", "Bath and North East Somerset"),
        ("Brighton", "Brighton and Hove"),
        ("Hertfordshre", "Hertfordshire"),
        ("Sheffeld", "Sheffield"),
        ("the Wirral", "Wirral"),
        ("London Borough of Harrow", "Harrow"),
        ("HARROW", "Harrow"),
        ("Harrow's", "Harrow"),
        ("Bournemouth, Christchurch & Poole", "Bournemouth, Christchurch and Poole"),
        ("Herefordshire, County of", "Herefordshire"),
        ("Stoke", "Stoke-on-Trent"),
    ],
)
def test_informal_names_and_misspellings_resolve(services, typed: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    resolution = services.directory.resolve_council(typed)
    assert resolution.match is not None, resolution
    assert services.directory.council(resolution.match).name == expected


def test_two_close_councils_are_ambiguous(services) -> None:  # type: ignore[no-untyped-def]
    resolution = services.directory.resolve_council("Kingston")
    assert resolution.match is None and resolution.ambiguous
    names = {services.directory.council(i).name for i in resolution.candidates}
    assert {"Kingston upon Hull", "Kingston upon Thames"} <= names


def test_nonsense_gets_no_match(services) -> None:  # type: ignore[no-untyped-def]
    assert services.directory.resolve_council("Atlantis Under Sea").match is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Eastern", "East of England"),
        ("Yorkshire & Humber", "Yorkshire and the Humber"),
        ("Greater London", "London"),
        ("the North West", "North West"),
        ("NW", "North West"),
        ("west mids", "West Midlands"),
        ("south-west", "South West"),
    ],
)
def test_region_aliases(services, typed: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    resolution = services.directory.resolve_region(typed)
    assert resolution.match is not None
    assert services.directory.region(resolution.match).name == expected


def test_bundled_data_is_inside_the_package() -> None:
    assert Path(DATA_DIR).is_relative_to(Path(__file__).parents[2] / "storage")
