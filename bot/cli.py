"""Command-line interface: `python -m bot ask|console|serve|db upgrade|seed`.

These interfaces are stable (DESIGN.md): other tools depend on them.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import date

from bot.config import load_settings

SubcommandRunner = Callable[[argparse.Namespace], int]
# Features register extra subcommands here: name -> (configure parser, run).
EXTRA_SUBCOMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], SubcommandRunner]] = {}


def parse_as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--as-of takes a date as YYYY-MM-DD, not {text!r}") from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Broker bot")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    sub = parser.add_subparsers(dest="command", required=True)

    ask = sub.add_parser("ask", help="answer one message and print the reply")
    ask.add_argument("message", help="the message, or - to read one message per stdin line")
    ask.add_argument("--json", action="store_true", help='print {"intent", "entities", "text", "ok"}')
    ask.add_argument("--as-of", type=parse_as_of, help="answer as if today were YYYY-MM-DD")
    ask.add_argument("--user", help="act as PLATFORM:ID, e.g. slack:U0123ABC")

    console = sub.add_parser("console", help="interactive chat in the terminal")
    console.add_argument("--as-of", type=parse_as_of, help="answer as if today were YYYY-MM-DD")
    console.add_argument("--user", help="act as PLATFORM:ID")

    sub.add_parser("serve", help="run the HTTP server (Slack, Teams, /healthz)")

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="upgrade the schema to the newest revision")

    sub.add_parser("seed", help="load or refresh the bundled reference data (idempotent)")

    for name, (configure, _run) in EXTRA_SUBCOMMANDS.items():
        # Each feature sets its parser's description; show it in the top-level listing too.
        probe = argparse.ArgumentParser()
        configure(probe)
        configure(sub.add_parser(name, help=probe.description))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from storage.db import DatabaseUnavailable

    try:
        return _main(argv)
    except BrokenPipeError:  # `python -m bot ask ... | head`: the reader left; not an error
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:  # Ctrl-C, even during the first start's seeding: one line, no traceback
        print("\nInterrupted.", file=sys.stderr)
        return 130
    except DatabaseUnavailable as exc:
        print(f"{exc}. Check DATABASE_URL.", file=sys.stderr)
        return 3


def _main(argv: Sequence[str] | None) -> int:
    _load_plugins()
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.command == "ask":
        from bot.cli_chat import run_ask

        return run_ask(args)
    if args.command == "console":
        from bot.cli_chat import run_console

        return run_console(args)
    if args.command == "serve":
        from bot.server import serve

        return serve(load_settings())
    if args.command == "db":
        return run_db_upgrade()
    if args.command == "seed":
        return run_seed()
    if args.command in EXTRA_SUBCOMMANDS:
        return EXTRA_SUBCOMMANDS[args.command][1](args)
    return 2


def _load_plugins() -> None:
    """Import modules that add subcommands (each registers itself in EXTRA_SUBCOMMANDS)."""
    import bot.cli_extra  # noqa: F401


def run_db_upgrade() -> int:
    from storage.db import Database
    from storage.migrate import current_revision, upgrade

    db = Database(load_settings().database_url)
    upgrade(db.engine)
    print(f"Database schema at revision {current_revision(db.engine)}.")
    return 0


def run_seed() -> int:
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


def dumps(payload: object) -> str:
    return json.dumps(payload, ensure_ascii=False, default=str)
