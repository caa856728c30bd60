"""The Workflows B flows on a real PostgreSQL server: peer reviews, peer challenge, funding and an
Ofsted import (one transaction each, same code as SQLite)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import pytest

from bot.bootstrap import open_database
from bot.cli.imports import run_with
from bot.core.message import Message, UserRef
from bot.router import Router
from bot.services import Services
from tests.conftest import TODAY, make_settings

OFSTED_DATA = Path(__file__).resolve().parents[2] / "storage" / "data" / "ofsted"
AS_AT_CSV = OFSTED_DATA / "ilacs_inspections_as_at_31_March_2025.csv"


def test_workflows_on_postgres(pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
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

        logged = ask("/peerchallenge log Hull to Leeds 0.5 12 Nov 2026")
        assert logged.entities["giver_total_days"] == 0.5  # type: ignore[attr-defined]
        assert ask("/peerchallenge").entities["below_target"] == 153  # type: ignore[attr-defined]

        funding = ask("/funding £2.25m £100k")
        assert sum(r["total_pennies"] for r in funding.entities["regions"].values()) == 225_000_000  # type: ignore[attr-defined]

        lines = AS_AT_CSV.read_text(encoding="utf-8-sig").splitlines()
        barnet = next(line for line in lines if ",E09000003," in line)
        release = tmp_path / "release.csv"
        barnet = barnet.replace("2024-06-10", "2026-09-14").replace("2024-07-23", "2026-10-20")
        barnet = barnet.replace(",Good,Good,Good,Outstanding,Good", ",Inadequate,Inadequate,Inadequate,Good,Good")
        release.write_text(lines[0] + "\n" + barnet + "\n")
        assert run_with(services, argparse.Namespace(file=release, dry_run=False)) == 0
        out = capsys.readouterr().out
        assert "1 added, 0 changed, 0 unchanged, 0 unmatched" in out
        assert "Barnet: judged inadequate, deadline 20 Apr 2027" in out
        assert run_with(services, argparse.Namespace(file=release, dry_run=False)) == 0
        assert "0 added, 0 changed, 1 unchanged" in capsys.readouterr().out
    finally:
        db.dispose()
