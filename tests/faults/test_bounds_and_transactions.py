"""Dates out of bounds are refused before anything is written, and a command's write is committed
only together with its reply: no "something went wrong" after a commit."""

from __future__ import annotations

import pytest

from bot.core.errors import BadDate
from bot.domain.dates import parse_date
from bot.services import Services
from tests.conftest import TODAY
from tests.linking import BROKER_USER, link_paul


@pytest.mark.parametrize("text", ["31/12/9999", "9999-12-31", "1/1/1899", "31 Dec 2101", "Jan 1 1999"])
def test_years_outside_2000_to_2100_are_refused_with_the_accepted_formats(text: str) -> None:
    with pytest.raises(BadDate) as refused:
        parse_date(text, TODAY)
    message = str(refused.value)
    assert "between 2000 and 2100" in message and text in message
    assert "Dates can be written 2025-11-30, 30/11/2025" in message


def test_the_edges_of_the_accepted_years_are_dates() -> None:
    assert parse_date("1/1/2000", TODAY).year == 2000
    assert parse_date("31/12/2100", TODAY).year == 2100


def test_booking_a_review_in_year_9999_is_refused_and_the_list_still_works(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    link_paul(services)
    refused = ask("/peerreview book Harrow 31/12/9999", user=BROKER_USER)
    assert refused.kind == "error" and refused.intent == "bad_date", refused.text
    assert "between 2000 and 2100" in refused.text and "Dates can be written" in refused.text
    harrow = services.directory.resolve_council("Harrow").match
    assert harrow is not None and services.peer_reviews.for_council(harrow, None) == []
    listing = ask("/peerreview list", user="slack:USOMEONE")
    assert listing.kind != "error" and listing.intent != "error", listing.text


def test_signup_with_a_date_in_year_9999_is_refused(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    link_paul(services)
    refused = ask("/signup London dcs agreed 31/12/9999", user=BROKER_USER)
    assert refused.intent == "bad_date" and "between 2000 and 2100" in refused.text, refused.text
    assert services.audit.region_history("E12000007") == []


def test_plain_english_with_a_year_out_of_bounds_is_a_bad_date(ask) -> None:  # type: ignore[no-untyped-def]
    reply = ask("which deadlines are due before 31/12/9999?")
    assert reply.intent == "bad_date" and "between 2000 and 2100" in reply.text, reply.text


def test_huge_numbers_are_refusals_not_database_errors(ask, services: Services) -> None:  # type: ignore[no-untyped-def]
    link_paul(services)
    review = ask("/peerreview show #99999999999999999999")
    assert review.kind == "error" and review.intent != "error" and "no peer review" in review.text, review.text
    training = ask("/peerreview training signup 99999999999999 Liz Cole", user=BROKER_USER)
    assert training.kind == "error" and training.intent != "error" and "no training event" in training.text
    places = ask("/peerreview training add 12/1/2027 Leeds 99999999999999999999", user=BROKER_USER)
    assert places.kind == "error" and places.intent != "error" and "1 to 500" in places.text, places.text
    pot = ask("/funding 99999999999999999999")
    assert pot.kind == "error" and pot.intent != "error" and "£10bn" in pot.text, pot.text


def test_a_reply_that_fails_after_the_write_leaves_nothing_written(
    ask, services: Services, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    """The write succeeds, then building its reply fails: the person gets the apology and the
    booking is rolled back with it (before, the row was committed behind the apology)."""
    link_paul(services)

    def broken_count(_start: object) -> int:
        raise RuntimeError("reply building failed")

    monkeypatch.setattr(services.peer_reviews, "count_in_programme_year", broken_count)
    reply = ask("/peerreview book Harrow 12/1/2027", user=BROKER_USER)
    assert reply.intent == "error" and "something went wrong" in reply.text
    harrow = services.directory.resolve_council("Harrow").match
    assert harrow is not None and services.peer_reviews.for_council(harrow, None) == []
    assert services.audit.history("council", "E09000022") == []
    monkeypatch.undo()
    booked = ask("/peerreview book Harrow 12/1/2027", user=BROKER_USER)
    assert booked.intent != "error" and "Booked peer review" in booked.text, booked.text
    assert len(services.peer_reviews.for_council(harrow, None)) == 1
