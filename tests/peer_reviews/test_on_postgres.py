"""Peer reviews on a real PostgreSQL server: the same migrations and code as SQLite, one
transaction per command."""

from __future__ import annotations

from datetime import date

from bot.services import Services
from tests.acceptance.helpers import Ask


def test_peer_reviews_on_postgres(pg_services: Services, pg_ask: Ask) -> None:
    booked = pg_ask("/peerreview book Harrow 12 Jan 2027 14 Jan 2027 team: Paul Curran")
    assert booked.intent == "peer_review_booked", booked.text
    listing = pg_ask("/peerreview list London")
    assert listing.entities["counts"] == {"2026/27": 1}
    assert [i.council for i in pg_services.peer_reviews.upcoming(date(2027, 1, 1), date(2027, 1, 31))] == ["Harrow"]
    assert pg_ask("/peerreview book Harrow 12 Jan 2027", user="slack:UNOBODY").intent == "permission_denied"
