"""`python -m bot import ofsted FILE`: Ofsted's published spreadsheet (all sheets) or a CSV of one
sheet; matched on ONS code; counts; idempotent; new Inadequate opens an escalation; a malformed
file is refused with sheet, row and column and changes nothing."""

from __future__ import annotations

import argparse
import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sqlmodel import delete, func, select

from bot.cli.imports import run_with
from bot.services import Services
from storage.ofsted_files import column_letter
from storage.tables import AuditEntry, InterventionEvent, OfstedJudgement

ROOT = Path(__file__).resolve().parents[2]
ODS = ROOT / "tests" / "data" / "ofsted" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
HISTORY_CSV = ROOT / "storage" / "data" / "ofsted" / "ilacs_inspection_history_2018-2025.csv"
AS_AT_CSV = ROOT / "storage" / "data" / "ofsted" / "ilacs_inspections_as_at_31_March_2025.csv"


def run_import(services: Services, path: Path, capsys: pytest.CaptureFixture[str], dry_run: bool = False
               ) -> tuple[int, str, str]:
    code = run_with(services, argparse.Namespace(file=path, dry_run=dry_run))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def counts(services: Services) -> tuple[int, int, int]:
    with services.db.session() as session:
        return (
            session.exec(select(func.count()).select_from(OfstedJudgement)).one(),
            session.exec(select(func.count()).select_from(InterventionEvent)).one(),
            session.exec(select(func.count()).select_from(AuditEntry)).one(),
        )


def forget_judgements(services: Services) -> None:
    """Test set-up: an install that has never loaded any Ofsted data."""
    with services.db.session() as session:
        session.exec(delete(InterventionEvent))  # type: ignore[call-overload]
        session.exec(delete(OfstedJudgement))  # type: ignore[call-overload]


def test_real_ods_and_history_csv_match_the_seeded_data(services: Services, capsys) -> None:  # type: ignore[no-untyped-def]
    before = counts(services)
    code, out, _ = run_import(services, ODS, capsys)
    assert code == 0
    assert "0 added, 0 changed, 271 unchanged, 0 unmatched" in out
    assert "Sheets read: Inspections_as_at_31_March, In-year_inspections, ILACS_inspection_history" in out
    assert "skipped: Cover, Contents, Notes" in out
    assert "visits without a judgement skipped: 60" in out
    code, out, _ = run_import(services, HISTORY_CSV, capsys)
    assert code == 0 and "0 added, 0 changed, 271 unchanged, 0 unmatched" in out
    assert counts(services) == before


def test_first_import_adds_everything_opens_escalations_and_is_idempotent(  # type: ignore[no-untyped-def]
    services: Services, capsys
) -> None:
    forget_judgements(services)
    code, out, _ = run_import(services, ODS, capsys)
    assert code == 0, out
    assert "271 added, 0 changed, 0 unchanged, 0 unmatched" in out
    # 19 current councils' latest judgement is Inadequate (Ofsted, as at 31 March 2025)
    assert "Escalations opened: 19" in out
    judgements, events, audits = counts(services)
    assert (judgements, events) == (271, 19)
    with services.db.session() as session:
        platforms = set(session.exec(select(AuditEntry.actor_platform)).all())
        assert platforms == {"cli"}
        assert audits == 271 + 19
    code, out, _ = run_import(services, ODS, capsys)
    assert "0 added, 0 changed, 271 unchanged, 0 unmatched" in out and "Escalations" not in out
    assert counts(services) == (271, 19, 290)


def test_as_at_csv_and_history_csv_in_either_order(services: Services, capsys) -> None:  # type: ignore[no-untyped-def]
    forget_judgements(services)
    run_import(services, HISTORY_CSV, capsys)
    code, out, _ = run_import(services, AS_AT_CSV, capsys)  # no type column: keeps the stored types
    assert code == 0 and "0 added, 0 changed, 153 unchanged" in out
    forget_judgements(services)
    code, out, _ = run_import(services, AS_AT_CSV, capsys)
    assert "153 added" in out
    code, out, _ = run_import(services, HISTORY_CSV, capsys)
    # the history adds the 118 earlier inspections and gives short inspections their type
    assert code == 0 and "118 added" in out and "0 unmatched" in out
    changed = int(out.split(" changed")[0].rsplit(", ", 1)[1])
    assert changed > 0  # as-at rows that were short inspections got their type
    with services.db.session() as session:
        assert session.exec(select(func.count()).select_from(OfstedJudgement)).one() == 271
        short = session.exec(select(func.count()).select_from(OfstedJudgement)
                             .where(OfstedJudgement.inspection_type == "ILACS Short Inspection")).one()
        assert short == 100  # as many as the history lists


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def as_at_header() -> list[str]:
    with AS_AT_CSV.open(encoding="utf-8-sig") as handle:
        return next(csv.reader(handle))


