"""Peer challenge on a real PostgreSQL server: the same migrations and code as SQLite, one
transaction per command."""

from __future__ import annotations

from tests.acceptance.helpers import Ask


def test_peer_challenge_on_postgres(pg_ask: Ask) -> None:
    logged = pg_ask("/peerchallenge log Hull to Leeds 0.5 12 Nov 2026")
    assert logged.entities["giver_total_days"] == 0.5
    assert pg_ask("/peerchallenge").entities["below_target"] == 153
