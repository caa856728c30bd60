"""`python -m bot db upgrade` and `python -m bot seed`: the schema and the bundled reference data."""

from __future__ import annotations

import argparse
import sys

from bot.config import load_settings


def configure_db(parser: argparse.ArgumentParser) -> None:
    db_sub = parser.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="upgrade the schema to the newest revision")


def run_db_upgrade(_args: argparse.Namespace) -> int:
    from storage.db import Database
    from storage.migrate import current_revision, upgrade

    db = Database(load_settings().database_url)
    upgrade(db.engine)
    print(f"Database schema at revision {current_revision(db.engine)}.")
    return 0


def run_seed(_args: argparse.Namespace) -> int:
    from bot.bootstrap import open_database
    from bot.services.seeding import seed

    settings = load_settings()
    db = open_database(settings, seed=False)
    outcome = seed(db, settings.inadequate_improvement_months)
    report = outcome.report
    print(
        f"Seed: {sum(report.added.values())} added, {sum(report.changed.values())} changed, "
        f"{sum(report.unchanged.values())} unchanged; "
        f"{outcome.escalations_opened} escalations opened."
    )
    for table in sorted(set(report.added) | set(report.changed)):
        print(f"  {table}: +{report.added.get(table, 0)} ~{report.changed.get(table, 0)}")
    if outcome.unmatched_codes:
        print(f"Unmatched ONS codes: {', '.join(sorted(set(outcome.unmatched_codes)))}", file=sys.stderr)
    return 0
