"""Reading Ofsted's published local authority inspection outcomes, as published.

Ofsted publishes an OpenDocument spreadsheet (`LA_Inspection_Outcomes_as_at_31_March_2025.ods`)
whose sheets include `Inspections_as_at_31_March`, `In-year_inspections` and
`ILACS_inspection_history`; people also pass a CSV export of one sheet. Sheets are recognised by
their header row (not their names, which change between releases): a row holding
"Local authority area code" plus an inspection date and "Overall effectiveness". Cover, contents
and notes sheets are skipped.

Everything is validated before anything is written: a missing required column, a bad date or an
unknown grade raises :class:`OfstedFileError` naming the sheet, row and column at fault.
python-calamine reads ODS and XLSX without pandas.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from python_calamine import CalamineWorkbook

GRADES = ("Outstanding", "Good", "Requires improvement to be good", "Inadequate")
_GRADE_LOOKUP = {g.lower(): g for g in GRADES} | {"requires improvement": "Requires improvement to be good"}
_ONS_CODE = re.compile(r"^E\d{8}$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
HEADER_SCAN_ROWS = 15
MAX_REPORTED_PROBLEMS = 10
DEFAULT_TYPE = "ILACS Standard Inspection"

# field -> header names used by Ofsted's sheets (compared case- and space-insensitively)
CODE = ("local authority area code", "la code", "ons code")
NAME = ("local authority name",)
INSPECTION_DATE = ("inspection date", "inspection/visit date")
PUBLICATION_DATE = ("publication date",)
INSPECTION_TYPE = ("inspection type", "inspection/visit type")
OVERALL = ("overall effectiveness",)
SUB_JUDGEMENT_HEADERS = {
    "leaders": ("the impact of leaders on social work practice with children and families",),
    "help_and_protection": ("the experiences and progress of children who need help and protection",),
    "children_in_care": ("the experiences and progress of children in care",),
    "care_leavers": ("the experiences and progress of care leavers",),
}
REQUIRED = {
    "Local authority area code": CODE,
    "Inspection date": INSPECTION_DATE,
    "Publication date": PUBLICATION_DATE,
    "Overall effectiveness": OVERALL,
}


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int  # 1-based, as the spreadsheet shows it
    column: str  # spreadsheet column letter, or "" when a column is missing
    header: str
    message: str

    def __str__(self) -> str:
        where = f"sheet “{self.sheet}”, row {self.row}"
        if self.column:
            where += f", column {self.column} ({self.header})"
        elif self.header:
            where += f" (column “{self.header}”)"
        return f"{where}: {self.message}"


class OfstedFileError(ValueError):
    """The file can't be imported; `problems` say where. Nothing has been written."""

    def __init__(self, problems: list[Problem], summary: str = "") -> None:
        self.problems = problems
        lines = [str(p) for p in problems[:MAX_REPORTED_PROBLEMS]]
        if len(problems) > MAX_REPORTED_PROBLEMS:
            lines.append(f"...and {len(problems) - MAX_REPORTED_PROBLEMS} more problems")
        head = summary or f"The file was refused ({len(problems)} problem{'s' if len(problems) != 1 else ''})"
        super().__init__(head + ":\n" + "\n".join(f"  {line}" for line in lines) if lines else head)


@dataclass(frozen=True)
class JudgementRecord:
    """One inspection judgement read from one row."""

    sheet: str
    row: int
    ons_code: str
    la_name: str
    inspection_type: str | None  # None when the sheet has no type column
    inspection_date: date
    publication_date: date | None
    overall: str
    leaders: str | None = None
    help_and_protection: str | None = None
    children_in_care: str | None = None
    care_leavers: str | None = None


@dataclass
class OfstedFile:
    path: Path
    records: list[JudgementRecord] = field(default_factory=list)
    sheets_used: list[str] = field(default_factory=list)
    sheets_skipped: list[str] = field(default_factory=list)
    visits_skipped: int = 0  # focused and monitoring visits carry no judgement


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _norm(value: object) -> str:
    return " ".join(str(value or "").replace("\n", " ").split()).lower()


def load_sheets(path: Path) -> list[tuple[str, list[list[object]]]]:
    """Every sheet of an ODS/XLSX/XLS workbook, or the one sheet of a CSV, as rows of cells."""
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return [(path.stem, [list(row) for row in csv.reader(handle)])]
    workbook = CalamineWorkbook.from_path(str(path))
    sheets = []
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        sheets.append((name, [list[object](r) for r in rows]))
    return sheets


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    for i, cell in enumerate(header):
        if cell in names:
            return i
    return None


def _header_row(rows: list[list[object]]) -> int | None:
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        cells = [_norm(c) for c in row]
        if any(c in CODE for c in cells) and any(c in OVERALL or c in INSPECTION_DATE for c in cells):
            return i
    return None


