"""An Ofsted import on a real PostgreSQL server: the same migrations and code
as SQLite, one transaction per command."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bot.cli.imports import run_with
from bot.services import Services

OFSTED_DATA = Path(__file__).resolve().parents[2] / "storage" / "data" / "ofsted"
AS_AT_CSV = OFSTED_DATA / "ilacs_inspections_as_at_31_March_2025.csv"


def test_ofsted_import_on_postgres(pg_services: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = AS_AT_CSV.read_text(encoding="utf-8-sig").splitlines()
    barnet = next(line for line in lines if ",E09000003," in line)
    release = tmp_path / "release.csv"
    barnet = barnet.replace("2024-06-10", "2026-09-14").replace("2024-07-23", "2026-10-20")
    barnet = barnet.replace(",Good,Good,Good,Outstanding,Good", ",Inadequate,Inadequate,Inadequate,Good,Good")
    release.write_text(lines[0] + "\n" + barnet + "\n")
    assert run_with(pg_services, argparse.Namespace(file=release, dry_run=False)) == 0
    out = capsys.readouterr().out
    assert "1 added, 0 changed, 0 unchanged, 0 unmatched" in out
    assert "Barnet: judged inadequate, deadline 20 Apr 2027" in out
    assert run_with(pg_services, argparse.Namespace(file=release, dry_run=False)) == 0
    assert "0 added, 0 changed, 1 unchanged" in capsys.readouterr().out
