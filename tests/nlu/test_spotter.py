"""Spotting council, region and person mentions in free text."""

from __future__ import annotations

import pytest

from bot.nlu.spotter import Spotter
from bot.services import Services


def names(services: Services, text: str) -> list[tuple[str, str]]:
    spotter = Spotter(services.directory)
    found = []
    for mention in spotter.spot(text).mentions:
        if mention.kind == "council":
            found.append(("council", services.directory.council(mention.id).name))
        elif mention.kind == "region":
            found.append(("region", services.directory.region(mention.id).name))
        elif mention.kind == "ambiguous":
            councils = services.directory.councils(spotter.groups[mention.id])
            found.append(("ambiguous", " or ".join(c.name for c in councils)))
        else:
            found.append(("person", services.directory.person(mention.id).name))
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How is Hertfordshre doing?", ("council", "Hertfordshire")),
        ("Knowlsey deadline", ("council", "Knowsley")),
        ("how is middlesborough", ("council", "Middlesbrough")),
        ("who's the broker for hull", ("council", "Kingston upon Hull")),
        ("is Durham inadequate", ("council", "County Durham")),
        ("Telford?", ("council", "Telford and Wrekin")),
        ("what about the Wirral", ("council", "Wirral")),
        ("B&NES status", ("council", "Bath and North East Somerset")),
        ("St. Helens", ("council", "St. Helens")),
        ("Knowsley's deadline", ("council", "Knowsley")),
        ("who covers East Riding", ("council", "East Riding of Yorkshire")),
        ("the North West", ("region", "North West")),
        ("NW councils", ("region", "North West")),
        ("Eastern", ("region", "East of England")),
        ("Yorkshire & Humber", ("region", "Yorkshire and the Humber")),
        ("West Mids", ("region", "West Midlands")),
        ("the northwest", ("region", "North West")),
        ("what does paul curran cover", ("person", "Paul Curran")),
    ],
)
def test_forgiving_names_resolve(services: Services, text: str, expected: tuple[str, str]) -> None:
    assert names(services, text) == [expected]


def test_longest_name_wins_over_a_region_inside_it(services: Services) -> None:
    assert names(services, "north east lincolnshire") == [("council", "North East Lincolnshire")]
    assert names(services, "East Sussex and the North East") == [
        ("council", "East Sussex"), ("region", "North East")]


def test_everyday_words_are_not_taken_for_councils(services: Services) -> None:
    assert names(services, "which people are dealing with this") == []
    assert names(services, "I was reading the report about brokers") == []
    assert names(services, "who is the lead for the East of England") == [("region", "East of England")]


def test_a_name_several_councils_share_is_not_guessed(services: Services) -> None:
    # Kingston upon Thames or Kingston upon Hull: spotted as both, so the engine asks which.
    assert names(services, "Kingston") == [("ambiguous", "Kingston upon Hull or Kingston upon Thames")]
    assert names(services, "how's sussex doing") == [("ambiguous", "East Sussex or West Sussex")]
    assert names(services, "is northants inadequate") == [
        ("ambiguous", "North Northamptonshire or West Northamptonshire")]


def test_short_forms_with_a_direction(services: Services) -> None:
    assert names(services, "S Glos") == [("council", "South Gloucestershire")]
    assert names(services, "n yorks broker") == [("council", "North Yorkshire")]
    assert names(services, "W Mids") == [("region", "West Midlands")]


def test_a_fuzzy_match_keeps_the_first_letter(services: Services) -> None:
    assert names(services, "how is Wessex doing") == []
    assert names(services, "cornwal") == [("council", "Cornwall")]


def test_first_names_count_only_when_capitalised(services: Services) -> None:
    assert names(services, "what about Dave?") == [("person", "Dave Smith")]
    assert names(services, "is that clear to alex") == []