def read_ofsted_file(path: Path) -> OfstedFile:
    """Read and validate every judgement sheet in `path`; raise OfstedFileError on any problem."""
    try:
        sheets = load_sheets(path)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise OfstedFileError([], f"Can't read {path.name} as a spreadsheet or CSV file ({exc})") from exc
    except Exception as exc:  # calamine raises its own error types for corrupt workbooks
        raise OfstedFileError([], f"Can't read {path.name} as a spreadsheet ({exc})") from exc
    result = OfstedFile(path=path)
    problems: list[Problem] = []
    for name, rows in sheets:
        header_index = _header_row(rows)
        if header_index is None:
            result.sheets_skipped.append(name)
            continue
        result.sheets_used.append(name)
        problems += _read_sheet(name, rows, header_index, result)
    if problems:
        raise OfstedFileError(problems)
    if not result.sheets_used:
        raise OfstedFileError(
            [], f"No sheet in {path.name} has Ofsted's judgement columns (a header row with "
            "“Local authority area code”, “Inspection date” and “Overall effectiveness”)"
        )
    return result


def _read_sheet(name: str, rows: list[list[object]], header_index: int, result: OfstedFile) -> list[Problem]:
    header = [_norm(c) for c in rows[header_index]]
    header_row_number = header_index + 1
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    for label, names in REQUIRED.items():
        index = _find(header, names)
        if index is None:
            problems.append(Problem(name, header_row_number, "", label, "required column is missing"))
        else:
            columns[label] = index
    if problems:
        return problems
    type_index = _find(header, INSPECTION_TYPE)
    name_index = _find(header, NAME)
    sub_indexes = {key: _find(header, names) for key, names in SUB_JUDGEMENT_HEADERS.items()}
    original = [str(c).strip() for c in rows[header_index]]

    def cell(row: list[object], index: int | None) -> object:
        return row[index] if index is not None and index < len(row) else ""

    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if all(_norm(c) == "" for c in row):
            continue

        def problem(index: int, message: str, row_number: int = offset) -> None:
            problems.append(Problem(name, row_number, column_letter(index), original[index], message))

        inspection_type = (str(cell(row, type_index)).strip() or None) if type_index is not None else None
        overall_raw = _norm(cell(row, columns["Overall effectiveness"]))
        if not overall_raw and inspection_type and "visit" in inspection_type.lower():
            result.visits_skipped += 1
            continue
        code = str(cell(row, columns["Local authority area code"])).strip().upper()
        if not _ONS_CODE.match(code):
            problem(columns["Local authority area code"], f"“{code}” is not an ONS code (E and 8 digits)")
        inspected = _date(cell(row, columns["Inspection date"]))
        if not isinstance(inspected, date):
            problem(columns["Inspection date"], f"“{cell(row, columns['Inspection date'])}” is not a date {inspected}")
        published = _date(cell(row, columns["Publication date"]), blank_ok=True)
        if isinstance(published, str):
            raw_published = cell(row, columns["Publication date"])
            problem(columns["Publication date"], f"“{raw_published}” is not a date {published}")
        elif isinstance(published, date) and isinstance(inspected, date) and published < inspected:
            problem(columns["Publication date"], f"published {published:%d %b %Y}, before the inspection "
                    f"on {inspected:%d %b %Y}")
        overall = _GRADE_LOOKUP.get(overall_raw)
        if overall is None:
            shown = str(cell(row, columns["Overall effectiveness"])).strip()
            problem(columns["Overall effectiveness"],
                    f"“{shown}” is not an Ofsted grade ({', '.join(GRADES)})" if shown else "no overall judgement")
        subs: dict[str, str | None] = {}
        for key, index in sub_indexes.items():
            raw = _norm(cell(row, index))
            if not raw:
                subs[key] = None
                continue
            grade = _GRADE_LOOKUP.get(raw)
            if grade is None and index is not None:
                problem(index, f"“{cell(row, index)}” is not an Ofsted grade ({', '.join(GRADES)})")
            subs[key] = grade
        if isinstance(inspected, date) and not isinstance(published, str) and overall and _ONS_CODE.match(code):
            result.records.append(
                JudgementRecord(
                    sheet=name, row=offset, ons_code=code, la_name=str(cell(row, name_index)).strip(),
                    inspection_type=inspection_type, inspection_date=inspected, publication_date=published,
                    overall=overall, **subs,
                )
            )
    return problems


def _date(value: object, blank_ok: bool = False) -> date | str | None:
    """A date from a spreadsheet cell or CSV text; a string explains why not; None when blank (if allowed)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        return None if blank_ok else "(it is blank)"
    try:
        return date.fromisoformat(text[:10]) if re.match(r"^\d{4}-\d{2}-\d{2}", text) else _dmy(text)
    except ValueError:
        return "(there is no such date)"


def _dmy(text: str) -> date | str:
    match = _DMY.match(text)
    if not match:
        return "(write dates as 2025-03-31 or 31/03/2025)"
    return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
