"""Peer reviews on a real PostgreSQL server: the same migrations and code
as SQLite, one transaction per command."""

from __future__ import annotations

from datetime import date

from bot.bootstrap import open_database
from bot.core.message import Message, UserRef
from bot.router import Router
from bot.services import Services
from tests.conftest import TODAY, make_settings


def test_peer_reviews_on_postgres(pg_url: str) -> None:
    settings = make_settings(pg_url)
    db = open_database(settings)
    try:
        services = Services.create(settings, db)
        router = Router(services)

        def ask(text: str, user: str = "console:local") -> object:
            return router.handle(Message(text=text, user=UserRef.parse(user), as_of=TODAY))

        booked = ask("/peerreview book Harrow 12 Jan 2027 14 Jan 2027 team: Paul Curran")
        assert booked.intent == "peer_review_booked", booked.text  # type: ignore[attr-defined]
        listing = ask("/peerreview list London")
        assert listing.entities["counts"] == {"2026/27": 1}  # type: ignore[attr-defined]
        assert [i.council for i in services.peer_reviews.upcoming(date(2027, 1, 1), date(2027, 1, 31))] == ["Harrow"]
        assert ask("/peerreview book Harrow 12 Jan 2027", user="slack:UNOBODY").intent == "permission_denied"  # type: ignore[attr-defined]
    finally:
        db.dispose()
