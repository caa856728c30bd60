"""Funding on a real PostgreSQL server: the same migrations and code
as SQLite, one transaction per command."""

from __future__ import annotations

from bot.bootstrap import open_database
from bot.core.message import Message, UserRef
from bot.router import Router
from bot.services import Services
from tests.conftest import TODAY, make_settings


def test_funding_on_postgres(pg_url: str) -> None:
    settings = make_settings(pg_url)
    db = open_database(settings)
    try:
        services = Services.create(settings, db)
        router = Router(services)

        def ask(text: str, user: str = "console:local") -> object:
            return router.handle(Message(text=text, user=UserRef.parse(user), as_of=TODAY))

        funding = ask("/funding £2.25m £100k")
        assert sum(r["total_pennies"] for r in funding.entities["regions"].values()) == 225_000_000  # type: ignore[attr-defined]
    finally:
        db.dispose()
