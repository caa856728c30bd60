"""Funding on a real PostgreSQL server: the same migrations and code as SQLite, one
transaction per command."""

from __future__ import annotations

from tests.acceptance.helpers import Ask


def test_funding_on_postgres(pg_ask: Ask) -> None:
    funding = pg_ask("/funding £2.25m £100k")
    assert sum(r["total_pennies"] for r in funding.entities["regions"].values()) == 225_000_000
