"""`ask` and `console`: the local text front end on the same core as Slack and Teams."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.intents import EMPTY_MESSAGE as EMPTY_MESSAGE_INTENT
from bot.core.message import CONSOLE_USER, Message, UserRef
from bot.core.reply import Reply, error
from bot.render.text import render_text

if TYPE_CHECKING:  # imported when a message is answered: `python -m bot --help` stays fast
    from bot.router import Router

WELCOME = (
    "Broker bot: ask about a council's Ofsted status, intervention deadlines and lead brokers.\n"
    "Try `/council Harrow`, `who is the broker for Hull?` or `/help` for every command.\n"
    "Ctrl-D or `quit` leaves."
)


def parse_as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--as-of takes a date as YYYY-MM-DD, not {text!r}") from exc


def configure_ask(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("message", help="the message, or - to read one message per stdin line")
    parser.add_argument("--json", action="store_true", help='print {"intent", "entities", "text", "ok"}')
    parser.add_argument("--as-of", type=parse_as_of, help="answer as if today were YYYY-MM-DD")
    parser.add_argument("--user", help="act as PLATFORM:ID, e.g. slack:U0123ABC")


def configure_console(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=parse_as_of, help="answer as if today were YYYY-MM-DD")
    parser.add_argument("--user", help="act as PLATFORM:ID")


def open_router() -> Router:
    from bot.bootstrap import build_router, open_services

    return build_router(open_services())


def dumps(payload: object) -> str:
    return json.dumps(payload, ensure_ascii=False, default=str)


def _user(args: argparse.Namespace) -> UserRef:
    if not args.user:
        return CONSOLE_USER
    try:
        return UserRef.parse(args.user)
    except ValueError as exc:
        raise SystemExit(f"--user: {exc}") from exc


EMPTY_MESSAGE = error("Empty message: type a question or a command such as /council Harrow.",
                      intent=EMPTY_MESSAGE_INTENT)


def _emit(reply: Reply, as_json: bool, *, one_line: bool = False) -> None:
    text = render_text(reply)
    if as_json:
        print(dumps({"intent": reply.intent, "entities": reply.entities, "text": text, "ok": reply.ok}))
    elif one_line:  # stdin mode: one output line per input line, so scripts can pair them up
        print(" | ".join(line for line in text.splitlines() if line.strip()))
    else:
        print(text)


def run_ask(args: argparse.Namespace) -> int:
    """One message, or one per stdin line (`-`). A single message exits 1 when its reply is an
    error, a refusal or unanswered; stdin mode exits 0 once every line was answered, each line's
    own outcome being in its `ok` (JSON) so one bad line does not hide the others."""
    user = _user(args)
    router = open_router()
    if args.message == "-":
        conversation = "stdin"
        for line in sys.stdin:
            text = line.rstrip("\r\n")
            if text.strip():
                reply = router.handle(Message(text=text, user=user, conversation=conversation, as_of=args.as_of))
            else:
                reply = EMPTY_MESSAGE
            _emit(reply, args.json, one_line=True)
            sys.stdout.flush()
        return 0
    reply = router.handle(Message(text=args.message, user=user, conversation="ask", as_of=args.as_of))
    _emit(reply, args.json)
    return 0 if reply.ok else 1


def _enable_line_editing() -> None:
    """Arrow keys, Ctrl-R and a history kept between sessions, where the platform has readline."""
    try:
        import readline
    except ImportError:  # e.g. Windows without pyreadline: plain input() still works
        return
    history = Path(os.environ.get("BROKER_BOT_HISTORY", "~/.local/share/broker-bot/console_history")).expanduser()
    with contextlib.suppress(OSError):
        history.parent.mkdir(parents=True, exist_ok=True)
        if history.exists():
            readline.read_history_file(history)
    readline.set_history_length(1000)
    atexit.register(_save_history, readline.write_history_file, history)


def _save_history(write: Callable[[Path], None], history: Path) -> None:
    with contextlib.suppress(OSError):
        write(history)


def run_console(args: argparse.Namespace) -> int:
    user = _user(args)
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")  # https://no-color.org
    typed_by_a_person = sys.stdin.isatty()
    if typed_by_a_person:
        _enable_line_editing()
    router = open_router()
    print(WELCOME)
    while True:
        try:
            text = input("\nyou> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not typed_by_a_person:
            print(text)  # piped input is not echoed by the terminal: show what was asked
        if text.strip().lower() in {"quit", "exit", ":q"}:
            return 0
        if not text.strip():
            continue
        reply = router.handle(Message(text=text, user=user, conversation="console", as_of=args.as_of))
        print(render_text(reply, colour=colour))
