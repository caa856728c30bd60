"""Command-line interface: `python -m bot <command>`.

These subcommands and their flags are a stable interface (README.md): other tools depend on them.
Every subcommand is named here; each group's options and runner live in its own module, which
imports the services only when it runs, so `python -m bot --help` stays fast.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from bot.cli import chat, database, imports, people, scheduling, teams

Runner = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Broker bot")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str, run: Runner) -> argparse.ArgumentParser:
        subparser = sub.add_parser(name, help=help_text, description=help_text)
        subparser.set_defaults(run=run)
        return subparser

    chat.configure_ask(command("ask", "answer one message and print the reply", chat.run_ask))
    chat.configure_console(command("console", "interactive chat in the terminal", chat.run_console))
    command("serve", "run the HTTP server (Slack, Teams, /healthz)", run_serve)
    database.configure_db(command("db", "database maintenance", database.run_db_upgrade))
    command("seed", "load or refresh the bundled reference data (idempotent)", database.run_seed)
    imports.configure(command("import", "import published data into the bot's database", imports.run))
    people.configure(command("people", "list the roster, add people, link them to chat ids", people.run))
    scheduling.configure_subscribe(command(
        "subscribe", "subscribe a channel to a region's (or national) weekly digest and reminders",
        scheduling.run_subscribe,
    ))
    scheduling.configure_unsubscribe(command(
        "unsubscribe", "stop a channel's digest and reminders for a region (or the national ones)",
        scheduling.run_unsubscribe,
    ))
    scheduling.configure_tick(command(
        "tick", "run exactly one scheduler pass (decide what is due, enqueue, send) and exit", scheduling.run_tick
    ))
    scheduling.configure_outbox(command(
        "outbox", "list scheduled notifications: pending, sent, failed, skipped, cancelled", scheduling.run_outbox
    ))
    teams.configure_package(command(
        "teams-package", "write the Teams app package (manifest.json + icons)", teams.run_package
    ))
    teams.configure_conversations(command(
        "teams-conversations", "list the Teams conversations the bot can post to", teams.run_conversations
    ))
    return parser


def run_serve(_args: argparse.Namespace) -> int:
    from bot.config import load_settings
    from bot.server import serve

    return serve(load_settings())


def main(argv: Sequence[str] | None = None) -> int:
    from storage.db import DatabaseUnavailable

    try:
        args = build_parser().parse_args(argv)
        logging.basicConfig(
            level=logging.INFO if args.verbose else logging.WARNING,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        run: Runner = args.run
        return run(args)
    except BrokenPipeError:  # `python -m bot ask ... | head`: the reader left; not an error
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:  # Ctrl-C, even during the first start's seeding: one line, no traceback
        return _interrupted()
    except DatabaseUnavailable as exc:
        print(f"{exc}. Check DATABASE_URL.", file=sys.stderr)
        return 3
    except Exception as exc:
        if _raised_while_interrupted(exc):  # e.g. a library's own check failing as Ctrl-C unwound it
            return _interrupted()
        raise


def _interrupted() -> int:
    """Say "Interrupted." and give the shell's exit status for Ctrl-C, 130.

    CPython 3.11 run with `-m` remembers any KeyboardInterrupt raised inside `exec()` of a string
    (dataclasses and Alembic build functions that way while they are imported) and then ends the
    process with SIGINT even though it was caught here. Any later successful `exec()` of a string
    clears that mark, so the process exits with the 130 returned here and runs its exit handlers.
    """
    print("\nInterrupted.", file=sys.stderr)
    exec("pass")  # clears the mark described above; runs nothing
    return 130


def _raised_while_interrupted(exc: BaseException) -> bool:
    """Whether Ctrl-C is among the exceptions this one was raised while handling."""
    seen: BaseException | None = exc.__context__
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__context__
    return False


__all__ = ["build_parser", "main"]