def test_new_release_adds_changes_and_opens_an_escalation(  # type: ignore[no-untyped-def]
    services: Services, ask, capsys, tmp_path: Path
) -> None:
    link = "Ofsted Local Authority Webpage"
    rows = [
        # Barnet: a new inspection judged Inadequate, published 20 October 2026
        [link, "E09000003", "Barnet", "London", "2026-09-14", "2026-10-20", "Inadequate", "Inadequate",
         "Inadequate", "Requires improvement to be good", "Inadequate"],
        # Barking and Dagenham: its care leavers sub-judgement revised
        [link, "E09000002", "Barking and Dagenham", "London", "2023-07-10", "2023-09-04",
         "Requires improvement to be good", "Requires improvement to be good", "Requires improvement to be good",
         "Requires improvement to be good", "Outstanding"],
        # a code no council has
        [link, "E09999999", "Nowhere", "London", "2024-01-01", "2024-02-01", "Good", "Good", "Good", "Good", "Good"],
    ]
    path = write_csv(tmp_path / "release.csv", as_at_header(), rows)
    code, out, _ = run_import(services, path, capsys)
    assert code == 0, out
    assert "1 added, 1 changed, 0 unchanged, 1 unmatched" in out
    assert "Unmatched ONS codes: E09999999" in out
    assert "Barnet: judged inadequate, deadline 20 Apr 2027" in out  # six months from publication
    card = ask("/council Barnet")
    assert card.entities["overall"] == "Inadequate" and card.entities["deadline"] == "2027-04-20"
    audit = ask("/audit Barnet")
    assert audit.entities["count"] == 2
    assert any("Ofsted import via cli" in line for line in audit.sections[0].lines)
    code, out, _ = run_import(services, path, capsys)  # idempotent
    assert "0 added, 0 changed, 2 unchanged, 1 unmatched" in out and "Escalations" not in out
    with services.db.session() as session:
        events = session.exec(select(InterventionEvent).where(InterventionEvent.council_id == card_id(services))).all()
        assert [(e.stage, e.event_date, e.deadline) for e in events][-1] == (
            "judged_inadequate", date(2026, 10, 20), date(2027, 4, 20))


def card_id(services: Services) -> int:
    match = services.directory.resolve_council("Barnet").match
    assert match is not None
    return match


def test_dry_run_writes_nothing(services: Services, capsys) -> None:  # type: ignore[no-untyped-def]
    forget_judgements(services)
    code, out, _ = run_import(services, ODS, capsys, dry_run=True)
    assert code == 0 and out.startswith("Dry run (nothing written): ") and "271 added" in out
    assert counts(services) == (0, 0, 0)


def first_cell(path: Path, value: str) -> tuple[str, int, int]:
    """(sheet, 1-based row, 0-based column) of the first cell holding `value`, in document order."""
    workbook = CalamineWorkbook.from_path(str(path))
    for name in workbook.sheet_names:
        for r, row in enumerate(workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)):
            for c, cell in enumerate(row):
                if cell == value:
                    return name, r + 1, c
    raise AssertionError(value)


def test_corrupted_ods_is_refused_with_sheet_row_and_column(  # type: ignore[no-untyped-def]
    services: Services, capsys, tmp_path: Path
) -> None:
    forget_judgements(services)  # a valid file would add 271 rows: the refusal must add none
    sheet, row, column = first_cell(ODS, "Inadequate")
    corrupted = tmp_path / "corrupted.ods"
    with zipfile.ZipFile(ODS) as source, zipfile.ZipFile(corrupted, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "content.xml":
                data = data.replace(b"<text:p>Inadequate</text:p>", b"<text:p>Inadequat</text:p>", 1)
            target.writestr(info, data)
    code, _, err = run_import(services, corrupted, capsys)
    assert code == 1
    assert "nothing was changed" in err
    assert (f"sheet “{sheet}”, row {row}, column {column_letter(column)} (Overall effectiveness): "
            "“Inadequat” is not an Ofsted grade") in err
    assert counts(services) == (0, 0, 0)


def test_corrupted_csv_bad_date_and_missing_column(services: Services, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = counts(services)
    with HISTORY_CSV.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    date_column = header.index("Inspection date")
    body[8][date_column] = "31/02/2024"  # spreadsheet row 10
    code, _, err = run_import(services, write_csv(tmp_path / "bad_date.csv", header, body), capsys)
    assert code == 1
    assert f"row 10, column {column_letter(date_column)} (Inspection date): “31/02/2024” is not a date" in err
    overall = header.index("Overall effectiveness")
    trimmed = [[cell for i, cell in enumerate(row) if i != overall] for row in rows]
    code, _, err = run_import(services, write_csv(tmp_path / "no_overall.csv", trimmed[0], trimmed[1:]), capsys)
    assert code == 1
    assert "row 1 (column “Overall effectiveness”): required column is missing" in err
    text = io.StringIO()
    csv.writer(text).writerows([["Name", "Score"], ["Barnet", "1"]])
    unrelated = tmp_path / "unrelated.csv"
    unrelated.write_text(text.getvalue())
    code, _, err = run_import(services, unrelated, capsys)
    assert code == 1 and "No sheet in unrelated.csv has Ofsted's judgement columns" in err
    assert counts(services) == before
