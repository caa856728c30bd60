"""`python -m bot import ofsted FILE`: import a new Ofsted release.

The CLI stays thin: it opens the services, hands the file to
:class:`bot.services.ofsted_import.OfstedImportService` and prints the counts. Writes are audited
as the actor "cli". Exit codes: 0 imported (or nothing to change), 1 refused (malformed file,
nothing written), 2 file not found.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported lazily at run time: `python -m bot --help` stays fast
    from bot.services import Services


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = "Import published data into the bot's database."
    sub = parser.add_subparsers(dest="import_kind", required=True)
    ofsted = sub.add_parser(
        "ofsted",
        help="Ofsted's LA inspection outcomes: the published .ods (all sheets) or a CSV of one sheet",
    )
    ofsted.add_argument("file", type=Path, help="e.g. LA_Inspection_Outcomes_as_at_31_March_2025.ods")
    ofsted.add_argument("--dry-run", action="store_true", help="validate and count, but write nothing")


def run(args: argparse.Namespace) -> int:
    from bot.bootstrap import open_services

    if not args.file.is_file():
        print(f"No such file: {args.file}", file=sys.stderr)
        return 2
    return run_with(open_services(), args)


def run_with(services: Services, args: argparse.Namespace) -> int:
    """The import against given services (tests pass their own)."""
    from bot.services.ofsted_import import OfstedFileError

    try:
        report = services.ofsted_import.run(args.file, dry_run=args.dry_run)
    except OfstedFileError as exc:
        print(f"Refused {args.file.name}; nothing was changed.\n{exc}", file=sys.stderr)
        return 1
    prefix = "Dry run (nothing written): " if report.dry_run else ""
    print(f"{prefix}Ofsted import of {report.file}: {report.summary()}.")
    print(f"  Sheets read: {', '.join(report.sheets_used)}"
          + (f"; skipped: {', '.join(report.sheets_skipped)}" if report.sheets_skipped else ""))
    print(f"  Judgement rows read: {report.rows_read}; visits without a judgement skipped: {report.visits_skipped}")
    if report.unmatched_codes:
        print(f"  Unmatched ONS codes: {', '.join(report.unmatched_codes)}")
    if report.escalations:
        print(f"  Escalations opened: {len(report.escalations)}")
        for line in report.escalations:
            print(f"    {line}")
    return 0

