"""Peer challenge on a real PostgreSQL server: the same migrations and code
as SQLite, one transaction per command."""

from __future__ import annotations

from bot.bootstrap import open_database
from bot.core.message import Message, UserRef
from bot.router import Router
from bot.services import Services
from tests.conftest import TODAY, make_settings


def test_peer_challenge_on_postgres(pg_url: str) -> None:
    settings = make_settings(pg_url)
    db = open_database(settings)
    try:
        services = Services.create(settings, db)
        router = Router(services)

        def ask(text: str, user: str = "console:local") -> object:
            return router.handle(Message(text=text, user=UserRef.parse(user), as_of=TODAY))

        logged = ask("/peerchallenge log Hull to Leeds 0.5 12 Nov 2026")
        assert logged.entities["giver_total_days"] == 0.5  # type: ignore[attr-defined]
        assert ask("/peerchallenge").entities["below_target"] == 153  # type: ignore[attr-defined]
    finally:
        db.dispose()
